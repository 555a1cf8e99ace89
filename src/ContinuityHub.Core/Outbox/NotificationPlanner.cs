using ContinuityHub.Assessment;

namespace ContinuityHub.Outbox;

/// <summary>
/// Decides what an incident's new level means for its crisis teams, from the level they were last alerted at
/// (<see cref="StoredIncident.AlertedLevel"/>, the highest since the last stand-down) and the level before: a rise to
/// Alert or above, beyond the alerted level, alerts (the first time a new conversation, then a reply in it, and the
/// tier on duty is paged); any other change while a conversation is open is a reply in it (nobody paged); a fall to
/// None after an alert stands the teams down. The entry is written with the incident change, in the same transaction.
/// </summary>
public static class NotificationPlanner
{
    /// <summary>The outbox entry the change calls for (or null) and the alerted level to store with the incident.</summary>
    public static (OutboxEntry? Entry, AssessmentLevel Alerted) Plan(
        string incidentKey,
        AssessmentLevel alerted,
        AssessmentLevel previous,
        AssessmentLevel level,
        IReadOnlyList<string> plans,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plans);
        if (level >= AssessmentLevel.Alert && level > alerted)
        {
            return (new OutboxEntry(incidentKey, OutboxEntry.IdAt(at), at, OutboxKind.Alert, level, plans), level);
        }

        if (alerted >= AssessmentLevel.Alert && level == AssessmentLevel.None)
        {
            return (new OutboxEntry(incidentKey, OutboxEntry.IdAt(at), at, OutboxKind.StandDown, level, plans), AssessmentLevel.None);
        }

        if (alerted >= AssessmentLevel.Alert && level != previous)
        {
            return (new OutboxEntry(incidentKey, OutboxEntry.IdAt(at), at, OutboxKind.LevelChange, level, plans), alerted);
        }

        return (null, alerted);
    }
}
