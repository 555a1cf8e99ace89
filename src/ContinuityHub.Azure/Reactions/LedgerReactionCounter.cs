using ContinuityHub.Notifications;
using ContinuityHub.Reporting;

namespace ContinuityHub.Azure.Reactions;

/// <summary>The report's count of write-back notes, read from the delivery ledger (<see cref="ReactionLedger"/>).</summary>
public sealed class LedgerReactionCounter(INotificationLedger ledger) : IReactionCounter
{
    public async Task<ReactionCounts> CountAsync(string incidentKey, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var records = await ReactionLedger.ListAsync(ledger, incidentKey, since, until, cancellationToken);
        return new ReactionCounts(
            records.Count(r => r.State == NotificationState.Sent),
            records.Count(r => r.State == NotificationState.Failed),
            records.Count(r => r.State == NotificationState.Pending));
    }
}
