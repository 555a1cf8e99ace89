using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Intake;

/// <summary>Intake storage adapter log messages; event ids 2100-2199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug,
        Message = "Incident {IncidentKey} written (new: {IsNew}, event: {HasEvent}, assessment: {HasAssessment})")]
    public static partial void IncidentWritten(ILogger logger, string incidentKey, bool isNew, bool hasEvent, bool hasAssessment);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug,
        Message = "Incident {IncidentKey}: delivery {DeliveryKey} is already in its event log; nothing written")]
    public static partial void DeliveryAlreadyRecorded(ILogger logger, string incidentKey, string deliveryKey);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug,
        Message = "Incident {IncidentKey}: the incident row changed since it was read (status {Status}, {ErrorCode}); nothing written")]
    public static partial void IncidentChanged(ILogger logger, string incidentKey, int status, string? errorCode);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information,
        Message = "Incident {IncidentKey}: an assessment is already recorded at {At}; this one is recorded under {RowKey}")]
    public static partial void AssessmentAtSameInstant(ILogger logger, string incidentKey, DateTimeOffset at, string rowKey);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "Incident {IncidentKey}: {What} did not fit in a table row; only its level is stored")]
    public static partial void AssessmentOmitted(ILogger logger, string incidentKey, string what);

    [LoggerMessage(EventId = 2120, Level = LogLevel.Debug,
        Message = "Payload from {Source} archived at {ArchivePath} ({Bytes} bytes, {Channel})")]
    public static partial void PayloadArchived(ILogger logger, string source, string archivePath, int bytes, IntakeChannel channel);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Debug,
        Message = "Archived payload {ArchivePath} marked {Status}")]
    public static partial void PayloadMarked(ILogger logger, string archivePath, ArchiveStatus status);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Warning,
        Message = "Archived payload {ArchivePath} has no readable {Metadata} metadata; it is left out of the re-drive list")]
    public static partial void UnreadableArchiveMetadata(ILogger logger, string archivePath, string metadata);

    [LoggerMessage(EventId = 2123, Level = LogLevel.Information,
        Message = "Archive write of {ArchivePath} was retried after it succeeded (same content hash); going on")]
    public static partial void RetriedWriteRecognised(ILogger logger, string archivePath);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning,
        Message = "Incident {IncidentKey}: storage refused the write as invalid (status {Status}, {ErrorCode}); the delivery is rejected")]
    public static partial void WriteRefused(ILogger logger, string incidentKey, int status, string? errorCode);

    [LoggerMessage(EventId = 2140, Level = LogLevel.Debug,
        Message = "Audit: {Actor} {Action} {Subject}")]
    public static partial void AuditAppended(ILogger logger, string actor, string action, string subject);
}
