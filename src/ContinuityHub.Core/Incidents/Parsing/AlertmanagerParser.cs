using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// A Prometheus Alertmanager webhook (version 4; Grafana alerting sends the same shape):
/// <c>{"groupKey", "status": "firing"|"resolved", "commonLabels", "commonAnnotations", "externalURL", "alerts": [{"labels", "annotations", "startsAt", "endsAt"}]}</c>.
/// The group is one incident; every label value names what may be affected, the <see cref="PreferredLabels"/> first;
/// the earliest <c>startsAt</c> is its start. Alertmanager has no priority: <c>labels.priority</c> P1..P5 when given,
/// else the severity label (critical P1; high, error, major P2; warning P3; info, low P4). The common labels' values
/// are the markers the policy may name as major.
/// </summary>
public sealed class AlertmanagerParser : IIncidentParser
{
    /// <summary>The labels whose values are read first as aliases, in this order; the other labels follow in payload order.</summary>
    public static readonly IReadOnlyList<string> PreferredLabels = ["service", "job", "instance", "namespace", "cluster", "app"];

    /// <summary>Go's zero time: Alertmanager writes it as the <c>endsAt</c> of an alert that is still firing.</summary>
    private const string ZeroTime = "0001-01-01T00:00:00";

    private static readonly (string, IncidentState)[] _statuses = [("firing", IncidentState.Open), ("resolved", IncidentState.Resolved)];

    private static readonly (string, Priority)[] _severities =
    [
        ("critical", Priority.P1), ("high", Priority.P2), ("error", Priority.P2), ("major", Priority.P2),
        ("warning", Priority.P3), ("info", Priority.P4), ("low", Priority.P4),
    ];

    public AliasSource Source => AliasSource.Alertmanager;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var groupKey = r.String(payload, "groupKey", required: true);
        var state = r.Choice(payload, "status", "status", _statuses, required: true);
        var commonLabels = Labels(r, r.Object(payload, "commonLabels"));
        var commonAnnotations = Labels(r, r.Object(payload, "commonAnnotations"));
        var alerts = ReadAlerts(r, payload);

        return new IncidentDraft
        {
            ExternalId = groupKey,
            ExternalIdPath = payload.PathOf("groupKey"),
            Title = commonAnnotations.GetValueOrDefault("summary")
                ?? alerts.Select(a => a.Annotations.GetValueOrDefault("summary")).FirstOrDefault()
                ?? commonLabels.GetValueOrDefault("alertname")
                ?? groupKey,
            Priority = ReadPriority(commonLabels, alerts, out var named),
            SourcePriority = named,
            Markers = commonLabels.Values,
            State = state ?? IncidentState.Open,
            StartedAt = alerts.Select(a => a.StartsAt).Min(),
            Aliases = [.. Aliases(commonLabels), .. alerts.SelectMany(a => Aliases(a.Labels))],
            Link = Link(r.String(payload, "externalURL")),
        };
    });

    private static List<Alert> ReadAlerts(PayloadReader r, PayloadObject payload)
    {
        var path = payload.PathOf("alerts");
        var objects = r.Objects(payload, "alerts");
        if (objects.Count == 0 && (!payload.TryGet("alerts", out var value) || value.ValueKind == JsonValueKind.Array))
        {
            r.Problem(path, "is required (a group of at least one alert)");
        }

        var alerts = new List<Alert>();
        foreach (var alert in objects)
        {
            var startsAt = r.Timestamp(alert, "startsAt", required: true);
            ReadEnd(r, alert);
            alerts.Add(new Alert(Labels(r, r.Object(alert, "labels")), Labels(r, r.Object(alert, "annotations")), startsAt));
        }

        return alerts;
    }

    /// <summary><c>endsAt</c> is checked as any time is, except Go's zero time, which means "still firing".</summary>
    private static void ReadEnd(PayloadReader r, PayloadObject alert)
    {
        if (alert.TryGet("endsAt", out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString()!.Trim().StartsWith(ZeroTime, StringComparison.Ordinal))
        {
            return;
        }

        _ = r.Timestamp(alert, "endsAt");
    }

    /// <summary>A label set: an object of strings (name → value); blank values are left out.</summary>
    private static Dictionary<string, string> Labels(PayloadReader r, PayloadObject labels)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!labels.Exists)
        {
            return values;
        }

        foreach (var property in labels.Element.EnumerateObject())
        {
            if (r.String(labels, property.Name) is { } text)
            {
                values.TryAdd(property.Name, text);
            }
        }

        return values;
    }

    private static IEnumerable<string> Aliases(Dictionary<string, string> labels) =>
        PreferredLabels.Select(labels.GetValueOrDefault).OfType<string>()
            .Concat(labels.Where(l => !PreferredLabels.Contains(l.Key, StringComparer.OrdinalIgnoreCase)).Select(l => l.Value));

    /// <summary>
    /// A P1..P5 <c>priority</c> label, common or on any alert; else the common severity, or the gravest alert's; a
    /// severity the hub does not know (<c>none</c>, <c>page</c>) is no priority unless the policy maps it.
    /// <paramref name="named"/> is the label value read, for the policy's mapping.
    /// </summary>
    private static Priority ReadPriority(Dictionary<string, string> common, List<Alert> alerts, out string? named)
    {
        var labelSets = alerts.Select(a => a.Labels).Prepend(common).ToList();
        foreach (var labels in labelSets)
        {
            if (PayloadReader.TryChoose(labels.GetValueOrDefault("priority"), PayloadReader.PriorityNames, out var priority))
            {
                named = labels["priority"];
                return priority;
            }
        }

        // A common severity is every alert's: it decides.
        if (common.TryGetValue("severity", out var commonSeverity))
        {
            named = commonSeverity;
            return PayloadReader.TryChoose(commonSeverity, _severities, out var severity) ? severity : Priority.None;
        }

        var severities = labelSets.Select(l => l.GetValueOrDefault("severity")).OfType<string>().ToList();
        var gravest = severities
            .Select(s => PayloadReader.TryChoose(s, _severities, out var p) ? (s, p) : ((string, Priority)?)null)
            .OfType<(string Name, Priority Priority)>()
            .OrderBy(s => s.Priority)
            .FirstOrDefault();
        named = gravest.Name ?? severities.FirstOrDefault();
        return gravest.Name is null ? Priority.None : gravest.Priority;
    }

    /// <summary>
    /// The Alertmanager's own page, when it is an absolute http(s) URL. Alertmanager writes whatever
    /// <c>--web.external-url</c> says (<c>http://:9093</c> when unset), so anything else is no link, not a refusal.
    /// </summary>
    private static string? Link(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
            ? url
            : null;

    private sealed record Alert(Dictionary<string, string> Labels, Dictionary<string, string> Annotations, DateTimeOffset? StartsAt);
}
