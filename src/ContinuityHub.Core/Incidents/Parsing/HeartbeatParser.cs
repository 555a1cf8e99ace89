using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// The hub's own RPO reports, which its heartbeat timer sends through the intake like any delivery:
/// <c>{"service", "heartbeat", "state": "Open"|"Resolved", "recoveryPointAt", "title"}</c>. The incident's id is
/// <c>{service}~{heartbeat}</c> (key <c>heartbeat~{service}~{heartbeat}</c>), its start the last recovery point (the
/// data at risk is everything since), its one alias the service id.
/// </summary>
public sealed class HeartbeatParser : IIncidentParser
{
    private static readonly (string, IncidentState)[] _states = [("Open", IncidentState.Open), ("Resolved", IncidentState.Resolved)];

    public AliasSource Source => AliasSource.Heartbeat;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var service = r.String(payload, "service", required: true);
        var heartbeat = r.String(payload, "heartbeat", required: true);
        foreach (var (name, value) in new[] { ("service", service), ("heartbeat", heartbeat) })
        {
            if (value is not null && (value.Contains('~', StringComparison.Ordinal) || value.Any(char.IsWhiteSpace)))
            {
                r.Problem(name, "holds '~' or a space: expected an id of letters, digits and '-'");
            }
        }

        var state = r.Choice(payload, "state", "state", _states) ?? IncidentState.Open;
        var recoveryPoint = r.Timestamp(payload, "recoveryPointAt", required: true);
        return new IncidentDraft
        {
            ExternalId = service is null || heartbeat is null ? null : service + "~" + heartbeat,
            ExternalIdPath = payload.PathOf("service"),
            Title = r.String(payload, "title") ?? $"RPO at risk: {service} (heartbeat {heartbeat})",
            Priority = Priority.P2,
            State = state,
            StartedAt = recoveryPoint,

            // At risk again after it recovered: the new exposure counts from the new recovery point, not from now.
            ReopenedAt = state == IncidentState.Open ? recoveryPoint : null,
            Aliases = service is null ? [] : [service],
        };
    });
}
