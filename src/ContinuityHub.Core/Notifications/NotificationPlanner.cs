using ContinuityHub.Assessment;
using ContinuityHub.Intake;

namespace ContinuityHub.Notifications;

/// <summary>
/// Decides what an incident's new level means for its crisis teams, from the level they were last alerted at
/// (<see cref="StoredIncident.AlertedLevel"/>): a rise to Alert or above, beyond it, alerts (the first time a new
/// conversation, then a reply in it); a fall to None after an alert stands the teams down. Anything else changes
/// nothing in Teams. The entry is written with the incident change, in the same transaction.
/// </summary>
public static class NotificationPlanner
{
    /// <summary>The outbox entry the change calls for (or null) and the alerted level to store with the incident.</summary>
    public static (OutboxEntry? Entry, AssessmentLevel Alerted) Plan(
        string incidentKey,
        AssessmentLevel alerted,
        AssessmentLevel level,
        IReadOnlyList<string> plans,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plans);
        if (level >= AssessmentLevel.Alert && level > alerted)
        {
            return (new OutboxEntry(incidentKey, OutboxEntry.IdAt(at), at, OutboxKind.Alert, level, plans), level);
        }

        if (level == AssessmentLevel.None && alerted >= AssessmentLevel.Alert)
        {
            return (new OutboxEntry(incidentKey, OutboxEntry.IdAt(at), at, OutboxKind.StandDown, level, plans), AssessmentLevel.None);
        }

        return (null, alerted);
    }
}
