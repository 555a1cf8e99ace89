using ContinuityHub.Assessment;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>The delivery pipeline's log messages (EventIds 6200–6219).</summary>
internal static partial class NotificationLog
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

    [LoggerMessage(EventId = 6207, Level = LogLevel.Warning, Message = "No read link for document {Document} of plan {Plan}; the card goes without it")]
    public static partial void DocumentLinkFailed(ILogger logger, string plan, string document, Exception exception);

    [LoggerMessage(EventId = 6208, Level = LogLevel.Error, Message = "Could not raise the Teams sign-in incident or e-mail")]
    public static partial void SignInReportFailed(ILogger logger, Exception exception);
}
