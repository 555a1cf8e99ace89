using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// The hub's own schema, for tools without a parser of their own:
/// <c>{"id", "title", "priority": "P1".."P5", "state": "Open"|"Mitigated"|"Resolved"|"Closed", "startedAt",
/// "services": [], "major", "estimatedRestoreAt", "link"}</c>; times are ISO 8601 with an offset. Without a priority
/// (or with a name of the sender's own that the policy does not map) the incident has none; its clock still runs.
/// </summary>
public sealed class GenericParser : IIncidentParser
{
    private static readonly (string, IncidentState)[] _states =
        [("Open", IncidentState.Open), ("Mitigated", IncidentState.Mitigated), ("Resolved", IncidentState.Resolved), ("Closed", IncidentState.Closed)];

    public AliasSource Source => AliasSource.Generic;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var named = r.String(payload, "priority");
        var draft = new IncidentDraft
        {
            ExternalId = r.String(payload, "id", required: true),
            ExternalIdPath = payload.PathOf("id"),
            Title = r.String(payload, "title", required: true),
            Priority = PayloadReader.TryChoose(named, PayloadReader.PriorityNames, out var priority) ? priority : Priority.None,
            SourcePriority = named,
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
