using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Storage;

/// <summary>Storage adapter log messages; event ids 2000-2099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "Catalogue table {Table} replaced: {Added} added, {Updated} updated, {Deleted} deleted, {Unchanged} unchanged")]
    public static partial void CatalogueTableReplaced(ILogger logger, string table, int added, int updated, int deleted, int unchanged);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Catalogue import stopped: {Table} row {Row} changed meanwhile (status {Status}, {ErrorCode})")]
    public static partial void CatalogueConflict(ILogger logger, string table, string row, int status, string? errorCode);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "Plan document {BlobName} was already stored with the same content")]
    public static partial void DocumentAlreadyStored(ILogger logger, string blobName);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information,
        Message = "Plan document {BlobName} stored ({Sha256})")]
    public static partial void DocumentStored(ILogger logger, string blobName, string sha256);
}
