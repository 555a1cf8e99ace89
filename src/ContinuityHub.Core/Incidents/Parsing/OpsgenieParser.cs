using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// An Opsgenie outgoing webhook (<c>{"action": "Create", "alert": {"alertId", "message", "priority", "createdAt", …}}</c>).
/// The alert's entity, alias and tags name what is affected; a <c>Close</c> or <c>Delete</c> action resolves it,
/// <c>Create</c> and <c>(Un)Acknowledge</c> say it is open, and any other action (a note, a tag) leaves its state as it was.
/// Tags are also the markers the policy may name as major.
/// </summary>
public sealed class OpsgenieParser : IIncidentParser
{
    private static readonly string[] _resolvingActions = ["Close", "Delete"];

    // The actions that say the alert is open; any other (AddNote, AddTags, Escalate, …) says nothing of its state.
    private static readonly string[] _openingActions = ["Create", "Acknowledge", "UnAcknowledge"];

    public AliasSource Source => AliasSource.Opsgenie;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var action = r.String(payload, "action");
        var alert = r.Object(payload, "alert", required: true);
        var tags = r.Strings(alert, "tags");
        return new IncidentDraft
        {
            ExternalId = r.String(alert, "alertId", required: true),
            ExternalIdPath = alert.PathOf("alertId"),
            Title = r.String(alert, "message", required: true),
            Priority = ReadPriority(r, alert, out var named),
            SourcePriority = named,
            Markers = tags,
            State = _resolvingActions.Contains(action, StringComparer.OrdinalIgnoreCase) ? IncidentState.Resolved : IncidentState.Open,
            StateIsImplied = !_resolvingActions.Contains(action, StringComparer.OrdinalIgnoreCase)
                && !_openingActions.Contains(action, StringComparer.OrdinalIgnoreCase),
            StartedAt = r.EpochMilliseconds(alert, "createdAt", required: true),
            Aliases = [r.String(alert, "entity"), .. tags, r.String(alert, "alias")],
        };
    });

    /// <summary>
    /// <c>P1</c>..<c>P5</c>, or the number alone (<c>3</c>, as some deliveries send it). Atlassian's documented Create,
    /// Acknowledge and Close samples have no priority at all: that is an incident without a priority (its clock
    /// still runs), and a Close without one still resolves the alert. <paramref name="named"/> is what was sent,
    /// for the policy's mapping; a name the hub does not know is no priority unless the policy maps it.
    /// </summary>
    private static Priority ReadPriority(PayloadReader r, PayloadObject alert, out string? named)
    {
        named = null;
        if (!alert.TryGet("priority", out var value))
        {
            return Priority.None;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                named = value.GetRawText();
                return value.TryGetInt32(out var n) && n is >= 1 and <= 5 ? (Priority)n : Priority.None;
            case JsonValueKind.String:
                // A blank priority says no more than an absent one.
                named = r.String(alert, "priority");
                return PayloadReader.TryChoose(named, PayloadReader.PriorityNames, out var p) ? p : Priority.None;
            default:
                r.WrongType(alert.PathOf("priority"), value, "P1..P5 or a number 1..5");
                return Priority.None;
        }
    }
}
