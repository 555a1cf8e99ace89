using ContinuityHub.Azure;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using ContinuityHub.Reporting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Functions;

/// <summary>
/// The hub's timers: drain the incident queue, re-assess open incidents as their clocks run, re-drive archived
/// deliveries that were never processed, write the weekly continuity report. Schedules are app settings
/// (<c>%IncidentQueuePollSchedule%</c>, <c>%ReassessSchedule%</c>, <c>%IntakeRedriveSchedule%</c>,
/// <c>%ReportSchedule%</c>), deliver the notification outbox and escalate unacknowledged alerts
/// (<c>%NotificationSweepSchedule%</c>, <c>%EscalationSchedule%</c>); failures surface to <see cref="ExceptionLoggingMiddleware"/>.
/// </summary>
public sealed partial class TimerFunctions(
    IncidentQueueDrainer drainer,
    ReassessService reassess,
    IntakeRedriveService redrive,
    ReportService reports,
    NotificationSender notifications,
    EscalationService escalation,
    ReportAnnouncer announcer,
    TimeProvider time,
    ILogger<TimerFunctions> logger)
{
    /// <summary>How far back the re-drive sweep looks for archived deliveries never processed.</summary>
    public static readonly TimeSpan RedriveLookBack = TimeSpan.FromDays(1);

    /// <summary>Drains the Service Bus incident queue (the Service Bus trigger extension is not available to this app).</summary>
    [Function(nameof(DrainIncidentQueue))]
    public async Task DrainIncidentQueue([TimerTrigger("%IncidentQueuePollSchedule%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        PastDue(timer, nameof(DrainIncidentQueue));
        await drainer.DrainAsync(context.CancellationToken);
    }

    [Function(nameof(ReassessOpenIncidents))]
    public async Task ReassessOpenIncidents([TimerTrigger("%ReassessSchedule%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        PastDue(timer, nameof(ReassessOpenIncidents));
        var result = await reassess.ReassessOpenAsync(context.CancellationToken);
        if (result.Changed > 0 || result.Conflicts > 0)
        {
            Log.Reassessed(logger, result.Open, result.Changed, result.Conflicts);
        }
    }

    [Function(nameof(RedriveIntakeArchive))]
    public async Task RedriveIntakeArchive([TimerTrigger("%IntakeRedriveSchedule%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        PastDue(timer, nameof(RedriveIntakeArchive));
        var result = await redrive.RedriveAsync(time.GetUtcNow() - RedriveLookBack, IntakeRedriveService.Grace, null, context.CancellationToken);
        if (result.Found > 0)
        {
            Log.Redriven(logger, result.Found, result.Accepted, result.Duplicates, result.Rejected, result.Failed);
        }
    }

    /// <summary>
    /// Writes the continuity report for today (UTC, by the app's clock) to <c>reports/{yyyy-MM-dd}/</c>: the stored
    /// catalogue and the incidents started in the seven days before, then posts its summary card to the continuity
    /// channel when one is configured (once per report date). A second run on the same day writes only what changed.
    /// </summary>
    [Function(nameof(WriteContinuityReport))]
    public async Task WriteContinuityReport([TimerTrigger($"%{HubSettings.ReportSchedule}%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        PastDue(timer, nameof(WriteContinuityReport));
        var reportDate = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var outcome = await reports.WriteAsync(reportDate, context.CancellationToken);
        await announcer.AnnounceAsync(outcome.Report, context.CancellationToken);
    }

    /// <summary>Delivers what the notification outbox still holds (Graph throttling or an outage kept it), in order per incident.</summary>
    [Function(nameof(SweepNotificationOutbox))]
    public async Task SweepNotificationOutbox([TimerTrigger($"%{HubSettings.NotificationSweepSchedule}%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        PastDue(timer, nameof(SweepNotificationOutbox));
        var result = await notifications.SweepAsync(context.CancellationToken);
        await announcer.RetryPendingAsync(context.CancellationToken);
        if (result.Incidents > 0)
        {
            Log.Swept(logger, result.Incidents, result.Delivered, result.Pending);
        }
    }

    /// <summary>Pages the next roster tier of every alert nobody acknowledged within its plan's escalation delay.</summary>
    [Function(nameof(EscalateUnacknowledgedAlerts))]
    public async Task EscalateUnacknowledgedAlerts([TimerTrigger($"%{HubSettings.EscalationSchedule}%")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        PastDue(timer, nameof(EscalateUnacknowledgedAlerts));
        var result = await escalation.EscalateDueAsync(context.CancellationToken);
        if (result.Due > 0)
        {
            Log.Escalated(logger, result.Due, result.Escalated, result.Exhausted);
        }
    }

    private void PastDue(TimerInfo timer, string functionName)
    {
        if (timer.IsPastDue)
        {
            Log.PastDue(logger, functionName);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Timer {FunctionName} is running past due")]
        public static partial void PastDue(ILogger logger, string functionName);

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
    }
}
