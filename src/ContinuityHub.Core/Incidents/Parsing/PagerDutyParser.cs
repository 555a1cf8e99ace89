using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// A PagerDuty V3 webhook (<c>{"event": {"id", "event_type": "incident.triggered", "data": {"type": "incident", …}}}</c>).
/// The incident's service names what is affected; without a P1..P5 priority, high urgency is P2 and low is P4.
/// An <c>incident_type</c> whose name contains "major" is a major incident, as P1 is; the incident type's name and
/// the priority's summary are the markers the policy may name as major.
/// </summary>
public sealed class PagerDutyParser : IIncidentParser
{
    private static readonly (string, Priority)[] _urgencies = [("high", Priority.P2), ("low", Priority.P4)];

    public AliasSource Source => AliasSource.PagerDuty;

    public Incident Parse(JsonElement root)
    {
        var incident = PayloadReader.Read(root, Source, static (r, payload) => Draft(r, payload));

        // Older v3 deliveries have no data.created_at; their start is then the event's occurred_at (see ReadStart).
        // Only a triggered event's occurred_at is the real start; any other's stands only for a new incident.
        return StartsAtEventTime(root.GetProperty("event")) ? incident with { StartedAtIsEventTime = true } : incident;
    }

    /// <summary>Called on a parsed payload, so <c>event.data</c> is an object.</summary>
    private static bool StartsAtEventTime(JsonElement e) =>
        !(e.GetProperty("data").TryGetProperty("created_at", out var createdAt) && createdAt.ValueKind != JsonValueKind.Null)
        && !(e.TryGetProperty("event_type", out var type) && type.ValueKind == JsonValueKind.String
            && string.Equals(type.GetString()?.Trim(), "incident.triggered", StringComparison.OrdinalIgnoreCase));

    private static IncidentDraft Draft(PayloadReader r, PayloadObject payload)
    {
        var e = r.Object(payload, "event", required: true);
        var eventType = r.String(e, "event_type");
        var data = r.Object(e, "data", required: true);

        // incident.annotated, incident.responder.* and the like carry a note or a responder, not the incident.
        if (r.String(data, "type") is { } type && !string.Equals(type, "incident", StringComparison.OrdinalIgnoreCase))
        {
            r.Problem(data.PathOf("type"), $"expected 'incident', got {PayloadReader.Quote(type)} (only incident events describe an incident)");
            return new IncidentDraft();
        }

        var summary = r.String(r.Object(data, "priority"), "summary");
        var service = r.Object(data, "service");
        var serviceId = r.String(service, "id");
        var serviceName = r.String(service, "summary");
        var resolvedEvent = string.Equals(eventType, "incident.resolved", StringComparison.OrdinalIgnoreCase);
        DateTimeOffset? reopenedAt = null;
        return new IncidentDraft
        {
            ExternalId = r.String(data, "id", required: true),
            ExternalIdPath = data.PathOf("id"),
            Title = r.String(data, "title", required: true),
            Priority = ReadPriority(r, data, summary),
            SourcePriority = summary,
            Markers = [r.String(r.Object(data, "incident_type"), "name"), summary],
            State = resolvedEvent
                || string.Equals(r.String(data, "status"), "resolved", StringComparison.OrdinalIgnoreCase)
                    ? IncidentState.Resolved
                    : IncidentState.Open,
            ReopenedAt = reopenedAt = ReadReopenedAt(r, e, data, eventType),
            ResolvedAt = resolvedEvent ? r.Timestamp(e, "occurred_at") : null,
            Major = IsMajorType(r, data),
            // After a reopen, the current outage started when the incident was reopened.
            StartedAt = Later(ReadStart(r, e, data), reopenedAt),
            Aliases = [serviceId, serviceName],
            SameThing = [(serviceId, serviceName)],
            Link = r.String(data, "html_url"),
            EventId = r.String(e, "id"),
        };
    }

    /// <summary>
    /// <c>data.created_at</c> when present. Else <c>event.occurred_at</c>: for <c>incident.triggered</c> that is when
    /// the incident started; for any other event it is only when this event happened, so the intake keeps it as the
    /// start of a new incident and keeps the known start of one it already has.
    /// </summary>
    private static DateTimeOffset? ReadStart(PayloadReader r, PayloadObject e, PayloadObject data)
    {
        if (PayloadReader.Has(data, "created_at") || !PayloadReader.Has(e, "occurred_at"))
        {
            return r.Timestamp(data, "created_at", required: true);
        }

        return r.Timestamp(e, "occurred_at");
    }

    private static DateTimeOffset? Later(DateTimeOffset? start, DateTimeOffset? reopenedAt) => reopenedAt > start ? reopenedAt : start;

    /// <summary>
    /// <c>data.reopened_at</c> when present (null until an incident is first reopened), else, for an
    /// <c>incident.reopened</c> event, when it happened (<c>event.occurred_at</c>).
    /// </summary>
    private static DateTimeOffset? ReadReopenedAt(PayloadReader r, PayloadObject e, PayloadObject data, string? eventType) =>
        PayloadReader.Has(data, "reopened_at") ? r.Timestamp(data, "reopened_at")
        : string.Equals(eventType, "incident.reopened", StringComparison.OrdinalIgnoreCase) ? r.Timestamp(e, "occurred_at")
        : null;

    /// <summary>Incident types are named per account (<c>major_default</c>, "Major Incident"): "major" in the name is major.</summary>
    private static bool IsMajorType(PayloadReader r, PayloadObject data) =>
        r.String(r.Object(data, "incident_type"), "name") is { } name && name.Contains("major", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The priority's summary when it is P1..P5 (accounts may name priorities as they like: the policy may map those),
    /// else the urgency (high P2, low P4), else no priority.
    /// </summary>
    private static Priority ReadPriority(PayloadReader r, PayloadObject data, string? summary) =>
        PayloadReader.TryChoose(summary, PayloadReader.PriorityNames, out var priority) ? priority
        : PayloadReader.TryChoose(r.String(data, "urgency"), _urgencies, out var byUrgency) ? byUrgency
        : Priority.None;
}
