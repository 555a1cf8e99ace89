using ContinuityHub.Assessment;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.ServiceBus;

/// <summary>Service Bus intake log messages; event ids 2200-2299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information,
        Message = "Service Bus intake is off: no ServiceBus setting (a connection string, or ServiceBus:fullyQualifiedNamespace); the incident queue is not drained")]
    public static partial void DrainDisabled(ILogger logger);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information,
        Message = "Message {MessageId} from {Source} applied to incident {IncidentKey} at {Level} (duplicate: {Duplicate})")]
    public static partial void Completed(ILogger logger, string messageId, string source, string incidentKey, AssessmentLevel level, bool duplicate);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning,
        Message = "Message {MessageId} from {Source} dead-lettered ({Reason}): {Description}")]
    public static partial void DeadLettered(ILogger logger, string messageId, string source, string reason, string description);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning,
        Message = "Message {MessageId} from {Source} abandoned at delivery {DeliveryCount}; it will be delivered again")]
    public static partial void Abandoned(ILogger logger, Exception exception, string messageId, string source, int deliveryCount);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning,
        Message = "Message {MessageId} from {Source} (incident {IncidentKey}) could not be settled ({Outcome}); it will be delivered again")]
    public static partial void SettleFailed(ILogger logger, Exception exception, string messageId, string source, string incidentKey, string outcome);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information,
        Message = "Queue {Queue} drained: {Received} received, {Completed} completed, {DeadLettered} dead-lettered, {Abandoned} abandoned in {ElapsedMs} ms")]
    public static partial void Drained(ILogger logger, string queue, int received, int completed, int deadLettered, int abandoned, long elapsedMs);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Debug,
        Message = "Queue {Queue} drain stopped: its budget of {BudgetMs} ms is spent")]
    public static partial void BudgetSpent(ILogger logger, string queue, long budgetMs);
}
