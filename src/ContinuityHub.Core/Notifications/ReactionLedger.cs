namespace ContinuityHub.Notifications;

/// <summary>
/// What the hub did by itself about an incident beyond Teams — the notes written back to its source record and the
/// plans' automation requests — as the delivery ledger holds them (one row per step, by the day of its outbox entry).
/// </summary>
public static class ReactionLedger
{
    /// <summary>The ledger is kept by day: an incident's notes are looked for on at most this many days.</summary>
    public const int MaxDays = 31;

    /// <summary>The incident's reaction records (write-backs, automation requests) from the day of <paramref name="from"/> to that of <paramref name="to"/> (the last <see cref="MaxDays"/> of them), oldest first.</summary>
    public static async Task<IReadOnlyList<NotificationRecord>> ListAsync(
        INotificationLedger ledger, string incidentKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        string[] channels = [new StepKey(DeliveryStep.WriteBackNote).Channel, new StepKey(DeliveryStep.AutomationRequest).Channel];
        var last = DateOnly.FromDateTime(to.UtcDateTime);
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        if (first < last.AddDays(-MaxDays + 1))
        {
            first = last.AddDays(-MaxDays + 1);
        }

        var records = new List<NotificationRecord>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            await foreach (var record in ledger.ListAsync(day, incidentKey, cancellationToken))
            {
                if (channels.Contains(record.Channel))
                {
                    records.Add(record);
                }
            }
        }

        return [.. records.OrderBy(r => r.UpdatedAt)];
    }
}
