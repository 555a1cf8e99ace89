using ContinuityHub.Azure;
using ContinuityHub.Azure.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Functions;

/// <summary>
/// The hub's timers, each one call to its scheduled work (<see cref="IScheduledWork"/>, which <c>hub serve</c> runs
/// too): drain the incident queue, re-assess open incidents, re-drive archived deliveries never processed, write the
/// weekly continuity report, deliver the notification outbox, escalate unacknowledged alerts, run the RPO clock. Schedules are app
/// settings (<c>%IncidentQueuePollSchedule%</c> …); failures surface to <see cref="ExceptionLoggingMiddleware"/>.
/// </summary>
public sealed partial class TimerFunctions(
    IncidentQueueDrainWork drain,
    ReassessWork reassess,
    IntakeRedriveWork redrive,
    ContinuityReportWork report,
    OutboxSweepWork sweep,
    EscalationWork escalation,
    HeartbeatWork heartbeats,
    ExerciseWork exercises,
    ReviewWork reviews,
    ILogger<TimerFunctions> logger)
{
    /// <summary>Drains the Service Bus incident queue (the Service Bus trigger extension is not available to this app).</summary>
    [Function(nameof(DrainIncidentQueue))]
    public Task DrainIncidentQueue([TimerTrigger($"%{HubSettings.IncidentQueuePollSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(drain, timer, context);

    [Function(nameof(ReassessOpenIncidents))]
    public Task ReassessOpenIncidents([TimerTrigger($"%{HubSettings.ReassessSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(reassess, timer, context);

    [Function(nameof(RedriveIntakeArchive))]
    public Task RedriveIntakeArchive([TimerTrigger($"%{HubSettings.IntakeRedriveSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(redrive, timer, context);

    /// <summary>Writes today's continuity report and posts its summary card (once per report date).</summary>
    [Function(nameof(WriteContinuityReport))]
    public Task WriteContinuityReport([TimerTrigger($"%{HubSettings.ReportSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(report, timer, context);

    /// <summary>Delivers what the notification outbox still holds (Graph throttling or an outage kept it), and the report cards not yet posted.</summary>
    [Function(nameof(SweepNotificationOutbox))]
    public Task SweepNotificationOutbox([TimerTrigger($"%{HubSettings.NotificationSweepSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(sweep, timer, context);

    /// <summary>Pages the next roster tier of every alert nobody acknowledged within its plan's escalation delay.</summary>
    [Function(nameof(EscalateUnacknowledgedAlerts))]
    public Task EscalateUnacknowledgedAlerts([TimerTrigger($"%{HubSettings.EscalationSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(escalation, timer, context);

    /// <summary>The RPO clock: raises an incident when a heartbeat's data exposure reaches its share of the RPO, resolves it when a fresh recovery point comes.</summary>
    [Function(nameof(CheckHeartbeats))]
    public Task CheckHeartbeats([TimerTrigger($"%{HubSettings.HeartbeatSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(heartbeats, timer, context);

    /// <summary>Plays the injects of exercises started on the hub as they fall due; at their end, the after-action report and summary card.</summary>
    [Function(nameof(PlayExercises))]
    public Task PlayExercises([TimerTrigger($"%{HubSettings.ExerciseSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(exercises, timer, context);

    /// <summary>Drafts the post-incident review of each resolved real incident that reached Alert, once, and tells its plan owners.</summary>
    [Function(nameof(DraftPostIncidentReviews))]
    public Task DraftPostIncidentReviews([TimerTrigger($"%{HubSettings.ReviewSchedule}%")] TimerInfo timer, FunctionContext context) => RunAsync(reviews, timer, context);

    private Task RunAsync(IScheduledWork work, TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        if (timer.IsPastDue)
        {
            Log.PastDue(logger, work.Name);
        }

        return work.RunAsync(context.CancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Timer {FunctionName} is running past due")]
        public static partial void PastDue(ILogger logger, string functionName);
    }
}
