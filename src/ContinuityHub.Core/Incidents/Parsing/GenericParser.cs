using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// The hub's own schema, for tools without a parser of their own:
/// <c>{"id", "title", "priority": "P1".."P5", "state": "Open"|"Mitigated"|"Resolved"|"Closed", "startedAt",
/// "services": [], "major", "estimatedRestoreAt", "link"}</c>; times are ISO 8601 with an offset.
/// </summary>
public sealed class GenericParser : IIncidentParser
{
    private static readonly (string, IncidentState)[] _states =
        [("Open", IncidentState.Open), ("Mitigated", IncidentState.Mitigated), ("Resolved", IncidentState.Resolved), ("Closed", IncidentState.Closed)];

    public AliasSource Source => AliasSource.Generic;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var draft = new IncidentDraft
        {
            ExternalId = r.String(payload, "id", required: true),
            Title = r.String(payload, "title", required: true),
            Priority = r.Choice(payload, "priority", "priority", PayloadReader.PriorityNames, required: true),
            Major = r.Boolean(payload, "major") ?? false,
            State = r.Choice(payload, "state", "state", _states) ?? IncidentState.Open,
            StartedAt = r.Timestamp(payload, "startedAt", required: true),
            EstimatedRestoreAt = r.Timestamp(payload, "estimatedRestoreAt"),
            Aliases = r.Strings(payload, "services"),
            Link = r.Url(payload, "link"),
        };

        if (draft.EstimatedRestoreAt < draft.StartedAt)
        {
            r.Problem("estimatedRestoreAt", $"is before startedAt ({draft.StartedAt:O})");
        }

        return draft;
    });
}
