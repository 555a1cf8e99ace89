using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using ContinuityHub.Reactions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// Each plan's automations the entry sets off (<see cref="Triggered"/>): once per incident, a
/// <c>ContinuityHub.AutomationRequested</c> CloudEvent with a signed callback link. A run row is written before the
/// request goes out (so a fast callback finds it); the request is a ledger step like any other (sent once, retried
/// while transient), and when it went out the callback timeout is armed. Each plan's automations are a stream of their
/// own (<see cref="Stream"/>): a receiver that is down never holds the crisis team's messages, nor the reverse.
/// </summary>
internal sealed class AutomationHandler(
    IAlertStore alerts,
    IAutomationGateway gateway,
    AutomationTokens tokens,
    StepRunner steps,
    CrisisChannel channel,
    NotificationSettings settings,
    TimeProvider time,
    ILogger logger)
{
    private const string ResolvedActor = "ContinuityHub (the incident resolved)";
    private const int MaxRunWrites = 5;

    private static readonly StepKey RequestStep = new(DeliveryStep.AutomationRequest);

    /// <summary>The part's stream key: never a plan id (those hold no '~').</summary>
    public static string Stream(string plan) => "~automation~" + plan;

    /// <summary>The CloudEvent id of a plan's automation for an incident: the same for every entry and retry.</summary>
    public static string EventId(string incidentKey, string plan, string automation) => RequestStep.Id(incidentKey, plan, automation, "once");

    public IEnumerable<EntryPart> Parts(DeliveryContext context, CancellationToken cancellationToken)
    {
        // An exercise's automations run only when the exercise says they are live.
        if (context.Incident.Exercise is { LiveAutomations: false })
        {
            yield break;
        }

        foreach (var (plan, on, decision) in Triggered(context))
        {
            foreach (var automation in plan.Automations.Where(a => a.On == on))
            {
                yield return new EntryPart(Stream(plan.Id), () => RequestAsync(context, plan, automation, decision, cancellationToken));
            }
        }
    }

    /// <summary>
    /// What the entry means for each plan's automations: a rise to Alert (and RecommendInvocation) sets off those
    /// triggers; Invoke only by an invocation — a person's, or the clock's where the plan allows it, never the level
    /// alone; StandDown by a person's stand-down or the incident's resolution.
    /// </summary>
    internal static IEnumerable<(ContinuityPlan Plan, AutomationTrigger On, AutomationDecision? Decision)> Triggered(DeliveryContext context)
    {
        var entry = context.Entry;
        var plans = entry.Plans.Distinct(StringComparer.Ordinal)
            .Select(id => context.Plans.GetValueOrDefault(id))
            .OfType<ContinuityPlan>()
            .Where(plan => plan.Automations.Count > 0);
        foreach (var plan in plans)
        {
            switch (entry.Kind)
            {
                case OutboxKind.Alert:
                    var level = context.LevelFor(plan.Id);
                    if (level >= AssessmentLevel.Alert)
                    {
                        yield return (plan, AutomationTrigger.Alert, null);
                    }

                    if (level >= AssessmentLevel.RecommendInvocation)
                    {
                        yield return (plan, AutomationTrigger.RecommendInvocation, null);
                    }

                    if (level == AssessmentLevel.Invoke && plan.AutoInvoke)
                    {
                        yield return (plan, AutomationTrigger.Invoke, new AutomationDecision("Invoke", NotificationSettings.AutomaticActor, entry.At));
                    }

                    break;

                case OutboxKind.Invoked:
                    yield return (plan, AutomationTrigger.Invoke, new AutomationDecision("Invoke", entry.Actor ?? "someone", entry.At));
                    break;

                case OutboxKind.StoodDown:
                    yield return (plan, AutomationTrigger.StandDown, new AutomationDecision("StandDown", entry.Actor ?? "someone", entry.At));
                    break;

                case OutboxKind.StandDown:
                    yield return (plan, AutomationTrigger.StandDown, new AutomationDecision("Resolved", ResolvedActor, entry.At));
                    break;
            }
        }
    }

    private async Task RequestAsync(DeliveryContext context, ContinuityPlan plan, PlanAutomation automation, AutomationDecision? decision, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var eventId = EventId(entry.IncidentKey, plan.Id, automation.Id);
        var run = await RunOfAsync(context, plan, automation, eventId, cancellationToken);
        if (run.EntryId != entry.Id)
        {
            // An earlier entry asked for it: an automation runs once per incident.
            AutomationLog.AlreadyRequested(logger, entry.IncidentKey, plan.Id, automation.Id, run.EntryId);
            return;
        }

        // The same body on every retry: the receiver sees one event, its signature unchanged.
        var expires = run.RequestedAt + AutomationTokens.Lifetime;
        var callback = settings.AutomationCallbackLink(tokens.Sign(new AutomationClaim(entry.IncidentKey, plan.Id, automation.Id, eventId, expires)));
        var facts = new AutomationFacts(
            eventId,
            run.RequestedAt,
            context.Incident,
            plan,
            automation,
            context.LevelFor(plan.Id),
            decision,
            CardModelFactory.Scope(context.Stored.LatestAssessment, plan.Id).Reasons,
            settings.IncidentLink(entry.IncidentKey),
            callback,
            callback is null ? null : expires);
        var request = new AutomationRequest(entry.IncidentKey, plan.Id, automation, eventId, AutomationEvent.Json(facts));
        var record = await steps.RunAsync(context, Stream(plan.Id), RequestStep, automation.Id, async () => (await gateway.SendAsync(request, cancellationToken), null), cancellationToken);
        switch (record.State)
        {
            case NotificationState.Sent when run.SentAt is null:
                await MarkSentAsync(run, automation, armTimeout: callback is not null, cancellationToken);
                break;

            case NotificationState.Failed:
                await SayRefusedAsync(context, plan, automation, record.LastError ?? "refused", cancellationToken);
                break;
        }
    }

    /// <summary>The incident's run of the automation: the one stored, or one this entry starts (written before any request goes out).</summary>
    private async Task<AutomationRun> RunOfAsync(DeliveryContext context, ContinuityPlan plan, PlanAutomation automation, string eventId, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        for (var attempt = 1; attempt <= MaxRunWrites; attempt++)
        {
            if (await alerts.FindRunAsync(entry.IncidentKey, plan.Id, automation.Id, cancellationToken) is { } stored)
            {
                return stored;
            }

            var run = AutomationRun.Start(entry.IncidentKey, plan.Id, automation, entry.Id, eventId, time.GetUtcNow());
            await alerts.WriteAsync(new AlertWrite(entry.IncidentKey, [], []) { Runs = [run] }, cancellationToken);
        }

        throw new DeliveryPendingException($"The run of automation {automation.Id} (plan {plan.Id}) could not be stored", null);
    }

    /// <summary>The request went out: when it did, and — when it carries a callback link — until when the hub waits for one.</summary>
    private async Task MarkSentAsync(AutomationRun run, PlanAutomation automation, bool armTimeout, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxRunWrites; attempt++)
        {
            var now = time.GetUtcNow();
            var sent = run with { SentAt = now, CallbackDue = armTimeout && run.Reports.Count == 0 ? now + automation.Timeout : run.CallbackDue };
            if (await alerts.WriteAsync(new AlertWrite(run.IncidentKey, [], []) { Runs = [sent] }, cancellationToken) == WriteOutcome.Written)
            {
                AutomationLog.Requested(logger, run.IncidentKey, run.Plan, run.Automation, run.EventId);
                return;
            }

            // A callback came meanwhile: take its version and set the send time on it.
            if (await alerts.FindRunAsync(run.IncidentKey, run.Plan, run.Automation, cancellationToken) is not { SentAt: null } fresh)
            {
                return;
            }

            run = fresh;
        }

        throw new DeliveryPendingException($"Automation {run.Automation} (plan {run.Plan}) was requested, but its run kept changing while it was marked sent", null);
    }

    /// <summary>A request refused for good: the crisis team hears of it, since what it should have done has not started.</summary>
    private async Task SayRefusedAsync(DeliveryContext context, ContinuityPlan plan, PlanAutomation automation, string error, CancellationToken cancellationToken)
    {
        if (plan.CrisisTeam is not { } team || await alerts.FindAlertAsync(context.Entry.IncidentKey, plan.Id, cancellationToken) is not { } alert)
        {
            return;
        }

        var note = $"Automation {automation.Id} could not be requested ({error}): it has not run; start it by hand.";
        await channel.ReplyAsync(context, plan, team, alert, AlertCardKind.Automation, DeliveryStep.AutomationReply, note, cancellationToken, recipient: automation.Id + "~refused");
    }
}

/// <summary>
/// What an automation reported through its callback, or that it did not report within its timeout: a reply in the
/// plan's conversation, in the plan's own stream (in order with its other replies).
/// </summary>
internal sealed class AutomationReplyHandler(IAlertStore alerts, CrisisChannel channel, ILogger logger) : SinglePlanHandler(alerts, logger)
{
    public override IReadOnlyCollection<OutboxKind> Kinds { get; } = [OutboxKind.AutomationReported, OutboxKind.AutomationOverdue];

    protected override async Task DeliverAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        if (entry.Automation is not { } id || await Alerts.FindRunAsync(entry.IncidentKey, plan.Id, id, cancellationToken) is not { } run)
        {
            return;
        }

        var timeout = plan.Automations.FirstOrDefault(a => a.Id == id)?.Timeout;
        var note = entry.Kind == OutboxKind.AutomationOverdue ? AutomationWords.Overdue(run, timeout) : AutomationWords.Reported(run, entry.Status);
        await channel.ReplyAsync(context, plan, team, alert, AlertCardKind.Automation, DeliveryStep.AutomationReply, note, cancellationToken, recipient: $"{id}~{entry.Kind}~{entry.Status}");
    }
}

/// <summary>The lines a crisis team reads about its plan's automations.</summary>
internal static class AutomationWords
{
    public static string Reported(AutomationRun run, AutomationStatus? status)
    {
        var report = run.Reports.LastOrDefault(r => r.Status == status) ?? (run.Reports.Count > 0 ? run.Reports[^1] : null);
        if (report is null)
        {
            return $"Automation {run.Automation} reported back.";
        }

        var said = string.IsNullOrWhiteSpace(report.Message) ? string.Empty : ": " + HumanText.Truncate(report.Message.Trim(), 500);
        var link = report.Link is { } uri ? $" ({uri.AbsoluteUri})" : string.Empty;
        return $"Automation {run.Automation} {Verb(report.Status)} at {HumanText.Time(report.At)}{said}{link}";
    }

    public static string Overdue(AutomationRun run, TimeSpan? timeout)
    {
        var waited = timeout is { } t ? " within " + HumanText.Duration(t) : string.Empty;
        var since = run.SentAt ?? run.RequestedAt;
        return run.Reports.Count == 0
            ? $"Automation {run.Automation} was requested at {HumanText.Time(since)} and has not reported back{waited}: check that it ran."
            : $"Automation {run.Automation} started but has not reported a result{waited}: check on it.";
    }

    private static string Verb(AutomationStatus status) => status switch
    {
        AutomationStatus.Started => "started",
        AutomationStatus.Succeeded => "succeeded",
        _ => "failed",
    };
}

internal static partial class AutomationLog
{
    [LoggerMessage(EventId = 6220, Level = LogLevel.Information, Message = "Automation {Automation} of plan {Plan} requested for incident {IncidentKey} (event {EventId})")]
    public static partial void Requested(ILogger logger, string incidentKey, string plan, string automation, string eventId);

    [LoggerMessage(EventId = 6221, Level = LogLevel.Debug, Message = "Automation {Automation} of plan {Plan} was already requested for incident {IncidentKey} by outbox entry {EntryId}")]
    public static partial void AlreadyRequested(ILogger logger, string incidentKey, string plan, string automation, string entryId);
}
