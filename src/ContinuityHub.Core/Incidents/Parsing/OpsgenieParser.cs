using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// An Opsgenie outgoing webhook (<c>{"action": "Create", "alert": {"alertId", "message", "priority", "createdAt", …}}</c>).
/// The alert's entity, alias and tags name what is affected; a <c>Close</c> or <c>Delete</c> action resolves it.
/// </summary>
public sealed class OpsgenieParser : IIncidentParser
{
    private static readonly string[] _resolvingActions = ["Close", "Delete"];

    public AliasSource Source => AliasSource.Opsgenie;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        var action = r.String(payload, "action");
        var alert = r.Object(payload, "alert", required: true);
        return new IncidentDraft
        {
            ExternalId = r.String(alert, "alertId", required: true),
            Title = r.String(alert, "message", required: true),
            Priority = ReadPriority(r, alert),
            State = _resolvingActions.Contains(action, StringComparer.OrdinalIgnoreCase) ? IncidentState.Resolved : IncidentState.Open,
            StartedAt = r.EpochMilliseconds(alert, "createdAt", required: true),
            Aliases = [r.String(alert, "entity"), .. r.Strings(alert, "tags"), r.String(alert, "alias")],
        };
    });

    /// <summary>
    /// <c>P1</c>..<c>P5</c>, or the number alone (<c>3</c>, as some deliveries send it). Atlassian's documented Create,
    /// Acknowledge and Close samples have no priority at all: Opsgenie gives every alert created without one its
    /// default priority, P3, so an absent priority is read as P3 and a Close without one still resolves the alert.
    /// </summary>
    private static Priority? ReadPriority(PayloadReader r, PayloadObject alert)
    {
        if (!alert.Exists)
        {
            return null;
        }

        var path = alert.PathOf("priority");
        if (!alert.TryGet("priority", out var value))
        {
            return Priority.P3;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt32(out var n) && n is >= 1 and <= 5:
                return (Priority)n;
            case JsonValueKind.Number:
                r.Problem(path, $"unknown priority {value.GetRawText()} (expected P1, P2, P3, P4, P5)");
                return null;
            case JsonValueKind.String:
                // A blank priority says no more than an absent one.
                return r.String(alert, "priority") is { } text ? r.Choice(text, path, "priority", PayloadReader.PriorityNames) : Priority.P3;
            default:
                r.WrongType(path, value, "P1..P5 or a number 1..5");
                return null;
        }
    }
}
