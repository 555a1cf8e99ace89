using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Intake;

public sealed record ReassessResult(int Open, int Changed, int Conflicts);

/// <summary>
/// Re-assesses every open incident as its clock runs: when a level changes, the incident row and a new assessment
/// are written together. An incident that changed meanwhile is left to the next run.
/// </summary>
public sealed partial class ReassessService(
    IIncidentStore store,
    ICatalogProvider catalogs,
    TimeProvider time,
    ILogger<ReassessService> logger,
    IOutboxDispatcher? dispatcher = null)
{
    public async Task<ReassessResult> ReassessOpenAsync(CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        int open = 0, changed = 0, conflicts = 0;
        await foreach (var incident in store.ListOpenAsync(cancellationToken))
        {
            open++;
            var now = time.GetUtcNow();
            var assessment = InvocationClock.Assess(incident.Incident, catalog, now);
            if (assessment.Level == incident.Level)
            {
                continue;
            }

            var document = AssessmentJson.ToDocument(assessment);
            var (notification, alerted) = NotificationPlanner.Plan(incident.Incident.Key, incident.AlertedLevel, incident.Level, assessment.Level, assessment.Plans, now);
            var write = new IncidentWrite(
                incident with { Level = assessment.Level, LatestAssessment = document, LastUpdated = now, AlertedLevel = alerted },
                null,
                new AssessmentEntry(now, assessment.Level, document),
                notification is null ? null : [notification]);
            if (await store.WriteAsync(write, cancellationToken) == WriteOutcome.Written)
            {
                changed++;
                var source = CatalogNames.Name(incident.Incident.Source);
                Log.LevelChanged(logger, incident.Incident.Key, source, incident.Level, assessment.Level);
                if (notification is not null && dispatcher is not null)
                {
                    await dispatcher.DispatchAsync(incident.Incident.Key, cancellationToken);
                }
            }
            else
            {
                conflicts++;
            }
        }

        return new ReassessResult(open, changed, conflicts);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Incident {IncidentKey} from {Source} re-assessed: level {From} -> {To}")]
        public static partial void LevelChanged(ILogger logger, string incidentKey, string source, AssessmentLevel from, AssessmentLevel to);
    }
}
