using System.Globalization;
using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// An Azure Monitor alert in the common alert schema (<c>{"schemaId": "azureMonitorCommonAlertSchema", "data":
/// {"essentials": {…}, "alertContext": {…}}}</c>). Sev0..Sev4 are P1..P5. Newer payloads carry the portal's
/// <c>investigationLink</c>, kept as the link. Microsoft defines <c>firedDateTime</c> as UTC, and Service Health and
/// some activity-log alerts send it without an offset (<c>2026-11-24T09:58:12.4371245</c>): such a time is read as UTC.
/// (<c>resolvedDateTime</c> is not read: the hub dates a resolve by its arrival.)
/// <para>
/// What is affected: the target resource ids (<c>alertTargetIDs</c>), the configuration items, and the resource ids
/// in the dimensions named <c>_ResourceId</c>, <c>ResourceId</c> or <c>Resource</c> (case-insensitive; a value that is
/// not a <c>/subscriptions/…</c> id, like a metric's GUID, is not one). Microsoft fills <c>configurationItems</c> from
/// those dimensions (then <c>Computer</c>): for a log search alert on a Log Analytics workspace they are the resources
/// sending the data and the target is only the workspace. So when the configuration items or dimension ids name a
/// resource that is not a target, a target they do not name is the query's scope and not an alias. A configuration
/// item equal to a resource id's last segment is that resource's name: the two are one thing, one matching is enough.
/// </para>
/// <para>
/// State: <c>monitorCondition</c> Fired is Open, Resolved is Resolved. Activity-log alerts are stateless and always
/// Fired, so the event itself says when it is over: a Service Health event whose <c>properties.stage</c> is Resolved,
/// RCA (the root cause published after resolution), Complete or Canceled (maintenance), or whose <c>status</c> is
/// Resolved; a Resource Health event whose <c>currentHealthStatus</c> is Available or whose <c>status</c> is Resolved.
/// Other stages (Active, Planned, InProgress, Rescheduled, and any Microsoft adds) leave it Open. These fields are read
/// only for those two monitoring services: other alerts' <c>alertContext.properties</c> are the rule's custom properties.
/// The alert context varies by alert type, so what in it cannot be read is ignored rather than refused.
/// </para>
/// <para>
/// Activity-log alerts are also new alerts (new <c>alertId</c>s) for each event, so the health ones are keyed by
/// what they are about: a Service Health alert by <c>ServiceHealth:{trackingId}</c> (its start the communication's
/// <c>impactStartTime</c>, its resolve time <c>impactMitigationTime</c>), a Resource Health alert by
/// <c>ResourceHealth:{target resource id}</c> (its times the events' <c>firedDateTime</c>): the update that says
/// the event is over resolves the incident the first one opened, and the next failure reopens it.
/// </para>
/// </summary>
public sealed class AzureMonitorParser : IIncidentParser
{
    private const string CommonSchemaId = "azureMonitorCommonAlertSchema";

    private static readonly (string, Priority)[] _severities =
        [("Sev0", Priority.P1), ("Sev1", Priority.P2), ("Sev2", Priority.P3), ("Sev3", Priority.P4), ("Sev4", Priority.P5)];

    private static readonly (string, IncidentState)[] _conditions =
        [("Fired", IncidentState.Open), ("Resolved", IncidentState.Resolved)];

    private static readonly string[] _resourceDimensions = ["_ResourceId", "ResourceId", "Resource"];

    private static readonly string[] _endedStages = ["Resolved", "RCA", "Complete", "Canceled"];

    public AliasSource Source => AliasSource.AzureMonitor;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        // Without the common schema the action group sends another shape; say so rather than list missing fields.
        if (r.String(payload, "schemaId") is { } schemaId && !string.Equals(schemaId, CommonSchemaId, StringComparison.OrdinalIgnoreCase))
        {
            r.Problem("schemaId", $"expected '{CommonSchemaId}', got {PayloadReader.Quote(schemaId)} (enable the common alert schema on the action group)");
            return new IncidentDraft();
        }

        var data = r.Object(payload, "data", required: true);
        var essentials = r.Object(data, "essentials", required: true);
        var context = data.TryGet("alertContext", out var c) ? c : default;
        var severity = r.String(essentials, "severity");
        var condition = r.Choice(essentials, "monitorCondition", "monitor condition", _conditions) ?? IncidentState.Open;
        var targets = r.Strings(essentials, "alertTargetIDs");
        var (aliases, sameThing) = Affected(targets, r.Strings(essentials, "configurationItems"), DimensionResourceIds(context));
        var health = HealthService(Text(essentials.Element, "monitoringService"));
        var state = condition == IncidentState.Open && HealthEventEnded(health, context) ? IncidentState.Resolved : condition;
        var alertId = r.String(essentials, "alertId", required: true);
        var fired = r.Timestamp(essentials, "firedDateTime", required: true, utcWithoutOffset: true);
        var properties = Child(context, "properties");
        var impactStart = health == HealthKind.Service ? LenientTime(properties, "impactStartTime") : null;
        var (externalId, idPath, started, eventTime) = health switch
        {
            // Each Service Health communication is a new alert: the Azure incident is its tracking id, from its impact start.
            HealthKind.Service when Text(properties, "trackingId") is { } trackingId =>
                ($"ServiceHealth:{trackingId}", "data.alertContext.properties.trackingId", impactStart ?? fired, impactStart is null),
            // Each Resource Health event is a new alert: the resource's health is one incident, reopened when it fails again.
            HealthKind.Resource when targets.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) is { } target =>
                ($"ResourceHealth:{target.Trim().ToLowerInvariant()}", essentials.PathOf("alertTargetIDs"), fired, true),
            _ => (alertId, essentials.PathOf("alertId"), fired, false),
        };
        return new IncidentDraft
        {
            ExternalId = alertId is null ? null : externalId,
            ExternalIdPath = idPath,
            Title = r.String(essentials, "alertRule", required: true),
            Priority = PayloadReader.TryChoose(severity, _severities, out var priority) ? priority : Priority.None,
            SourcePriority = severity,
            State = state,
            StartedAt = started,
            StartedAtIsEventTime = eventTime,
            ResolvedAt = state == IncidentState.Resolved && health == HealthKind.Service ? LenientTime(properties, "impactMitigationTime") ?? fired
                : state == IncidentState.Resolved && health == HealthKind.Resource ? fired
                : null,
            Aliases = aliases,
            SameThing = sameThing,
            Link = r.String(essentials, "investigationLink"),
        };
    });

    private enum HealthKind
    {
        None,
        Service,
        Resource,
    }

    private static HealthKind HealthService(string? monitoringService) =>
        monitoringService?.Replace(" ", string.Empty, StringComparison.Ordinal) switch
        {
            { } s when string.Equals(s, "ServiceHealth", StringComparison.OrdinalIgnoreCase) => HealthKind.Service,
            { } s when string.Equals(s, "ResourceHealth", StringComparison.OrdinalIgnoreCase) => HealthKind.Resource,
            _ => HealthKind.None,
        };

    /// <summary>A time in the alert context, read only when it is one the hub keeps (the context is not refused for it).</summary>
    private static DateTimeOffset? LenientTime(JsonElement parent, string name) =>
        Text(parent, name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
        && IncidentTimes.Contains(time)
            ? time
            : null;

    /// <summary>The aliases (kept targets, dimension ids, configuration items) and each item paired with the id it names.</summary>
    private static (List<string?> Aliases, List<(string?, string?)> SameThing) Affected(
        IReadOnlyList<string> targets, IReadOnlyList<string> items, List<string> dimensionIds)
    {
        bool Targeted(string id) => targets.Any(t => string.Equals(t, id, StringComparison.OrdinalIgnoreCase));
        bool Names(string item, string id) => string.Equals(item, id, StringComparison.OrdinalIgnoreCase) || string.Equals(item, LastSegment(id), StringComparison.OrdinalIgnoreCase);

        var beyondTargets = dimensionIds.Any(d => !Targeted(d))
            || items.Any(i => !targets.Any(t => Names(i, t)) && !dimensionIds.Any(d => Names(i, d)));
        var kept = beyondTargets
            ? targets.Where(t => dimensionIds.Any(d => string.Equals(d, t, StringComparison.OrdinalIgnoreCase)) || items.Any(i => Names(i, t))).ToList()
            : [.. targets];
        var ids = kept.Concat(dimensionIds).ToList();
        var sameThing = new List<(string?, string?)>();
        foreach (var item in items)
        {
            if (ids.FirstOrDefault(id => Names(item, id)) is { } id)
            {
                sameThing.Add((id, item));
            }
        }

        return ([.. ids, .. items], sameThing);
    }

    /// <summary>Resource ids in the dimensions of the condition's criteria (metric, log search V2) or the V1 log search <c>Dimensions</c>.</summary>
    private static List<string> DimensionResourceIds(JsonElement context)
    {
        var dimensions = new List<JsonElement>();
        if (Child(Child(context, "condition"), "allOf") is { ValueKind: JsonValueKind.Array } allOf)
        {
            foreach (var criterion in allOf.EnumerateArray())
            {
                Add(dimensions, Child(criterion, "dimensions"));
            }
        }

        Add(dimensions, Child(context, "Dimensions"));
        var ids = new List<string>();
        foreach (var dimension in dimensions)
        {
            if (Text(dimension, "name") is { } name && _resourceDimensions.Contains(name, StringComparer.OrdinalIgnoreCase)
                && Text(dimension, "value") is { } value && value.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
                && !ids.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                ids.Add(value);
            }
        }

        return ids;

        static void Add(List<JsonElement> list, JsonElement array)
        {
            if (array.ValueKind == JsonValueKind.Array)
            {
                list.AddRange(array.EnumerateArray());
            }
        }
    }

    private static bool HealthEventEnded(HealthKind health, JsonElement context)
    {
        var properties = Child(context, "properties");
        var resolved = string.Equals(Text(context, "status"), "Resolved", StringComparison.OrdinalIgnoreCase);
        return health switch
        {
            HealthKind.Service => resolved || (Text(properties, "stage") is { } stage && _endedStages.Contains(stage, StringComparer.OrdinalIgnoreCase)),
            HealthKind.Resource => resolved || string.Equals(Text(properties, "currentHealthStatus"), "Available", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    private static string LastSegment(string id)
    {
        var trimmed = id.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary>A field of an object, or an undefined element when the parent is not an object or lacks it.</summary>
    private static JsonElement Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } value && value.GetString()?.Trim() is { Length: > 0 } text ? text : null;
}
