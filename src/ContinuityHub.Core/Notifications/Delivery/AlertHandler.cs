using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// The level rose to Alert or above: for each plan with a crisis team, the bridge (from RecommendInvocation, when the
/// bridge is on), one message in the channel (the card, or a reply in the open conversation), the tier on duty paged,
/// escalation armed, and — at Invoke, for a plan that allows it — the invocation by the clock.
/// </summary>
internal sealed class AlertHandler(
    IAlertStore alerts,
    ITeamsGateway teams,
    IAuditLog audit,
    StepRunner steps,
    CardModelFactory cards,
    CrisisChannel channel,
    Invocation invocation,
    NotificationSettings settings,
    NotificationChannels channels,
    TimeProvider time,
    ILogger logger) : IEntryHandler
{
    private static readonly StepKey MessageStep = new(DeliveryStep.Message);
    private static readonly StepKey BridgeStep = new(DeliveryStep.Bridge);
    private static readonly StepKey AuditStep = new(DeliveryStep.Audit);

    public IReadOnlyCollection<OutboxKind> Kinds { get; } = [OutboxKind.Alert];

    public Task<IReadOnlyList<EntryPart>> PartsAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        var parts = new List<EntryPart>();
        foreach (var planId in context.Entry.Plans.Distinct(StringComparer.Ordinal))
        {
            if (context.CrisisTeamOf(planId) is var (plan, team))
            {
                parts.Add(new EntryPart(planId, () => AlertAsync(context, plan, team, cancellationToken)));
            }
            else
            {
                NotificationLog.NoCrisisTeam(logger, context.Entry.IncidentKey, planId);
            }
        }

        return Task.FromResult<IReadOnlyList<EntryPart>>(parts);
    }

    private async Task AlertAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var now = time.GetUtcNow();
        var level = context.LevelFor(plan.Id);
        var existing = await alerts.FindAlertAsync(entry.IncidentKey, plan.Id, cancellationToken);
        if (await KnownAsync(context, plan, team, existing, level, cancellationToken))
        {
            return;
        }

        // The alert exists from the first attempt, so a delivery that keeps failing has somewhere to show.
        context.Work.Change(plan.Id, a => a);

        // A new episode after a stand-down starts a new conversation.
        var alert = existing is null || existing.Status == AlertStatus.StoodDown ? PlanAlert.Start(entry.IncidentKey, plan.Id, level) : existing;
        var first = alert.Paged.Count == 0;
        var bridge = alert.BridgeUrl ?? await BridgeAsync(context, plan, team, level, now, cancellationToken);
        var paged = first ? [new PagedTier(0, team.Tiers.Count > 0 ? team.Tiers[0] : [], now)] : alert.Paged;
        var invokes = level == AssessmentLevel.Invoke && plan.AutoInvoke
            && (alert.Status is AlertStatus.Active or AlertStatus.Acknowledged || alert is { Status: AlertStatus.Invoked, DecidedBy: NotificationSettings.AutomaticActor });
        alert = alert with { BridgeUrl = bridge, Paged = paged, Level = level };

        // The card already says the clock invoked the plan (and offers no "Invoke plan") when it does so now.
        var shown = invokes ? alert with { Status = AlertStatus.Invoked, DecidedBy = NotificationSettings.AutomaticActor, DecidedAt = alert.DecidedAt ?? now } : alert;
        var model = await cards.CreateAsync(context, plan, shown, alert.MessageId is null ? AlertCardKind.Alert : AlertCardKind.LevelChange, null, cancellationToken);
        var card = AdaptiveCards.Render(model);
        var (message, channelPending) = await PostAsync(context, plan, team, alert, card, cancellationToken);

        // The tier on duty hears of every rise, each person in their activity feed (e-mail when that cannot reach them).
        await channel.NotifyPeopleAsync(context, plan, paged[^1].People, model, card, message.Url, cancellationToken);
        context.Work.Change(plan.Id, a => Alerted(a, entry, level, team, paged, bridge, message, first));
        if (invokes)
        {
            await InvokeAsync(context, plan, team, alert with { MessageId = message.Id, MessageUrl = message.Url }, alert.DecidedAt ?? now, cancellationToken);
        }

        // People are paged and escalation runs even while the channel is out of reach; the entry stays pending for the card.
        if (channelPending is not null)
        {
            throw channelPending;
        }
    }

    /// <summary>
    /// The crisis team already knows: its open conversation is at this level or above (the rise was another plan's),
    /// and this entry never began for the plan. Nothing is posted, nobody paged.
    /// </summary>
    private async Task<bool> KnownAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert? existing, AssessmentLevel level, CancellationToken cancellationToken) =>
        existing is { Status: not AlertStatus.StoodDown, MessageId: not null, Paged.Count: > 0 } && existing.Level >= level
            && !(level == AssessmentLevel.Invoke && plan.AutoInvoke && existing.Status != AlertStatus.Invoked)
            && !await steps.StartedAsync(context, plan.Id, MessageStep, team.ChannelId, cancellationToken);

    private async Task<string?> BridgeAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, AssessmentLevel level, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (level < AssessmentLevel.RecommendInvocation || !channels.Bridge)
        {
            return null;
        }

        var people = team.Tiers.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var subject = $"Crisis bridge: {HumanText.Truncate(context.Incident.Title, 120)} ({plan.Title})";
        var meeting = await steps.RunAsync(context, plan.Id, BridgeStep, string.Empty, async () =>
        {
            var url = await teams.CreateMeetingAsync(new MeetingRequest(subject, now, now + settings.BridgeLength, people), cancellationToken);
            return (url, url);
        }, cancellationToken);
        return meeting.State == NotificationState.Sent ? meeting.GraphUrl : null;
    }

    /// <summary>
    /// The entry's one message in the channel: the card when there is no conversation yet, else a reply in it. One
    /// step either way, so a retry after the card was posted never adds a reply.
    /// </summary>
    private async Task<((string? Id, string? Url) Message, DeliveryPendingException? Pending)> PostAsync(
        DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, TeamsCard card, CancellationToken cancellationToken)
    {
        try
        {
            var posted = await steps.RunAsync(context, plan.Id, MessageStep, team.ChannelId, async () =>
            {
                var message = alert.MessageId is { } root
                    ? await teams.ReplyCardAsync(team.TeamId, team.ChannelId, root, card, cancellationToken)
                    : await teams.PostCardAsync(team.TeamId, team.ChannelId, card, cancellationToken);
                return (message.Id, message.WebUrl);
            }, cancellationToken);
            return alert.MessageId is null && posted.State == NotificationState.Sent
                ? ((posted.GraphId, posted.GraphUrl), null)
                : ((alert.MessageId, alert.MessageUrl), null);
        }
        catch (DeliveryPendingException pending)
        {
            // The channel is out of reach for now (throttled, down, sign-in expired): people are paged all the same.
            return ((alert.MessageId, alert.MessageUrl), pending);
        }
    }

    private static PlanAlert Alerted(
        PlanAlert current, OutboxEntry entry, AssessmentLevel level, CrisisTeam team, IReadOnlyList<PagedTier> paged, string? bridge, (string? Id, string? Url) message, bool first)
    {
        var fresh = current.Status == AlertStatus.StoodDown ? PlanAlert.Start(entry.IncidentKey, current.Plan, level) : current;
        var escalateAt = first && team.Tiers.Count > 1 && fresh.Status == AlertStatus.Active ? paged[0].At + team.EscalationDelay : fresh.NextEscalationAt;
        return fresh with
        {
            Level = level > fresh.Level || fresh.Level < AssessmentLevel.Alert ? level : fresh.Level,
            MessageId = fresh.MessageId ?? message.Id,
            MessageUrl = fresh.MessageUrl ?? message.Url,
            BridgeUrl = fresh.BridgeUrl ?? bridge,
            Paged = fresh.Paged.Count > 0 ? fresh.Paged : paged,
            NextEscalationAt = escalateAt,
        };
    }

    /// <summary>
    /// The clock invokes a plan that allows it: recorded in the audit log, then as any invocation. A retry of the
    /// entry (the alert already invoked by the clock) resumes the steps still missing, e.g. PlanInvoked.
    /// </summary>
    private async Task InvokeAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        const string Actor = NotificationSettings.AutomaticActor;
        await steps.RunAsync(context, plan.Id, AuditStep, string.Empty, async () =>
        {
            await audit.AppendAsync(new AuditEntry(decidedAt, Actor, "PlanInvoked", entry.IncidentKey, $"plan {plan.Id} invoked by the clock at level {AssessmentLevel.Invoke}"), cancellationToken);
            return (null, null);
        }, cancellationToken);
        context.Work.Change(plan.Id, a => a with { Status = AlertStatus.Invoked, DecidedBy = Actor, DecidedAt = decidedAt, NextEscalationAt = null });
        await invocation.InvokeAsync(context, plan, team, alert, Actor, decidedAt, cancellationToken);
    }
}
