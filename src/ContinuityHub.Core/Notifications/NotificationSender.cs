using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications;

/// <summary>What a sweep of the outbox did.</summary>
public sealed record SweepResult(int Incidents, int Delivered, int Pending);

/// <summary>
/// Delivers the notification outbox (DESIGN section 4). Each (incident, plan) is a stream of its own: an incident's
/// entries are taken in order, each claimed first so two senders never work on it at once, and each plan's part of an
/// entry is delivered unless an earlier entry of the same plan is still waiting, so one plan's stuck step never delays
/// another plan (nor another incident), and each crisis team hears of level changes in order. Every step of a part (the
/// card, a reply, each person's activity notification or e-mail, the bridge, the war room, PlanInvoked) is recorded in
/// the delivery ledger under a key of (incident, plan, level, step, recipient, entry) before the entry is done, so a
/// retry skips what was sent and never posts twice. A transient failure (throttling, an outage, an expired sign-in)
/// leaves that plan's part pending and the sweep tries again; a refusal that will not change (403, 404) is recorded as
/// failed, shown on the alert, and the other steps go on.
/// </summary>
public sealed partial class NotificationSender(
    IAlertStore alerts,
    INotificationLedger ledger,
    ITeamsGateway teams,
    IEventPublisher events,
    IDocumentLinks documents,
    IIncidentStore incidents,
    ICatalogProvider catalogs,
    DecisionTokens tokens,
    NotificationSettings settings,
    NotificationChannels channels,
    IAuditLog audit,
    TimeProvider time,
    ILogger<NotificationSender> logger) : IOutboxDispatcher
{
    private const int MaxWriteAttempts = 10;

    public async Task DispatchAsync(string incidentKey, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverIncidentAsync(incidentKey, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The entry stays in the outbox; the sweep delivers it.
            Log.DispatchFailed(logger, incidentKey, e);
        }
    }

    /// <summary>Delivers every pending entry of every incident, in order per incident.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var entry in alerts.ListPendingOutboxAsync(cancellationToken))
        {
            if (keys.Count == 0 || keys[^1] != entry.IncidentKey)
            {
                keys.Add(entry.IncidentKey);
            }
        }

        int delivered = 0, pending = 0;
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var (done, left) = await DeliverIncidentAsync(key, cancellationToken);
                delivered += done;
                pending += left;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.DispatchFailed(logger, key, e);
                pending++;
            }
        }

        return new SweepResult(keys.Count, delivered, pending);
    }

    /// <summary>
    /// Delivers the incident's pending entries in order, plan by plan: a plan whose part of an entry could not finish
    /// now waits in the later entries too, while the other plans go on. Stops only where another sender holds an entry.
    /// </summary>
    /// <returns>How many entries were delivered, and how many are left pending.</returns>
    public async Task<(int Delivered, int Pending)> DeliverIncidentAsync(string incidentKey, CancellationToken cancellationToken)
    {
        var pending = await alerts.PendingOutboxAsync(incidentKey, cancellationToken);
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        var delivered = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            switch (await DeliverEntryAsync(pending[i], waiting, cancellationToken))
            {
                case EntryOutcome.Delivered:
                    delivered++;
                    break;
                case EntryOutcome.Held:
                    return (delivered, pending.Count - delivered);
            }
        }

        return (delivered, pending.Count - delivered);
    }

    /// <summary>Claims and delivers one entry, skipping the plans in <paramref name="waiting"/> and adding those left pending.</summary>
    private async Task<EntryOutcome> DeliverEntryAsync(OutboxEntry entry, HashSet<string> waiting, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entry.ClaimedUntil is { } until && until > now)
        {
            Log.Claimed(logger, entry.IncidentKey, entry.Id, until);
            return EntryOutcome.Held;
        }

        if (await alerts.WriteAsync(new AlertWrite(entry.IncidentKey, [], [entry with { ClaimedUntil = now + settings.Claim }]), cancellationToken) != WriteOutcome.Written)
        {
            return EntryOutcome.Held;
        }

        var claimed = (await alerts.PendingOutboxAsync(entry.IncidentKey, cancellationToken)).FirstOrDefault(e => e.Id == entry.Id);
        if (claimed is null)
        {
            return EntryOutcome.Delivered;
        }

        var work = new EntryWork(claimed);
        await RunAsync(work, waiting, cancellationToken);
        await FinishAsync(work, cancellationToken);
        waiting.UnionWith(work.Pending.Keys);
        waiting.UnionWith(work.Waiting);
        if (work.Pending.Count > 0)
        {
            Log.EntryPending(logger, entry.IncidentKey, entry.Id, entry.Kind, claimed.Attempts + 1, string.Join("; ", work.Pending.Values));
            return EntryOutcome.Left;
        }

        if (work.Waiting.Count > 0)
        {
            return EntryOutcome.Left;
        }

        Log.EntryDelivered(logger, entry.IncidentKey, entry.Id, entry.Kind, entry.Level);
        return EntryOutcome.Delivered;
    }

    /// <summary>
    /// Marks the entry done, or releases it — counting a failed attempt when a plan's part is pending, not when its
    /// parts only wait behind earlier entries — together with the alert changes the steps made, in one write; re-read
    /// and re-applied when a decision changed an alert meanwhile.
    /// </summary>
    private async Task FinishAsync(EntryWork work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var entry = work.Entry;
            var changed = new List<PlanAlert>();
            foreach (var (plan, change) in work.Changes)
            {
                var current = await alerts.FindAlertAsync(entry.IncidentKey, plan, cancellationToken);
                var updated = change(current ?? PlanAlert.Start(entry.IncidentKey, plan, entry.Level) with { ETag = null });
                if (work.Pending.TryGetValue(plan, out var reason))
                {
                    if (entry.Attempts + 1 >= settings.ProblemAfterAttempts)
                    {
                        updated = updated with { DeliveryProblem = $"Delivery keeps failing ({entry.Attempts + 1} attempts, retrying): {reason}" };
                    }
                }
                else
                {
                    updated = updated with { DeliveryProblem = work.Refused.GetValueOrDefault(plan) };
                }

                changed.Add(updated with { ETag = current?.ETag });
            }

            var finished = work.Pending.Count > 0
                ? entry with { Attempts = entry.Attempts + 1, LastError = string.Join("; ", work.Pending.Values), ClaimedUntil = null }
                : work.Waiting.Count > 0
                    ? entry with { ClaimedUntil = null }
                    : entry with { Done = true, ClaimedUntil = null, LastError = null };
            switch (await alerts.WriteAsync(new AlertWrite(entry.IncidentKey, changed, [finished]), cancellationToken))
            {
                case WriteOutcome.Written:
                    return;
                default:
                    var fresh = (await alerts.PendingOutboxAsync(entry.IncidentKey, cancellationToken)).FirstOrDefault(e => e.Id == entry.Id);
                    if (fresh is null)
                    {
                        return;
                    }

                    work.Entry = fresh;
                    break;
            }
        }

        throw new ConcurrencyConflictException($"The alerts of incident {work.Entry.IncidentKey} kept changing while outbox entry {work.Entry.Id} was finished; the sweep will finish it.");
    }

    /// <summary>Delivers each plan's part of the entry, but for the plans in <paramref name="waiting"/>; a part that cannot finish now is pending.</summary>
    private async Task RunAsync(EntryWork work, HashSet<string> waiting, CancellationToken cancellationToken)
    {
        var entry = work.Entry;
        var stored = await incidents.FindAsync(entry.IncidentKey, cancellationToken);
        if (stored is null)
        {
            work.Pending[string.Empty] = $"Incident {entry.IncidentKey} is not stored.";
            return;
        }

        var catalog = (await catalogs.GetAsync(cancellationToken)).Catalog;
        var plans = catalog.Plans.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var context = new Context(work, stored, plans);
        foreach (var (plan, deliver) in await PartsAsync(context, cancellationToken))
        {
            if (waiting.Contains(plan))
            {
                work.Waiting.Add(plan);
                continue;
            }

            try
            {
                await deliver();
            }
            catch (DeliveryPendingException pending)
            {
                work.Pending[plan] = pending.Message;
            }
        }
    }

    /// <summary>The entry's part for each plan it concerns: what delivering it means for that plan.</summary>
    private async Task<List<(string Plan, Func<Task> Deliver)>> PartsAsync(Context context, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var work = context.Work;
        var parts = new List<(string Plan, Func<Task> Deliver)>();
        switch (entry.Kind)
        {
            case OutboxKind.Alert:
                foreach (var planId in entry.Plans.Distinct(StringComparer.Ordinal))
                {
                    if (context.Plans.TryGetValue(planId, out var plan) && plan.CrisisTeam is { } team)
                    {
                        parts.Add((planId, () => AlertAsync(work, context, plan, team, cancellationToken)));
                    }
                    else
                    {
                        Log.NoCrisisTeam(logger, entry.IncidentKey, planId);
                    }
                }

                break;

            case OutboxKind.StandDown:
                foreach (var alert in await alerts.ListAlertsAsync(entry.IncidentKey, cancellationToken))
                {
                    parts.Add((alert.Plan, () => StandDownAsync(context, alert, cancellationToken)));
                }

                break;

            case OutboxKind.LevelChange:
                foreach (var alert in await alerts.ListAlertsAsync(entry.IncidentKey, cancellationToken))
                {
                    parts.Add((alert.Plan, () => LevelChangeAsync(context, alert, cancellationToken)));
                }

                break;

            default:
                var single = entry.Plans.Count > 0 ? entry.Plans[0] : string.Empty;
                if (!context.Plans.TryGetValue(single, out var decided) || decided.CrisisTeam is not { } crisisTeam)
                {
                    Log.NoCrisisTeam(logger, entry.IncidentKey, single);
                    break;
                }

                parts.Add((single, async () =>
                {
                    if (await alerts.FindAlertAsync(entry.IncidentKey, single, cancellationToken) is { } current)
                    {
                        await DecisionFollowUpAsync(work, context, decided, crisisTeam, current, cancellationToken);
                    }
                }));
                break;
        }

        return parts;
    }

    private async Task StandDownAsync(Context context, PlanAlert alert, CancellationToken cancellationToken)
    {
        if (alert.Status != AlertStatus.StoodDown && context.Plans.TryGetValue(alert.Plan, out var plan) && plan.CrisisTeam is { } team)
        {
            await ReplyAsync(context, plan, team, alert, AlertCardKind.StandDown, "standdown", "The incident is resolved: the crisis team is stood down.", cancellationToken);
        }

        context.Work.Change(alert.Plan, a => a.Status == AlertStatus.StoodDown ? a : a with { Status = AlertStatus.StoodDown, NextEscalationAt = null });
    }

    private async Task LevelChangeAsync(Context context, PlanAlert alert, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        if (alert.Status != AlertStatus.StoodDown && context.Plans.TryGetValue(alert.Plan, out var plan) && plan.CrisisTeam is { } team)
        {
            await ReplyAsync(context, plan, team, alert with { Level = entry.Level }, AlertCardKind.LevelChange, "levelchange",
                $"The level is now {Words(entry.Level)}.", cancellationToken);
            context.Work.Change(alert.Plan, a => a with { Level = entry.Level });
        }
    }

    private async Task AlertAsync(EntryWork work, Context context, ContinuityPlan plan, CrisisTeam team, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var now = time.GetUtcNow();
        var existing = await alerts.FindAlertAsync(entry.IncidentKey, plan.Id, cancellationToken);

        // The alert exists from the first attempt, so a delivery that keeps failing has somewhere to show.
        work.Change(plan.Id, a => a);

        // A new episode after a stand-down starts a new conversation.
        var alert = existing is null || existing.Status == AlertStatus.StoodDown
            ? PlanAlert.Start(entry.IncidentKey, plan.Id, entry.Level)
            : existing;

        var bridge = alert.BridgeUrl;
        if (bridge is null && entry.Level >= AssessmentLevel.RecommendInvocation && channels.Bridge)
        {
            var people = team.Tiers.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var meeting = await StepAsync(context, plan.Id, "bridge", "bridge", string.Empty, async () =>
            {
                var url = await teams.CreateMeetingAsync(
                    new MeetingRequest($"Crisis bridge: {Shorten(context.Incident.Title, 120)} ({plan.Title})", now, now + settings.BridgeLength, people),
                    cancellationToken);
                return (url, url);
            }, cancellationToken);
            bridge = meeting.State == NotificationState.Sent ? meeting.GraphUrl : null;
        }

        var paged = alert.Paged.Count > 0 ? alert.Paged : [new PagedTier(0, team.Tiers.Count > 0 ? team.Tiers[0] : [], now)];
        var model = await CardAsync(context, plan, alert with { BridgeUrl = bridge, Paged = paged, Level = entry.Level }, alert.MessageId is null ? AlertCardKind.Alert : AlertCardKind.LevelChange, null, cancellationToken);
        var card = AdaptiveCards.Render(model);

        string? messageId = alert.MessageId, messageUrl = alert.MessageUrl;
        DeliveryPendingException? channelPending = null;
        try
        {
            if (messageId is null)
            {
                var posted = await StepAsync(context, plan.Id, "card", "card", team.ChannelId, async () =>
                {
                    var message = await teams.PostCardAsync(team.TeamId, team.ChannelId, card, cancellationToken);
                    return (message.Id, message.WebUrl);
                }, cancellationToken);
                if (posted.State == NotificationState.Sent)
                {
                    (messageId, messageUrl) = (posted.GraphId, posted.GraphUrl);
                }
            }
            else
            {
                await StepAsync(context, plan.Id, "reply", "reply", team.ChannelId, async () =>
                {
                    var message = await teams.ReplyCardAsync(team.TeamId, team.ChannelId, messageId, card, cancellationToken);
                    return (message.Id, message.WebUrl);
                }, cancellationToken);
            }
        }
        catch (DeliveryPendingException pending)
        {
            // The channel is out of reach for now (throttled, down, sign-in expired): people are paged all the same,
            // and the entry stays pending for the channel post.
            channelPending = pending;
        }

        // The tier on duty hears of every rise, each person in their activity feed (e-mail when that cannot reach them).
        var onDuty = paged[^1];
        await NotifyPeopleAsync(context, plan, onDuty.People, model, card, messageUrl, "activity", cancellationToken);

        var first = alert.Paged.Count == 0;
        work.Change(plan.Id, a =>
        {
            var fresh = a.Status == AlertStatus.StoodDown ? PlanAlert.Start(entry.IncidentKey, plan.Id, entry.Level) : a;
            var escalateAt = first && team.Tiers.Count > 1 && fresh.Status == AlertStatus.Active ? paged[0].At + team.EscalationDelay : fresh.NextEscalationAt;
            return fresh with
            {
                Level = entry.Level > fresh.Level || fresh.Level < AssessmentLevel.Alert ? entry.Level : fresh.Level,
                MessageId = fresh.MessageId ?? messageId,
                MessageUrl = fresh.MessageUrl ?? messageUrl,
                BridgeUrl = fresh.BridgeUrl ?? bridge,
                Paged = fresh.Paged.Count > 0 ? fresh.Paged : paged,
                NextEscalationAt = escalateAt,
            };
        });

        if (entry.Level == AssessmentLevel.Invoke && plan.AutoInvoke && alert.Status is AlertStatus.Active or AlertStatus.Acknowledged)
        {
            var decidedAt = now;
            await InvokeInTeamsAsync(context, plan, team, alert with { MessageId = messageId, MessageUrl = messageUrl, BridgeUrl = bridge, Paged = paged }, NotificationSettings.AutomaticActor, decidedAt, cancellationToken);
            await StepAsync(context, plan.Id, "audit", "audit", string.Empty, async () =>
            {
                await audit.AppendAsync(new AuditEntry(decidedAt, NotificationSettings.AutomaticActor, "PlanInvoked", entry.IncidentKey, $"plan {plan.Id} invoked by the clock at level {entry.Level}"), cancellationToken);
                return (null, null);
            }, cancellationToken);
            work.Change(plan.Id, a => a with
            {
                Status = AlertStatus.Invoked,
                DecidedBy = NotificationSettings.AutomaticActor,
                DecidedAt = decidedAt,
                NextEscalationAt = null,
                WarRoomUrl = a.WarRoomUrl ?? context.WarRooms.GetValueOrDefault(plan.Id),
            });
            await PublishPlanInvokedAsync(context, plan, NotificationSettings.AutomaticActor, decidedAt, cancellationToken);
        }

        // People are paged and escalation runs even while the channel is out of reach; the entry stays pending for the card.
        if (channelPending is not null)
        {
            throw channelPending;
        }
    }

    private async Task DecisionFollowUpAsync(EntryWork work, Context context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        var actor = entry.Actor ?? "someone";
        switch (entry.Kind)
        {
            case OutboxKind.Escalate:
                if (alert.Status != AlertStatus.Active)
                {
                    return;
                }

                var people = entry.Tier < team.Tiers.Count ? team.Tiers[entry.Tier] : [];
                var note = string.Create(CultureInfo.InvariantCulture, $"Nobody acknowledged within {Durations.Format(team.EscalationDelay)}: escalated to tier {entry.Tier + 1} ({string.Join(", ", people)}).");
                var model = await ReplyAsync(context, plan, team, alert, AlertCardKind.Escalation, "escalation-" + entry.Tier.ToString(CultureInfo.InvariantCulture), note, cancellationToken);
                await NotifyPeopleAsync(context, plan, people, model, AdaptiveCards.Render(model), alert.MessageUrl, "escalation-activity", cancellationToken);
                break;

            case OutboxKind.Acknowledged:
                await ReplyAsync(context, plan, team, alert, AlertCardKind.Acknowledged, "acknowledged",
                    $"Acknowledged by {actor} at {AssessmentJson.Time(entry.At)}. Escalation stopped.", cancellationToken);
                break;

            case OutboxKind.Invoked:
                await InvokeInTeamsAsync(context, plan, team, alert, actor, entry.At, cancellationToken);
                work.Change(plan.Id, a => a with { WarRoomUrl = a.WarRoomUrl ?? context.WarRooms.GetValueOrDefault(plan.Id) });
                await PublishPlanInvokedAsync(context, plan, actor, entry.At, cancellationToken);
                break;

            case OutboxKind.StoodDown:
                await ReplyAsync(context, plan, team, alert, AlertCardKind.StandDown, "stooddown",
                    $"Stood down by {actor} at {AssessmentJson.Time(entry.At)}.", cancellationToken);
                break;
        }
    }

    /// <summary>
    /// <c>PlanInvoked</c> to the events topic, once per (incident, plan), after the crisis team's own steps so that they
    /// never wait for the topic; skipped while the events channel is off.
    /// </summary>
    private async Task PublishPlanInvokedAsync(Context context, ContinuityPlan plan, string actor, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        if (!channels.Events)
        {
            return;
        }

        var entry = context.Entry;
        var eventId = NotificationId(entry.IncidentKey, plan.Id, "PlanInvoked", "event", string.Empty, "once");
        var reasons = context.Stored.LatestAssessment?.Reasons ?? [];
        await StepAsync(context, plan.Id, "planinvoked", "event", "continuity-events", async () =>
        {
            await events.PublishAsync(
                new PlanInvoked(eventId, entry.IncidentKey, context.Incident.Title, plan.Id, actor, decidedAt, context.Stored.Level, reasons),
                cancellationToken);
            return (eventId, null);
        }, cancellationToken);
    }

    /// <summary>The war room, and a reply saying who invoked the plan.</summary>
    private async Task InvokeInTeamsAsync(Context context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, string actor, DateTimeOffset decidedAt, CancellationToken cancellationToken)
    {
        var members = team.Tiers.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var warRoom = alert.WarRoomUrl;
        if (warRoom is null && members.Length > 0)
        {
            var created = await StepAsync(context, plan.Id, "warroom", "warroom", team.TeamId, async () =>
            {
                var channel = await teams.CreateWarRoomAsync(
                    new WarRoomRequest(team.TeamId, WarRoomName(context.Incident, plan), $"War room for {Shorten(context.Incident.Title, 200)} ({plan.Title}), opened when the plan was invoked.", members),
                    cancellationToken);
                return (channel.Id, channel.WebUrl ?? channel.Id);
            }, cancellationToken);
            warRoom = created.State == NotificationState.Sent ? created.GraphUrl : null;
            if (created is { State: NotificationState.Sent, GraphId: { } channelId })
            {
                // One step per person: a retry adds whoever is still missing, never a second channel.
                foreach (var member in members.Skip(1))
                {
                    await StepAsync(context, plan.Id, "warroom-member", "warroom", member, async () =>
                    {
                        await teams.AddChannelMemberAsync(team.TeamId, channelId, member, cancellationToken);
                        return (null, null);
                    }, cancellationToken);
                }
            }
        }

        await ReplyAsync(context, plan, team, alert with { WarRoomUrl = warRoom, Status = AlertStatus.Invoked, DecidedBy = actor, DecidedAt = decidedAt }, AlertCardKind.Invoked, "invoked",
            $"Plan {plan.Id} invoked by {actor} at {AssessmentJson.Time(decidedAt)}.", cancellationToken);
        context.WarRooms[plan.Id] = warRoom;
    }

    /// <summary>A reply card in the conversation (when there is one), recorded under <paramref name="step"/>.</summary>
    private async Task<AlertCardModel> ReplyAsync(Context context, ContinuityPlan plan, CrisisTeam team, PlanAlert alert, AlertCardKind kind, string step, string note, CancellationToken cancellationToken)
    {
        var model = await CardAsync(context, plan, alert, kind, note, cancellationToken);
        if (alert.MessageId is { } root)
        {
            var card = AdaptiveCards.Render(model);
            await StepAsync(context, plan.Id, step, "reply", team.ChannelId, async () =>
            {
                var message = await teams.ReplyCardAsync(team.TeamId, team.ChannelId, root, card, cancellationToken);
                return (message.Id, message.WebUrl);
            }, cancellationToken);
        }

        return model;
    }

    private async Task NotifyPeopleAsync(Context context, ContinuityPlan plan, IReadOnlyList<string> people, AlertCardModel model, TeamsCard card, string? messageUrl, string step, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        foreach (var person in people.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var notice = new ActivityNotice(
                NotificationSettings.AlertActivityType,
                Shorten($"{entry.Level}: {context.Incident.Title}", 200),
                Shorten(card.Summary, 150),
                messageUrl ?? ChannelLink(model, context),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["level"] = entry.Level.ToString(),
                    ["incident"] = Shorten(context.Incident.Title, 100),
                    ["plan"] = plan.Id,
                });
            var sent = await StepAsync(context, plan.Id, step, "activity", person, async () =>
            {
                await teams.NotifyActivityAsync(person, notice, cancellationToken);
                return (null, null);
            }, cancellationToken, fallbackFollows: channels.Mail);

            if (sent.State == NotificationState.Failed && channels.Mail)
            {
                // The activity feed cannot reach this person (no Teams app, no licence): e-mail, with links of their own.
                var personal = await CardAsync(context, plan, await CurrentAlertAsync(entry.IncidentKey, plan.Id, cancellationToken) ?? PlanAlert.Start(entry.IncidentKey, plan.Id, entry.Level), model.Kind, model.Note, cancellationToken, person);
                var mail = new MailNotice(Shorten(card.Summary, 200), AdaptiveCards.PreviewHtml(AdaptiveCards.Render(personal).CardJson));
                await StepAsync(context, plan.Id, step, "mail", person, async () =>
                {
                    await teams.SendMailAsync(person, mail, cancellationToken);
                    return (null, null);
                }, cancellationToken);
            }
        }
    }

    private Task<PlanAlert?> CurrentAlertAsync(string incidentKey, string plan, CancellationToken cancellationToken) =>
        alerts.FindAlertAsync(incidentKey, plan, cancellationToken);

    private async Task<AlertCardModel> CardAsync(Context context, ContinuityPlan plan, PlanAlert alert, AlertCardKind kind, string? note, CancellationToken cancellationToken, string userHint = "crisis-team channel")
    {
        var now = time.GetUtcNow();
        var entry = context.Entry;
        var assessment = context.Stored.LatestAssessment;
        var links = new List<CardDocument>();
        foreach (var document in plan.Documents)
        {
            try
            {
                links.Add(new CardDocument(document.FileName, await documents.ReadLinkAsync(plan.Id, plan.Version, document.FileName, now + settings.DocumentLinkLifetime, cancellationToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DocumentLinkFailed(logger, plan.Id, document.FileName, e);
            }
        }

        CardActions? actions = null;
        if (kind != AlertCardKind.StandDown && settings.DecisionsBaseUrl is not null)
        {
            var expires = now + settings.TokenLifetime;
            Uri Link(DecisionAction action) =>
                settings.DecisionLink(tokens.Sign(new DecisionClaim(entry.IncidentKey, action, plan.Id, userHint, expires, DecisionTokens.NewNonce())))!;
            actions = new CardActions(Link(DecisionAction.Acknowledge), Link(DecisionAction.Invoke), Link(DecisionAction.StandDown), HttpLink(context.Incident.Link));
        }

        var services = assessment?.ImpactedServices.Where(s => s.Plan == plan.Id).ToList() ?? [];
        if (services.Count == 0 && assessment is not null)
        {
            services = [.. assessment.ImpactedServices];
        }

        return new AlertCardModel(
            kind,
            kind == AlertCardKind.StandDown ? AssessmentLevel.None : (entry.Kind is OutboxKind.Alert or OutboxKind.LevelChange ? entry.Level : alert.Level),
            now,
            entry.IncidentKey,
            context.Incident.Title,
            CatalogNames.Name(context.Incident.Source),
            HttpLink(context.Incident.Link),
            plan.Id,
            plan.Title,
            plan.Version,
            links,
            services,
            assessment?.Reasons ?? [],
            alert.Paged,
            alert.BridgeUrl,
            alert.WarRoomUrl ?? context.WarRooms.GetValueOrDefault(plan.Id),
            actions,
            note);
    }

    /// <summary>One delivery step, at most once: skipped when the ledger has it sent (or failed for good).</summary>
    private async Task<NotificationRecord> StepAsync(
        Context context, string plan, string step, string channel, string recipient, Func<Task<(string? Id, string? Url)>> send, CancellationToken cancellationToken, bool fallbackFollows = false)
    {
        var entry = context.Entry;
        var id = NotificationId(entry.IncidentKey, plan, step, channel, recipient, entry.Id);
        var due = DateOnly.FromDateTime(entry.At.UtcDateTime);
        var record = await ledger.FindAsync(due, id, cancellationToken);
        if (record is { State: NotificationState.Sent or NotificationState.Failed })
        {
            return record;
        }

        var attempts = (record?.Attempts ?? 0) + 1;
        try
        {
            var (graphId, url) = await send();
            record = new NotificationRecord(id, due, entry.IncidentKey, plan, step, channel, recipient, NotificationState.Sent, attempts, graphId, url, null, time.GetUtcNow());
            await ledger.RecordAsync(record, cancellationToken);
            return record;
        }
        catch (TeamsDeliveryException e) when (!e.Transient)
        {
            record = new NotificationRecord(id, due, entry.IncidentKey, plan, step, channel, recipient, NotificationState.Failed, attempts, null, null, e.Message, time.GetUtcNow());
            await ledger.RecordAsync(record, cancellationToken);
            Log.StepFailed(logger, entry.IncidentKey, plan, step, channel, e.Message);
            if (!fallbackFollows)
            {
                context.Work.Refused[plan] = $"{step} ({channel}{(recipient.Length > 0 ? " to " + recipient : string.Empty)}) refused: {e.Message}";
            }

            return record;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            record = new NotificationRecord(id, due, entry.IncidentKey, plan, step, channel, recipient, NotificationState.Pending, attempts, null, null, e.Message, time.GetUtcNow());
            await ledger.RecordAsync(record, cancellationToken);
            if (e is TeamsDeliveryException { SignInRequired: true })
            {
                Log.SignInRequired(logger, e.Message);
                await RaiseSignInRequiredAsync(context, plan, e.Message, cancellationToken);
            }

            throw new DeliveryPendingException($"{step} ({channel}{(recipient.Length > 0 ? " to " + recipient : string.Empty)}) for plan {plan}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The notifications account can no longer post (its sign-in expired or was revoked): said loudly, once a day — an
    /// incident of its own in the hub (so it shows in the incident API and the report) and an e-mail to the plan's
    /// owner from the shared mailbox (app-only, which does not need the account).
    /// </summary>
    private async Task RaiseSignInRequiredAsync(Context context, string plan, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var externalId = "continuityhub-teams-sign-in-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var key = IncidentKey.Create(AliasSource.Generic, externalId);
        try
        {
            if (await incidents.FindAsync(key, cancellationToken) is null)
            {
                var incident = new Incident(
                    key,
                    AliasSource.Generic,
                    externalId,
                    "ContinuityHub cannot post to Teams: the notifications account must sign in again (run hub graph login)",
                    Priority.P2,
                    false,
                    IncidentState.Open,
                    now,
                    null,
                    [],
                    null);
                await incidents.WriteAsync(new IncidentWrite(new StoredIncident(incident, AssessmentLevel.None, null, now, now, [], null), null, null), cancellationToken);
                await audit.AppendAsync(new AuditEntry(now, "ContinuityHub", "TeamsSignInRequired", key, reason), cancellationToken);
            }

            var owner = context.Plans.TryGetValue(plan, out var p) ? p.Owner : null;
            if (owner is null || !owner.Contains('@', StringComparison.Ordinal))
            {
                return;
            }

            var id = NotificationId(key, plan, "signin", "mail", owner, day.ToString("O", CultureInfo.InvariantCulture));
            if (await ledger.FindAsync(day, id, cancellationToken) is { State: NotificationState.Sent })
            {
                return;
            }

            var body = $"<p>ContinuityHub cannot post alerts to the crisis team channels in Teams: {System.Net.WebUtility.HtmlEncode(reason)}</p>"
                + "<p>Personal notifications still go out. To restore channel posts, the platform engineer runs <code>hub graph login</code> as the notifications account.</p>"
                + $"<p>Waiting: incident {System.Net.WebUtility.HtmlEncode(context.Entry.IncidentKey)}, plan {System.Net.WebUtility.HtmlEncode(plan)}.</p>";
            await teams.SendMailAsync(owner, new MailNotice("ContinuityHub: Teams channel posts have stopped (sign-in required)", body), cancellationToken);
            await ledger.RecordAsync(new NotificationRecord(id, day, key, plan, "signin", "mail", owner, NotificationState.Sent, 1, null, null, null, now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SignInReportFailed(logger, e);
        }
    }

    /// <summary>The idempotency key of a delivery: 32 hex digits of the SHA-256 of its parts.</summary>
    public static string NotificationId(string incidentKey, string plan, string step, string channel, string recipient, string entryId)
    {
        var text = string.Join('\n', incidentKey, plan, step, channel, recipient.ToUpperInvariant(), entryId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    private static string WarRoomName(Incident incident, ContinuityPlan plan)
    {
        // Channel names: at most 50 characters, none of ~ # % & * { } + / \ : < > ? | ' " ..
        var name = new string($"War room {plan.Id} {incident.ExternalId}".Select(c => "~#%&*{}+/\\:<>?|'\"".Contains(c, StringComparison.Ordinal) || char.IsControl(c) ? '-' : c).ToArray());
        return Shorten(name, 50).TrimEnd('.');
    }

    /// <summary>A Teams link to the crisis channel, for an activity notification when the card is not posted yet (Graph wants a Teams link there).</summary>
    private static string ChannelLink(AlertCardModel model, Context context)
    {
        var team = context.Plans.TryGetValue(model.PlanId, out var plan) ? plan.CrisisTeam : null;
        return team is null
            ? "https://teams.microsoft.com"
            : $"https://teams.microsoft.com/l/channel/{Uri.EscapeDataString(team.ChannelId)}/ContinuityHub?groupId={Uri.EscapeDataString(team.TeamId)}";
    }

    private static string Words(AssessmentLevel level) => level switch
    {
        AssessmentLevel.RecommendInvocation => "Recommend invocation",
        _ => level.ToString(),
    };

    private static Uri? HttpLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private sealed class Context(EntryWork work, StoredIncident stored, IReadOnlyDictionary<string, ContinuityPlan> plans)
    {
        public EntryWork Work { get; } = work;

        public OutboxEntry Entry => Work.Entry;

        public StoredIncident Stored { get; } = stored;

        public Incident Incident => Stored.Incident;

        public IReadOnlyDictionary<string, ContinuityPlan> Plans { get; } = plans;

        public Dictionary<string, string?> WarRooms { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>An entry being delivered, and the changes its steps make to alerts (applied when it finishes).</summary>
    private sealed class EntryWork(OutboxEntry entry)
    {
        public OutboxEntry Entry { get; set; } = entry;

        public List<(string Plan, Func<PlanAlert, PlanAlert> Change)> Changes { get; } = [];

        /// <summary>Deliveries refused for good, per plan, in plain words.</summary>
        public Dictionary<string, string> Refused { get; } = new(StringComparer.Ordinal);

        /// <summary>The plans whose part could not finish now, with why: tried again by the sweep.</summary>
        public Dictionary<string, string> Pending { get; } = new(StringComparer.Ordinal);

        /// <summary>The plans whose part was not tried: an earlier entry of theirs is still pending.</summary>
        public HashSet<string> Waiting { get; } = new(StringComparer.Ordinal);

        public void Change(string plan, Func<PlanAlert, PlanAlert> change)
        {
            var index = Changes.FindIndex(c => c.Plan == plan);
            if (index < 0)
            {
                Changes.Add((plan, change));
            }
            else
            {
                var before = Changes[index].Change;
                Changes[index] = (plan, a => change(before(a)));
            }
        }
    }

    private sealed class DeliveryPendingException(string message, Exception? inner) : Exception(message, inner);

    private enum EntryOutcome
    {
        /// <summary>Every part delivered: the entry is done.</summary>
        Delivered,

        /// <summary>A part is pending or waiting; the later entries go on for the other plans.</summary>
        Left,

        /// <summary>Another sender holds the entry: it delivers the rest.</summary>
        Held,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "Notifications of incident {IncidentKey} could not be delivered now; the sweep will retry")]
        public static partial void DispatchFailed(ILogger logger, string incidentKey, Exception exception);

        [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "Outbox entry {EntryId} of incident {IncidentKey} is claimed by another sender until {Until}")]
        public static partial void Claimed(ILogger logger, string incidentKey, string entryId, DateTimeOffset until);

        [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Outbox entry {EntryId} ({Kind}) of incident {IncidentKey} still pending after attempt {Attempt}: {Reason}")]
        public static partial void EntryPending(ILogger logger, string incidentKey, string entryId, OutboxKind kind, int attempt, string reason);

        [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Outbox entry {EntryId} ({Kind}, {Level}) of incident {IncidentKey} delivered")]
        public static partial void EntryDelivered(ILogger logger, string incidentKey, string entryId, OutboxKind kind, AssessmentLevel level);

        [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "Incident {IncidentKey} concerns plan {Plan}, which has no crisis team (or is not in the catalogue): nobody to notify")]
        public static partial void NoCrisisTeam(ILogger logger, string incidentKey, string plan);

        [LoggerMessage(EventId = 6205, Level = LogLevel.Error, Message = "Delivery refused for good: incident {IncidentKey}, plan {Plan}, step {Step} ({Channel}): {Reason}")]
        public static partial void StepFailed(ILogger logger, string incidentKey, string plan, string step, string channel, string reason);

        [LoggerMessage(EventId = 6206, Level = LogLevel.Critical, Message = "Teams channel posts have stopped: {Reason}")]
        public static partial void SignInRequired(ILogger logger, string reason);

        [LoggerMessage(EventId = 6208, Level = LogLevel.Error, Message = "Could not raise the Teams sign-in incident or e-mail")]
        public static partial void SignInReportFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6207, Level = LogLevel.Warning, Message = "No read link for document {Document} of plan {Plan}; the card goes without it")]
        public static partial void DocumentLinkFailed(ILogger logger, string plan, string document, Exception exception);
    }
}
