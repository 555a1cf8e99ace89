using System.Globalization;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>An entry about one plan's alert (a decision, an escalation): delivered only while that alert exists.</summary>
internal abstract class SinglePlanHandler(IAlertStore alerts, ILogger logger) : IEntryHandler
{
    protected IAlertStore Alerts { get; } = alerts;

    public abstract IReadOnlyCollection<OutboxKind> Kinds { get; }

    public Task<IReadOnlyList<EntryPart>> PartsAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var planId = entry.Plans.Count > 0 ? entry.Plans[0] : string.Empty;
        if (context.CrisisTeamOf(planId) is not var (plan, team))
        {
            NotificationLog.NoCrisisTeam(logger, entry.IncidentKey, planId);
            return Task.FromResult<IReadOnlyList<EntryPart>>([]);
        }

        return Task.FromResult<IReadOnlyList<EntryPart>>([new EntryPart(planId, async () =>
        {
            if (await Alerts.FindAlertAsync(entry.IncidentKey, planId, cancellationToken) is { } alert)
            {
                await DeliverAsync(context, plan, team, alert, cancellationToken);
            }
        })]);
    }

    protected abstract Task DeliverAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, CancellationToken cancellationToken);
}

/// <summary>
/// What follows a person's decision (or the escalation timer) for one plan: the reply in the conversation saying who
/// did what and when, and on escalation the next tier paged.
/// </summary>
internal sealed class DecisionFollowUpHandler(IAlertStore alerts, CrisisChannel channel, ILogger logger) : SinglePlanHandler(alerts, logger)
{
    public override IReadOnlyCollection<OutboxKind> Kinds { get; } = [OutboxKind.Escalate, OutboxKind.Acknowledged, OutboxKind.StoodDown];

    protected override async Task DeliverAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var actor = entry.Actor ?? "someone";
        switch (entry.Kind)
        {
            case OutboxKind.Escalate when alert.Status == AlertStatus.Active:
                var people = entry.Tier < team.Tiers.Count ? team.Tiers[entry.Tier] : [];
                var note = string.Create(CultureInfo.InvariantCulture, $"Nobody acknowledged within {HumanText.Duration(team.EscalationDelay)}: escalated to tier {entry.Tier + 1} ({string.Join(", ", people)}).");
                var model = await channel.ReplyAsync(context, plan, team, alert, AlertCardKind.Escalation, DeliveryStep.EscalationReply, note, cancellationToken);
                await channel.NotifyPeopleAsync(context, plan, people, model, AdaptiveCards.Render(model), alert.MessageUrl, cancellationToken);
                break;

            case OutboxKind.Acknowledged:
                await channel.ReplyAsync(context, plan, team, alert, AlertCardKind.Acknowledged, DeliveryStep.AcknowledgedReply,
                    $"Acknowledged by {actor} at {HumanText.Time(entry.At)}. Escalation stopped.", cancellationToken);
                break;

            case OutboxKind.StoodDown:
                await channel.ReplyAsync(context, plan, team, alert, AlertCardKind.StandDown, DeliveryStep.StoodDownReply,
                    $"Stood down by {actor} at {HumanText.Time(entry.At)}.", cancellationToken);
                break;
        }
    }
}

/// <summary>A person invoked the plan through a decision link: the war room, the reply, PlanInvoked.</summary>
internal sealed class InvocationHandler(IAlertStore alerts, Invocation invocation, ILogger logger) : SinglePlanHandler(alerts, logger)
{
    public override IReadOnlyCollection<OutboxKind> Kinds { get; } = [OutboxKind.Invoked];

    protected override Task DeliverAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, CancellationToken cancellationToken) =>
        invocation.InvokeAsync(context, plan, team, alert, context.Entry.Actor ?? "someone", context.Entry.At, cancellationToken);
}
