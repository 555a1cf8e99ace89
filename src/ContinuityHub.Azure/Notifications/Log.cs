using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Notifications;

/// <summary>Notification storage adapter log messages (outbox, alerts, tokens, delivery ledger); event ids 6100-6199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information,
        Message = "Incident {IncidentKey}: outbox entry {Id} is already taken; this write's entries at that instant go from {RowKey}")]
    public static partial void OutboxEntryAtSameInstant(ILogger logger, string incidentKey, string id, string rowKey);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug,
        Message = "Incident {IncidentKey}: {Alerts} alerts and {Entries} outbox entries written (token: {HasToken})")]
    public static partial void AlertsWritten(ILogger logger, string incidentKey, int alerts, int entries, bool hasToken);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information,
        Message = "Incident {IncidentKey}: decision token {Nonce} was already used; nothing written")]
    public static partial void TokenAlreadyUsed(ILogger logger, string incidentKey, string nonce);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug,
        Message = "Incident {IncidentKey}: row {RowKey} changed since it was read (status {Status}, {ErrorCode}); nothing written")]
    public static partial void AlertRowChanged(ILogger logger, string incidentKey, string rowKey, int status, string? errorCode);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Debug,
        Message = "Incident {IncidentKey}: {Entries} outbox entries added with the incident change")]
    public static partial void OutboxEntriesAdded(ILogger logger, string incidentKey, int entries);

    [LoggerMessage(EventId = 6120, Level = LogLevel.Debug,
        Message = "Notification {Id} ({Channel} for incident {IncidentKey}, plan {Plan}) recorded {State}")]
    public static partial void NotificationRecorded(ILogger logger, string id, string channel, string incidentKey, string plan, NotificationState state);
}
