using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// Runs each delivery step at most once: the ledger (DESIGN section 4) records it under a typed key of (incident,
/// plan, step, recipient, entry) before the entry is done, so a retry skips what was sent. A transient failure leaves
/// the step pending (the plan's part is retried); a refusal that will not change (403, 404) is recorded as failed and
/// becomes the plan's delivery problem, unless a fallback follows it.
/// </summary>
internal sealed class StepRunner(INotificationLedger ledger, SignInAlarm signIn, TimeProvider time, ILogger logger)
{
    /// <summary>Whether the step was tried for this entry (sent, failed or pending).</summary>
    public async Task<bool> StartedAsync(DeliveryContext context, string plan, StepKey step, string recipient, CancellationToken cancellationToken)
    {
        var entry = context.Entry;
        return await FindAsync(context, DateOnly.FromDateTime(entry.At.UtcDateTime), step.Id(entry.IncidentKey, plan, recipient, entry.Id), cancellationToken) is not null;
    }

    /// <summary>The step's record: one this delivery wrote, none on an entry's first claim, else the ledger's.</summary>
    private async Task<NotificationRecord?> FindAsync(DeliveryContext context, DateOnly due, string id, CancellationToken cancellationToken) =>
        context.Work.Recorded.TryGetValue(id, out var mine) ? mine
            : context.Work.FirstClaim ? null
            : await ledger.FindAsync(due, id, cancellationToken);

    public async Task<NotificationRecord> RunAsync(
        DeliveryContext context,
        string plan,
        StepKey step,
        string recipient,
        Func<Task<(string? Id, string? Url)>> send,
        CancellationToken cancellationToken,
        bool fallbackFollows = false)
    {
        var entry = context.Entry;
        var id = step.Id(entry.IncidentKey, plan, recipient, entry.Id);
        var due = DateOnly.FromDateTime(entry.At.UtcDateTime);
        var record = await FindAsync(context, due, id, cancellationToken);
        if (record is { State: NotificationState.Sent or NotificationState.Failed })
        {
            return record;
        }

        var attempt = new Attempt(id, due, entry.IncidentKey, plan, step, recipient, (record?.Attempts ?? 0) + 1);
        try
        {
            var (graphId, url) = await send();
            return await RecordAsync(context, attempt, NotificationState.Sent, graphId, url, null, cancellationToken);
        }
        catch (TeamsDeliveryException e) when (!e.Transient)
        {
            NotificationLog.StepFailed(logger, entry.IncidentKey, plan, step.Name, step.Channel, e.Message);
            if (!fallbackFollows)
            {
                context.Work.Refused[plan] = $"{Describe(step, recipient)} refused: {e.Message}";
            }

            return await RecordAsync(context, attempt, NotificationState.Failed, null, null, e.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordAsync(context, attempt, NotificationState.Pending, null, null, e.Message, cancellationToken);
            if (e is TeamsDeliveryException { SignInRequired: true })
            {
                NotificationLog.SignInRequired(logger, e.Message);
                await signIn.RaiseAsync(context, plan, e.Message, cancellationToken);
            }

            throw new DeliveryPendingException($"{Describe(step, recipient)} for plan {plan}: {e.Message}", e);
        }
    }

    private async Task<NotificationRecord> RecordAsync(DeliveryContext context, Attempt a, NotificationState state, string? graphId, string? url, string? error, CancellationToken cancellationToken)
    {
        var record = new NotificationRecord(a.Id, a.Due, a.IncidentKey, a.Plan, a.Step.Name, a.Step.Channel, a.Recipient, state, a.Number, graphId, url, error, time.GetUtcNow());
        await ledger.RecordAsync(record, cancellationToken);
        context.Work.Recorded[a.Id] = record;
        return record;
    }

    private static string Describe(StepKey step, string recipient) =>
        $"{step.Name} ({step.Channel}{(recipient.Length > 0 ? " to " + recipient : string.Empty)})";

    private sealed record Attempt(string Id, DateOnly Due, string IncidentKey, string Plan, StepKey Step, string Recipient, int Number);
}
