using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// What an invocation does, whoever decided it: the war room, a reply saying who invoked the plan and when, then
/// <c>PlanInvoked</c> to the events topic — last, so the crisis team never waits for the topic, and skipped while
/// the events channel is off.
/// </summary>
internal sealed class Invocation(
    ITeamsGateway teams,
    IEventPublisher events,
    StepRunner steps,
    CrisisChannel channel,
    NotificationChannels channels)
{
    private static readonly StepKey WarRoomStep = new(DeliveryStep.WarRoom);
    private static readonly StepKey MemberStep = new(DeliveryStep.WarRoomMember);
    private static readonly StepKey PlanInvokedStep = new(DeliveryStep.PlanInvoked);

    public async Task InvokeAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, string actor, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        var warRoom = alert.WarRoomUrl ?? await OpenWarRoomAsync(context, plan, team, cancellationToken);
        context.WarRooms[plan.Id] = warRoom;
        await channel.ReplyAsync(
            context, plan, team, alert with { WarRoomUrl = warRoom, Status = AlertStatus.Invoked, DecidedBy = actor, DecidedAt = decidedAt },
            AlertCardKind.Invoked, DeliveryStep.InvokedReply, $"Plan {plan.Id} invoked by {actor} at {HumanText.Time(decidedAt)}.", cancellationToken);
        context.Work.Change(plan.Id, a => a with { WarRoomUrl = a.WarRoomUrl ?? warRoom });
        await PublishAsync(context, plan, actor, decidedAt, cancellationToken);
    }

    /// <summary>The war room: one step for the channel, one per further member, so a retry adds whoever is missing and never a second channel.</summary>
    private async Task<string?> OpenWarRoomAsync(DeliveryContext context, ContinuityPlan plan, CrisisTeam team, CancellationToken cancellationToken)
    {
        var members = team.Tiers.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (members.Length == 0)
        {
            return null;
        }

        var title = HumanText.Truncate(context.Incident.Title, 200);
        var created = await steps.RunAsync(context, plan.Id, WarRoomStep, team.TeamId, async () =>
        {
            var request = new WarRoomRequest(team.TeamId, NotificationWords.WarRoomName(context.Incident, plan), $"War room for {title} ({plan.Title}), opened when the plan was invoked.", members);
            var created = await teams.CreateWarRoomAsync(request, cancellationToken);
            return (created.Id, created.WebUrl ?? created.Id);
        }, cancellationToken);
        if (created is not { State: NotificationState.Sent, GraphId: { } channelId })
        {
            return null;
        }

        foreach (var member in members.Skip(1))
        {
            await steps.RunAsync(context, plan.Id, MemberStep, member, async () =>
            {
                await teams.AddChannelMemberAsync(team.TeamId, channelId, member, cancellationToken);
                return (null, null);
            }, cancellationToken);
        }

        return created.GraphUrl;
    }

    /// <summary><c>PlanInvoked</c>, with an id of its own per (incident, plan) so the topic sees a retry as a duplicate.</summary>
    private async Task PublishAsync(DeliveryContext context, ContinuityPlan plan, string actor, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        // An exercise's invocation goes to the topic only when the exercise says its automations are live.
        if (!channels.Events || context.Incident.Exercise is { LiveAutomations: false })
        {
            return;
        }

        var entry = context.Entry;
        var eventId = PlanInvokedStep.Id(entry.IncidentKey, plan.Id, string.Empty, "once");
        var reasons = context.Stored.LatestAssessment?.Reasons ?? [];
        await steps.RunAsync(context, plan.Id, PlanInvokedStep, "continuity-events", async () =>
        {
            await events.PublishAsync(new PlanInvoked(eventId, entry.IncidentKey, context.Incident.Title, plan.Id, actor, decidedAt, context.Stored.Level, reasons) { Exercise = context.Incident.Exercise?.ExerciseId }, cancellationToken);
            return (eventId, null);
        }, cancellationToken);
    }
}
