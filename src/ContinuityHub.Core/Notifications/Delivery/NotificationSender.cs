using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using ContinuityHub.Reactions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>What a sweep of the outbox did.</summary>
public sealed record SweepResult(int Incidents, int Delivered, int Pending);

/// <summary>
/// The outbox processor (DESIGN section 4): claims an incident's entries in order, hands each to the handler of its
/// kind, and finishes or releases it. Each (incident, plan) is a stream of its own: a plan's part of an entry is
/// delivered unless an earlier entry of the same plan is still pending, so one plan's stuck step never delays another
/// plan (nor another incident), and each crisis team hears of level changes in order. Steps run at most once through
/// the delivery ledger (<see cref="StepRunner"/>); a transient failure leaves the plan's part pending for the sweep.
/// </summary>
public sealed class NotificationSender : IOutboxDispatcher
{
    private const int MaxWriteAttempts = 10;

    private readonly IAlertStore _alerts;
    private readonly IIncidentStore _incidents;
    private readonly ICatalogProvider _catalogs;
    private readonly NotificationSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<OutboxKind, IEntryHandler> _handlers;
    private readonly WriteBackHandler? _writeBack;
    private readonly AutomationHandler? _automations;

    public NotificationSender(
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
        ILogger<NotificationSender> logger,
        IWriteBackGateway? writeBack = null,
        IAutomationGateway? automations = null)
    {
        (_alerts, _incidents, _catalogs, _settings, _time, _logger) = (alerts, incidents, catalogs, settings, time, logger);
        var steps = new StepRunner(ledger, new SignInAlarm(incidents, ledger, teams, audit, time, logger), time, logger);
        var cards = new CardModelFactory(documents, tokens, settings, time, logger);
        var channel = new CrisisChannel(teams, alerts, steps, cards, channels);
        var invocation = new Invocation(teams, events, steps, channel, channels);
        IEntryHandler[] handlers =
        [
            new AlertHandler(alerts, teams, audit, steps, cards, channel, invocation, settings, channels, time, logger),
            new ConversationHandler(alerts, channel),
            new DecisionFollowUpHandler(alerts, channel, logger),
            new InvocationHandler(alerts, invocation, logger),
            new AutomationReplyHandler(alerts, channel, logger),
        ];
        _writeBack = writeBack is null ? null : new WriteBackHandler(writeBack, steps, settings);
        _automations = automations is null ? null : new AutomationHandler(alerts, automations, new AutomationTokens(tokens), steps, channel, settings, time, logger);
        _handlers = handlers.SelectMany(h => h.Kinds.Select(k => (Kind: k, Handler: h))).ToDictionary(p => p.Kind, p => p.Handler);
    }

    public async Task DispatchAsync(string incidentKey, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverIncidentAsync(incidentKey, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The entry stays in the outbox; the sweep delivers it.
            NotificationLog.DispatchFailed(_logger, incidentKey, e);
        }
    }

    /// <summary>Delivers every pending entry of every incident, in order per incident.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var entry in _alerts.ListPendingOutboxAsync(cancellationToken))
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
                NotificationLog.DispatchFailed(_logger, key, e);
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
        var pending = await _alerts.PendingOutboxAsync(incidentKey, cancellationToken);
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        var delivered = 0;
        foreach (var entry in pending)
        {
            var outcome = await DeliverEntryAsync(entry, waiting, cancellationToken);
            if (outcome == EntryOutcome.Held)
            {
                break;
            }

            delivered += outcome == EntryOutcome.Delivered ? 1 : 0;
        }

        return (delivered, pending.Count - delivered);
    }

    /// <summary>Claims and delivers one entry, skipping the plans in <paramref name="waiting"/> and adding those left pending.</summary>
    private async Task<EntryOutcome> DeliverEntryAsync(OutboxEntry entry, HashSet<string> waiting, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(entry, cancellationToken) is not { } claimed)
        {
            return EntryOutcome.Held;
        }

        // Nobody claimed it before this sender (the claim's ETag says so): none of its steps can be in the ledger.
        var work = new EntryWork(claimed) { FirstClaim = entry.Claims == 0 };
        await RunAsync(work, waiting, cancellationToken);
        await FinishAsync(work, cancellationToken);
        waiting.UnionWith(work.Pending.Keys);
        waiting.UnionWith(work.Waiting);
        if (work.Pending.Count > 0)
        {
            NotificationLog.EntryPending(_logger, entry.IncidentKey, entry.Id, entry.Kind, claimed.Attempts + 1, string.Join("; ", work.Pending.Values));
            return EntryOutcome.Left;
        }

        if (work.Waiting.Count > 0)
        {
            return EntryOutcome.Left;
        }

        NotificationLog.EntryDelivered(_logger, entry.IncidentKey, entry.Id, entry.Kind, entry.Level);
        return EntryOutcome.Delivered;
    }

    /// <summary>The entry claimed for this sender, or null when another sender holds it (or changed it since it was read).</summary>
    private async Task<OutboxEntry?> ClaimAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (entry.ClaimedUntil is { } until && until > now)
        {
            NotificationLog.Claimed(_logger, entry.IncidentKey, entry.Id, until);
            return null;
        }

        // Written only while the entry is as read (its ETag): then no other sender holds it, and it is not done.
        return await _alerts.ReplaceOutboxAsync(entry with { ClaimedUntil = now + _settings.Claim, Claims = entry.Claims + 1 }, cancellationToken);
    }

    /// <summary>Delivers each plan's part of the entry, but for the plans in <paramref name="waiting"/>; a part that cannot finish now is pending.</summary>
    private async Task RunAsync(EntryWork work, HashSet<string> waiting, CancellationToken cancellationToken)
    {
        var entry = work.Entry;
        var stored = await _incidents.FindAsync(entry.IncidentKey, cancellationToken);
        if (stored is null)
        {
            work.Pending[string.Empty] = $"Incident {entry.IncidentKey} is not stored.";
            return;
        }

        var catalog = (await _catalogs.GetAsync(cancellationToken)).Catalog;
        var context = new DeliveryContext(work, stored, catalog.Plans.ToDictionary(p => p.Id, StringComparer.Ordinal), catalog.Policy);
        var parts = await _handlers[entry.Kind].PartsAsync(context, cancellationToken);
        var reactions = (_writeBack?.Parts(context, cancellationToken) ?? []).Concat(_automations?.Parts(context, cancellationToken) ?? []);
        foreach (var part in parts.Concat(reactions))
        {
            if (waiting.Contains(part.Plan))
            {
                work.Waiting.Add(part.Plan);
                continue;
            }

            try
            {
                await part.DeliverAsync();
            }
            catch (DeliveryPendingException pending)
            {
                work.Pending[part.Plan] = pending.Message;
            }
        }
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
                var current = await _alerts.FindAlertAsync(entry.IncidentKey, plan, cancellationToken);
                var updated = change(current ?? PlanAlert.Start(entry.IncidentKey, plan, entry.Level) with { ETag = null });
                changed.Add(updated with { DeliveryProblem = Problem(work, plan, updated.DeliveryProblem), ETag = current?.ETag });
            }

            if (await _alerts.WriteAsync(new AlertWrite(entry.IncidentKey, changed, [Finished(work)]), cancellationToken) == WriteOutcome.Written)
            {
                return;
            }

            if ((await _alerts.PendingOutboxAsync(entry.IncidentKey, cancellationToken)).FirstOrDefault(e => e.Id == entry.Id) is not { } fresh)
            {
                return;
            }

            work.Entry = fresh;
        }

        throw new ConcurrencyConflictException($"The alerts of incident {work.Entry.IncidentKey} kept changing while outbox entry {work.Entry.Id} was finished; the sweep will finish it.");
    }

    /// <summary>A real failure someone must act on: a refusal, or a step still failing after <see cref="NotificationSettings.ProblemAfterAttempts"/>.</summary>
    private string? Problem(EntryWork work, string plan, string? before)
    {
        var attempts = work.Entry.Attempts + 1;
        if (work.Pending.TryGetValue(plan, out var reason))
        {
            return attempts >= _settings.ProblemAfterAttempts ? $"Delivery keeps failing ({attempts} attempts, retrying): {reason}" : before;
        }

        return work.Refused.GetValueOrDefault(plan);
    }

    private static OutboxEntry Finished(EntryWork work) =>
        work.Pending.Count > 0
            ? work.Entry with { Attempts = work.Entry.Attempts + 1, LastError = string.Join("; ", work.Pending.Values), ClaimedUntil = null }
            : work.Waiting.Count > 0
                ? work.Entry with { ClaimedUntil = null }
                : work.Entry with { Done = true, ClaimedUntil = null, LastError = null };
}
