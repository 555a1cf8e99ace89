namespace ContinuityHub.Notifications;

/// <summary>The notes written back about an incident, as the delivery ledger holds them (one row per note, by the day of its outbox entry).</summary>
public static class WriteBackLedger
{
    /// <summary>The ledger is kept by day: an incident's notes are looked for on at most this many days.</summary>
    public const int MaxDays = 31;

    /// <summary>The incident's write-back records from the day of <paramref name="from"/> to that of <paramref name="to"/> (the last <see cref="MaxDays"/> of them), oldest first.</summary>
    public static async Task<IReadOnlyList<NotificationRecord>> ListAsync(
        INotificationLedger ledger, string incidentKey, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var channel = new StepKey(DeliveryStep.WriteBackNote).Channel;
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
                if (record.Channel == channel)
                {
                    records.Add(record);
                }
            }
        }

        return [.. records.OrderBy(r => r.UpdatedAt)];
    }
}
