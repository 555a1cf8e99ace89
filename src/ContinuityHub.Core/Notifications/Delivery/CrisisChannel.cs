using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>A crisis team's conversation and people: replies under the alert card, and each person paged.</summary>
internal sealed class CrisisChannel(
    ITeamsGateway teams,
    IAlertStore alerts,
    StepRunner steps,
    CardModelFactory cards,
    NotificationChannels channels)
{
    /// <summary>
    /// A reply card in the conversation (when there is one), recorded under <paramref name="step"/> for
    /// <paramref name="recipient"/> (default: the channel), so one entry can hold several replies of one step.
    /// </summary>
    public async Task<AlertCardModel> ReplyAsync(
        DeliveryContext context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, AlertCardKind kind, DeliveryStep step, string note, CancellationToken cancellationToken, string? recipient = null)
    {
        var model = await cards.CreateAsync(context, plan, alert, kind, note, cancellationToken);
        if (alert.MessageId is { } root)
        {
            var card = AdaptiveCards.Render(model);
            await steps.RunAsync(context, plan.Id, new StepKey(step), recipient ?? team.ChannelId, async () =>
            {
                var message = await teams.ReplyCardAsync(team.TeamId, team.ChannelId, root, card, cancellationToken);
                return (message.Id, message.WebUrl);
            }, cancellationToken);
        }

        return model;
    }

    /// <summary>Each person's activity feed; an e-mail (with decision links of their own) when the feed cannot reach them and mail is on.</summary>
    public async Task NotifyPeopleAsync(
        DeliveryContext context, ContinuityPlan plan, IReadOnlyList<string> people, AlertCardModel model, TeamsCard card, string? messageUrl, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var level = model.Level;
        foreach (var person in people.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var notice = new ActivityNotice(
                NotificationSettings.AlertActivityType,
                HumanText.Truncate($"{level}: {context.Incident.Title}", 200),
                HumanText.Truncate(card.Summary, 150),
                messageUrl ?? NotificationWords.ChannelLink(plan.CrisisTeam),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["level"] = level.ToString(),
                    ["incident"] = HumanText.Truncate(context.Incident.Title, 100),
                    ["plan"] = plan.Id,
                });
            var sent = await steps.RunAsync(context, plan.Id, new StepKey(DeliveryStep.Activity), person, async () =>
            {
                await teams.NotifyActivityAsync(person, notice, cancellationToken);
                return (null, null);
            }, cancellationToken, fallbackFollows: channels.Mail);

            if (sent.State == NotificationState.Failed && channels.Mail)
            {
                // The activity feed cannot reach this person (no Teams app, no licence): e-mail, with links of their own.
                var current = await alerts.FindAlertAsync(entry.IncidentKey, plan.Id, cancellationToken) ?? PlanAlert.Start(entry.IncidentKey, plan.Id, entry.Level);
                var personal = await cards.CreateAsync(context, plan, current, model.Kind, model.Note, cancellationToken, person);
                var mail = new MailNotice(HumanText.Truncate(card.Summary, 200), AlertMail.Html(personal));
                await steps.RunAsync(context, plan.Id, new StepKey(DeliveryStep.Mail), person, async () =>
                {
                    await teams.SendMailAsync(person, mail, cancellationToken);
                    return (null, null);
                }, cancellationToken);
            }
        }
    }
}
