using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications;

/// <summary>What an escalation run did.</summary>
public sealed record EscalationResult(int Due, int Escalated, int Exhausted);

/// <summary>
/// Pages the next roster tier of every alert nobody acknowledged within its plan's escalation delay (timer
/// <c>%EscalationSchedule%</c>): the alert records the tier paged and the next escalation time, and an Escalate entry
/// goes to the outbox in the same write; the sender then replies in the conversation and notifies the new tier.
/// After the last tier, escalation stops (the card shows everyone paged).
/// </summary>
public sealed partial class EscalationService(
    IAlertStore alerts,
    ICatalogProvider catalogs,
    IOutboxDispatcher dispatcher,
    TimeProvider time,
    ILogger<EscalationService> logger)
{
    public async Task<EscalationResult> EscalateDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = (await catalogs.GetAsync(cancellationToken)).Catalog;
        var due = new List<PlanAlert>();
        await foreach (var alert in alerts.ListEscalationsDueAsync(now, cancellationToken))
        {
            due.Add(alert);
        }

        int escalated = 0, exhausted = 0;
        foreach (var alert in due)
        {
            var team = catalog.Plans.FirstOrDefault(p => p.Id == alert.Plan)?.CrisisTeam;
            // An exercise escalates within its participants only, tier by tier as the sender pages them.
            if (team is not null && ExerciseMark.ExerciseIdOf(alert.IncidentKey) is { } exerciseId && catalog.Exercises.FirstOrDefault(e => e.Id == exerciseId) is { } exercise)
            {
                team = ExerciseMark.Within(team, exercise.Participants);
            }

            var next = alert.Paged.Count == 0 ? 0 : alert.Paged.Max(p => p.Tier) + 1;
            if (alert.Status != AlertStatus.Active || team is null || next >= team.Tiers.Count)
            {
                // Acknowledged, decided, or out of tiers: nothing more to page.
                await alerts.WriteAsync(new AlertWrite(alert.IncidentKey, [alert with { NextEscalationAt = null }], []), cancellationToken);
                exhausted++;
                continue;
            }

            var paged = new PagedTier(next, team.Tiers[next], now);
            var updated = alert with
            {
                Paged = [.. alert.Paged, paged],
                NextEscalationAt = next + 1 < team.Tiers.Count ? now + team.EscalationDelay : null,
            };
            var entry = new OutboxEntry(alert.IncidentKey, OutboxEntry.IdAt(now), now, OutboxKind.Escalate, alert.Level, [alert.Plan], Tier: next);
            if (await alerts.WriteAsync(new AlertWrite(alert.IncidentKey, [updated], [entry]), cancellationToken) == WriteOutcome.Written)
            {
                escalated++;
                Log.Escalated(logger, alert.IncidentKey, alert.Plan, next + 1);
                await dispatcher.DispatchAsync(alert.IncidentKey, cancellationToken);
            }
        }

        return new EscalationResult(due.Count, escalated, exhausted);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6300, Level = LogLevel.Warning, Message = "Nobody acknowledged incident {IncidentKey} for plan {Plan}: escalated to tier {Tier}")]
        public static partial void Escalated(ILogger logger, string incidentKey, string plan, int tier);
    }
}
