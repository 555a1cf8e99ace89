namespace ContinuityHub.Notifications;

// The delivery ledger (Notifications table, PartitionKey yyyyMMdd of the entry's time, RowKey the notification id):
// one row per (incident, plan, level, channel, recipient), so a retry never sends twice.
// Implemented by ContinuityHub.Azure.Notifications.TableNotificationLedger.

public enum NotificationState
{
    Pending,
    Sent,

    /// <summary>Refused for good (e.g. 403, 404); recorded on the alert as a delivery problem.</summary>
    Failed,
}

/// <summary>One delivery: a card, a reply, an activity notification or e-mail to one person, a bridge, a war room, an event.</summary>
/// <param name="Id">The idempotency key: a hash of (incident, plan, level or step, channel, recipient).</param>
/// <param name="Due">The entry's day (UTC): the row's PartitionKey.</param>
/// <param name="Channel">card, reply, activity, mail, bridge, warroom, event.</param>
/// <param name="GraphId">What Graph gave back (message id, join URL, channel id), so a retry can go on from it.</param>
public sealed record NotificationRecord(
    string Id,
    DateOnly Due,
    string IncidentKey,
    string Plan,
    string Step,
    string Channel,
    string Recipient,
    NotificationState State,
    int Attempts,
    string? GraphId,
    string? GraphUrl,
    string? LastError,
    DateTimeOffset UpdatedAt);

public interface INotificationLedger
{
    Task<NotificationRecord?> FindAsync(DateOnly due, string id, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record.</summary>
    Task RecordAsync(NotificationRecord record, CancellationToken cancellationToken);

    /// <summary>Every record of the day <paramref name="due"/> for the incident.</summary>
    IAsyncEnumerable<NotificationRecord> ListAsync(DateOnly due, string incidentKey, CancellationToken cancellationToken);
}
