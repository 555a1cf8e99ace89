using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// An Opsgenie outgoing webhook (<c>{"action": "Create", "alert": {"alertId", "message", "priority", "createdAt", …}}</c>).
/// The alert's entity and tags name what is affected; a <c>Close</c> action resolves it.
/// </summary>
public sealed class OpsgenieParser : IIncidentParser
{
    public AliasSource Source => AliasSource.Opsgenie;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var action = r.String(payload, "action");
        var alert = r.Object(payload, "alert", required: true);
        return new IncidentDraft
        {
            ExternalId = r.String(alert, "alertId", required: true),
            Title = r.String(alert, "message", required: true),
            Priority = r.Choice(alert, "priority", "priority", PayloadReader.PriorityNames, required: true),
            State = string.Equals(action, "Close", StringComparison.OrdinalIgnoreCase) ? IncidentState.Resolved : IncidentState.Open,
            StartedAt = r.EpochMilliseconds(alert, "createdAt", required: true),
            Aliases = [r.String(alert, "entity"), .. r.Strings(alert, "tags")],
        };
    });
}
