using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Scheduling;

/// <summary>
/// One piece of the hub's scheduled work: a Functions timer calls <see cref="RunAsync"/> and nothing else, and
/// <c>hub serve</c> runs the same list (<see cref="ScheduledWorkServiceCollectionExtensions.AddScheduledWork"/>) on the
/// same schedule settings, so both hosts do the same work. A run computes its own window from the clock.
/// </summary>
public interface IScheduledWork
{
    /// <summary>The timer function that runs it.</summary>
    string Name { get; }

    /// <summary>The app setting holding its NCRONTAB schedule (the timer's <c>%Setting%</c>).</summary>
    string ScheduleSetting { get; }

    /// <summary>The schedule Bicep deploys when the setting is not overridden.</summary>
    string DefaultSchedule { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Drains the Service Bus incident queue; off (does nothing) when <c>ServiceBus</c> is not set.</summary>
public sealed class IncidentQueueDrainWork(IncidentQueueDrainer drainer) : IScheduledWork
{
    public string Name => "DrainIncidentQueue";

    public string ScheduleSetting => HubSettings.IncidentQueuePollSchedule;

    public string DefaultSchedule => "*/10 * * * * *";

    public bool IsEnabled => drainer.IsEnabled;

    public Task RunAsync(CancellationToken cancellationToken) => drainer.DrainAsync(cancellationToken);
}

/// <summary>Re-assesses every open incident as its clocks run, and says in the crisis channels when maintenance windows begin and end.</summary>
public sealed class ReassessWork(ReassessService reassess, MaintenanceNotices maintenance, ILogger<ReassessWork> logger) : IScheduledWork
{
    public string Name => "ReassessOpenIncidents";

    public string ScheduleSetting => HubSettings.ReassessSchedule;

    public string DefaultSchedule => "0 */1 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await reassess.ReassessOpenAsync(cancellationToken);
        if (result.Changed > 0 || result.Conflicts > 0)
        {
            ScheduledWorkLog.Reassessed(logger, result.Open, result.Changed, result.Conflicts);
        }

        await maintenance.AnnounceAsync(cancellationToken);
    }
}

/// <summary>Re-drives archived deliveries of the last day that were never processed.</summary>
public sealed class IntakeRedriveWork(IntakeRedriveService redrive, TimeProvider time, ILogger<IntakeRedriveWork> logger) : IScheduledWork
{
    /// <summary>How far back the re-drive looks for archived deliveries never processed.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(1);

    public string Name => "RedriveIntakeArchive";

    public string ScheduleSetting => HubSettings.IntakeRedriveSchedule;

    public string DefaultSchedule => "0 */5 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await redrive.RedriveAsync(time.GetUtcNow() - LookBack, IntakeRedriveService.Grace, null, cancellationToken);
        if (result.Found > 0)
        {
            ScheduledWorkLog.Redriven(logger, result.Found, result.Accepted, result.Duplicates, result.Rejected, result.Failed);
        }
    }
}

/// <summary>
/// Writes the continuity report for today (UTC) to <c>reports/{yyyy-MM-dd}/</c> and posts its summary card to the
/// continuity channel when one is configured (once per report date).
/// </summary>
public sealed class ContinuityReportWork(ReportService reports, ReportAnnouncer announcer, TimeProvider time) : IScheduledWork
{
    public string Name => "WriteContinuityReport";

    public string ScheduleSetting => HubSettings.ReportSchedule;

    public string DefaultSchedule => "0 0 7 * * 1";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await reports.WriteAsync(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
        await announcer.AnnounceAsync(outcome.Report, cancellationToken);
    }
}

/// <summary>Delivers what the notification outbox still holds, and retries report summary cards not yet posted.</summary>
public sealed class OutboxSweepWork(NotificationSender sender, ReportAnnouncer announcer, ILogger<OutboxSweepWork> logger) : IScheduledWork
{
    public string Name => "SweepNotificationOutbox";

    public string ScheduleSetting => HubSettings.NotificationSweepSchedule;

    public string DefaultSchedule => "0 */1 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await sender.SweepAsync(cancellationToken);
        await announcer.RetryPendingAsync(cancellationToken);
        if (result.Incidents > 0)
        {
            ScheduledWorkLog.Swept(logger, result.Incidents, result.Delivered, result.Pending);
        }
    }
}

/// <summary>
/// Pages the next roster tier of every alert nobody acknowledged within its plan's escalation delay, and says on the
/// card when a plan's automation sent no callback within its timeout.
/// </summary>
public sealed class EscalationWork(EscalationService escalation, AutomationTimeoutService automations, ILogger<EscalationWork> logger) : IScheduledWork
{
    public string Name => "EscalateUnacknowledgedAlerts";

    public string ScheduleSetting => HubSettings.EscalationSchedule;

    public string DefaultSchedule => "0 */1 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await escalation.EscalateDueAsync(cancellationToken);
        if (result.Due > 0)
        {
            ScheduledWorkLog.Escalated(logger, result.Due, result.Escalated, result.Exhausted);
        }

        var overdue = await automations.ReportOverdueAsync(cancellationToken);
        if (overdue.Due > 0)
        {
            ScheduledWorkLog.AutomationsOverdue(logger, overdue.Due, overdue.Reported);
        }
    }
}

/// <summary>The RPO clock: each declared heartbeat's data exposure against its service's RPO, an incident raised or resolved where it crossed.</summary>
public sealed class HeartbeatWork(ContinuityHub.Heartbeats.HeartbeatService heartbeats, ILogger<HeartbeatWork> logger) : IScheduledWork
{
    public string Name => "CheckHeartbeats";

    public string ScheduleSetting => HubSettings.HeartbeatSchedule;

    public string DefaultSchedule => "0 */1 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await heartbeats.CheckAsync(cancellationToken);
        if (result.Raised > 0 || result.Resolved > 0)
        {
            ScheduledWorkLog.HeartbeatsChecked(logger, result.Heartbeats, result.Raised, result.Resolved);
        }
    }
}

/// <summary>Plays the injects of exercises started on the hub as they fall due, ends those whose end came, posts their summaries.</summary>
public sealed class ExerciseWork(ContinuityHub.Exercises.ExerciseRunService exercises, ILogger<ExerciseWork> logger) : IScheduledWork
{
    public string Name => "PlayExercises";

    public string ScheduleSetting => HubSettings.ExerciseSchedule;

    public string DefaultSchedule => "*/10 * * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await exercises.TickAsync(cancellationToken);
        if (result.InjectsPlayed > 0 || result.Ended > 0)
        {
            ScheduledWorkLog.ExercisesPlayed(logger, result.Runs, result.InjectsPlayed, result.Ended);
        }
    }
}

/// <summary>Drafts the post-incident review of each resolved real incident that reached Alert, once, and tells its plan owners.</summary>
public sealed class ReviewWork(ContinuityHub.Lessons.ReviewService reviews, ILogger<ReviewWork> logger) : IScheduledWork
{
    public string Name => "DraftPostIncidentReviews";

    public string ScheduleSetting => HubSettings.ReviewSchedule;

    public string DefaultSchedule => "0 */5 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await reviews.DraftDueAsync(cancellationToken);
        if (result.Drafted > 0 || result.Notified > 0)
        {
            ScheduledWorkLog.ReviewsDrafted(logger, result.Drafted, result.Notified);
        }
    }
}

internal static partial class ScheduledWorkLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Re-assessed {Open} open incidents: {Changed} changed level, {Conflicts} changed meanwhile and wait for the next run")]
    public static partial void Reassessed(ILogger logger, int open, int changed, int conflicts);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "Re-drove {Found} archived deliveries never processed: {Applied} applied, {AlreadyApplied} already applied, {Rejected} rejected, {Failed} failed")]
    public static partial void Redriven(ILogger logger, int found, int applied, int alreadyApplied, int rejected, int failed);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information,
        Message = "Notification outbox: {Incidents} incidents with pending entries, {Delivered} entries delivered, {Pending} still pending")]
    public static partial void Swept(ILogger logger, int incidents, int delivered, int pending);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information,
        Message = "Escalation: {Due} alerts due, {Escalated} escalated to their next tier, {Exhausted} acknowledged, decided or out of tiers")]
    public static partial void Escalated(ILogger logger, int due, int escalated, int exhausted);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information,
        Message = "Automations: {Due} waited past their timeout for a callback, {Reported} said on the card")]
    public static partial void AutomationsOverdue(ILogger logger, int due, int reported);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information,
        Message = "RPO clock: {Heartbeats} heartbeats checked, {Raised} RPO incidents raised, {Resolved} resolved")]
    public static partial void HeartbeatsChecked(ILogger logger, int heartbeats, int raised, int resolved);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information,
        Message = "Exercises: {Runs} runs, {Played} injects played, {Ended} ended with their after-action report")]
    public static partial void ExercisesPlayed(ILogger logger, int runs, int played, int ended);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Information,
        Message = "Post-incident reviews: {Drafted} drafted, {Notified} assigned to their plan owners")]
    public static partial void ReviewsDrafted(ILogger logger, int drafted, int notified);
}
