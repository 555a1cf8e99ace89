using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// A PagerDuty V3 webhook (<c>{"event": {"id", "event_type": "incident.triggered", "data": {"type": "incident", …}}}</c>).
/// The incident's service names what is affected; without a P1..P5 priority, high urgency is P2 and low is P4.
/// </summary>
public sealed class PagerDutyParser : IIncidentParser
{
    private static readonly (string, Priority)[] _urgencies = [("high", Priority.P2), ("low", Priority.P4)];

    public AliasSource Source => AliasSource.PagerDuty;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
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

        var service = r.Object(data, "service");
        var serviceId = r.String(service, "id");
        var serviceName = r.String(service, "summary");
        return new IncidentDraft
        {
            ExternalId = r.String(data, "id", required: true),
            Title = r.String(data, "title", required: true),
            Priority = ReadPriority(r, data),
            State = string.Equals(eventType, "incident.resolved", StringComparison.OrdinalIgnoreCase)
                || string.Equals(r.String(data, "status"), "resolved", StringComparison.OrdinalIgnoreCase)
                    ? IncidentState.Resolved
                    : IncidentState.Open,
            StartedAt = r.Timestamp(data, "created_at", required: true),
            Aliases = [serviceId, serviceName],
            SameThing = [(serviceId, serviceName)],
            Link = r.String(data, "html_url"),
            EventId = r.String(e, "id"),
        };
    });

    /// <summary>The priority's summary when it is P1..P5 (accounts may name priorities as they like), else the urgency.</summary>
    private static Priority? ReadPriority(PayloadReader r, PayloadObject data)
    {
        var summary = r.String(r.Object(data, "priority"), "summary");
        var urgency = r.String(data, "urgency");
        if (PayloadReader.TryChoose(summary, PayloadReader.PriorityNames, out var priority))
        {
            return priority;
        }

        if (urgency is null)
        {
            // A wrong type was reported as such, and an absent data object where it was read.
            var wrongType = data.TryGet("urgency", out var u) && u.ValueKind != JsonValueKind.String;
            if (data.Exists && !wrongType)
            {
                r.Problem(data.PathOf("urgency"), summary is null
                    ? "is required (the incident has no priority)"
                    : $"is required (priority {PayloadReader.Quote(summary)} is not one of P1, P2, P3, P4, P5)");
            }

            return null;
        }

        return r.Choice(urgency, data.PathOf("urgency"), "urgency", _urgencies);
    }
}
