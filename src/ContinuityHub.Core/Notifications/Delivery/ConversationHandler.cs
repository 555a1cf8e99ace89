using ContinuityHub.Outbox;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// The level changed for every open conversation of the incident: a reply when the level the team last heard of
/// is not the new one (nobody paged), or — the incident resolved — a stand-down reply that closes the conversation.
/// A change the team already knows of posts nothing.
/// </summary>
internal sealed class ConversationHandler(IAlertStore alerts, CrisisChannel channel) : IEntryHandler
{
    public IReadOnlyCollection<OutboxKind> Kinds { get; } = [OutboxKind.StandDown, OutboxKind.LevelChange];

    public async Task<IReadOnlyList<EntryPart>> PartsAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        var standDown = context.Entry.Kind == OutboxKind.StandDown;
        return [.. (await alerts.ListAlertsAsync(context.Entry.IncidentKey, cancellationToken))
            .Select(alert => new EntryPart(alert.Plan, () => standDown ? StandDownAsync(context, alert, cancellationToken) : LevelChangeAsync(context, alert, cancellationToken)))];
    }

    private async Task StandDownAsync(DeliveryContext context, PlanAlert alert, CancellationToken cancellationToken)
    {
        if (alert.Status != AlertStatus.StoodDown && context.CrisisTeamOf(alert.Plan) is var (plan, team))
        {
            await channel.ReplyAsync(context, plan, team, alert, AlertCardKind.StandDown, DeliveryStep.StandDownReply,
                "The incident is resolved: the crisis team is stood down.", cancellationToken);
        }

        context.Work.Change(alert.Plan, a => a.Status == AlertStatus.StoodDown ? a : a with { Status = AlertStatus.StoodDown, NextEscalationAt = null });
    }

    private async Task LevelChangeAsync(DeliveryContext context, PlanAlert alert, CancellationToken cancellationToken)
    {
        var level = context.LevelFor(alert.Plan);
        if (alert.Status == AlertStatus.StoodDown || alert.Level == level || context.CrisisTeamOf(alert.Plan) is not var (plan, team))
        {
            return;
        }

        await channel.ReplyAsync(context, plan, team, alert with { Level = level }, AlertCardKind.LevelChange, DeliveryStep.LevelChangeReply,
            $"The level is now {NotificationWords.Level(level)}.", cancellationToken);
        context.Work.Change(alert.Plan, a => a with { Level = level });
    }
}
