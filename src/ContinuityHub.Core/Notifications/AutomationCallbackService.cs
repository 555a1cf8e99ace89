using ContinuityHub.Assessment;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications;

public enum CallbackOutcome
{
    /// <summary>The status was recorded: 202.</summary>
    Recorded,

    /// <summary>Not a callback link this hub made: 401.</summary>
    Forged,

    /// <summary>The link expired, or its run is not stored (any more): 410.</summary>
    Gone,

    /// <summary>This status was reported already, or the run already finished: 410.</summary>
    AlreadyReported,
}

/// <summary>What came of a callback, in words the automation's author reads.</summary>
public sealed record CallbackResult(CallbackOutcome Outcome, string Message, AutomationClaim? Claim, AutomationReport? Report);

/// <summary>
/// The automations' callbacks (<c>POST /api/automations/{token}</c>): each status (started, succeeded, failed) is taken
/// once per run, and nothing after succeeded or failed. A status is recorded on the run together with an outbox entry
/// (one write in the incident's partition), audited, and the sender replies in the crisis team's conversation. A
/// forged, expired or repeated callback records nothing.
/// </summary>
public sealed partial class AutomationCallbackService(
    AutomationTokens tokens,
    IAlertStore alerts,
    IAuditLog audit,
    IOutboxDispatcher dispatcher,
    TimeProvider time,
    ILogger<AutomationCallbackService> logger)
{
    private const int MaxAttempts = 10;

    public async Task<CallbackResult> ReportAsync(string token, AutomationStatus status, string? message, Uri? link, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (tokens.Verify(token, now, out var claim))
        {
            case TokenCheck.Forged:
                return new CallbackResult(CallbackOutcome.Forged, "This is not a callback link of this hub.", null, null);
            case TokenCheck.Expired:
                return new CallbackResult(CallbackOutcome.Gone, $"This callback link expired at {HumanText.Time(claim!.ExpiresAt)}.", claim, null);
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var run = await alerts.FindRunAsync(claim!.IncidentKey, claim.Plan, claim.Automation, cancellationToken);
            if (run is null || run.EventId != claim.EventId)
            {
                return new CallbackResult(CallbackOutcome.Gone, $"The hub holds no request of automation {claim.Automation} for incident {claim.IncidentKey} any more.", claim, null);
            }

            if (run.Reports.FirstOrDefault(r => r.Status == status) is { } twice)
            {
                return new CallbackResult(CallbackOutcome.AlreadyReported, $"Automation {run.Automation} reported {Name(status)} already, at {HumanText.Time(twice.At)}.", claim, twice);
            }

            if (run.Finished)
            {
                var end = run.Reports.Last(r => r.Status is AutomationStatus.Succeeded or AutomationStatus.Failed);
                return new CallbackResult(CallbackOutcome.AlreadyReported, $"Automation {run.Automation} finished already: it reported {Name(end.Status)} at {HumanText.Time(end.At)}.", claim, end);
            }

            var report = new AutomationReport(status, now, Clean(message), link);

            // Started: the hub waits its timeout again for the result (while it still waits at all); a result ends the wait.
            var rearmed = status == AutomationStatus.Started && run is { CallbackDue: { } due, SentAt: { } sent } ? now + (due - sent) : (DateTimeOffset?)null;
            var updated = run with { Reports = [.. run.Reports, report], CallbackDue = rearmed };
            var level = (await alerts.FindAlertAsync(run.IncidentKey, run.Plan, cancellationToken))?.Level ?? AssessmentLevel.Alert;
            var entry = new OutboxEntry(run.IncidentKey, OutboxEntry.IdAt(now), now, OutboxKind.AutomationReported, level, [run.Plan], Actor: "automation " + run.Automation)
            {
                Automation = run.Automation,
                Status = status,
            };
            if (await alerts.WriteAsync(new AlertWrite(run.IncidentKey, [], [entry]) { Runs = [updated] }, cancellationToken) != WriteOutcome.Written)
            {
                continue;
            }

            Log.Reported(logger, run.IncidentKey, run.Plan, run.Automation, status);
            await audit.AppendAsync(
                new AuditEntry(now, "automation " + run.Automation, "Automation" + status, run.IncidentKey, $"plan {run.Plan}: {Name(status)}{(report.Message is { } said ? ": " + said : string.Empty)}"),
                cancellationToken);
            await dispatcher.DispatchAsync(run.IncidentKey, cancellationToken);
            return new CallbackResult(CallbackOutcome.Recorded, $"Recorded: automation {run.Automation} {Name(status)} for incident {run.IncidentKey} (plan {run.Plan}).", claim, report);
        }

        throw new ConcurrencyConflictException($"The run of automation {claim!.Automation} for incident {claim.IncidentKey} kept changing; report the status again.");
    }

    /// <summary>The status as a callback spells it.</summary>
    public static string Name(AutomationStatus status) => status.ToString().ToLowerInvariant();

    private static string? Clean(string? message) =>
        string.IsNullOrWhiteSpace(message) ? null : HumanText.Truncate(message.Trim(), AutomationRun.MaxMessageChars);

    private static partial class Log
    {
        [LoggerMessage(EventId = 6310, Level = LogLevel.Information, Message = "Automation {Automation} of plan {Plan} reported {Status} for incident {IncidentKey}")]
        public static partial void Reported(ILogger logger, string incidentKey, string plan, string automation, AutomationStatus status);
    }
}

/// <summary>What a timeout run did.</summary>
public sealed record AutomationTimeoutResult(int Due, int Reported);

/// <summary>
/// Says on the card when an automation sent no callback within its timeout (run by the escalation timer): the run is
/// marked overdue and an outbox entry written in one write; the sender replies in the conversation. Said once per run
/// (and once more after a <c>started</c> with no result).
/// </summary>
public sealed partial class AutomationTimeoutService(IAlertStore alerts, IOutboxDispatcher dispatcher, TimeProvider time, ILogger<AutomationTimeoutService> logger)
{
    public async Task<AutomationTimeoutResult> ReportOverdueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<AutomationRun>();
        await foreach (var run in alerts.ListRunsOverdueAsync(now, cancellationToken))
        {
            due.Add(run);
        }

        var reported = 0;
        foreach (var run in due)
        {
            var level = (await alerts.FindAlertAsync(run.IncidentKey, run.Plan, cancellationToken))?.Level ?? AssessmentLevel.Alert;
            var entry = new OutboxEntry(run.IncidentKey, OutboxEntry.IdAt(now), now, OutboxKind.AutomationOverdue, level, [run.Plan], Actor: "automation " + run.Automation)
            {
                Automation = run.Automation,
            };

            // A callback that came meanwhile changed the run (its ETag): then nothing is overdue.
            if (await alerts.WriteAsync(new AlertWrite(run.IncidentKey, [], [entry]) { Runs = [run with { CallbackDue = null, Overdue = true }] }, cancellationToken) == WriteOutcome.Written)
            {
                reported++;
                Log.Overdue(logger, run.IncidentKey, run.Plan, run.Automation, run.SentAt ?? run.RequestedAt);
                await dispatcher.DispatchAsync(run.IncidentKey, cancellationToken);
            }
        }

        return new AutomationTimeoutResult(due.Count, reported);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6311, Level = LogLevel.Warning, Message = "Automation {Automation} of plan {Plan} (incident {IncidentKey}), requested at {RequestedAt}, has not reported back within its timeout")]
        public static partial void Overdue(ILogger logger, string incidentKey, string plan, string automation, DateTimeOffset requestedAt);
    }
}
