using Microsoft.Extensions.Logging;

namespace ContinuityHub.Local;

/// <summary>The local Graph's log lines (EventIds 6000–6009, beside the Graph adapter's 6010–6099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Local Graph listening on {BaseUrl}; Teams sink {SinkDirectory}")]
    public static partial void LocalGraphStarted(ILogger logger, Uri baseUrl, string sinkDirectory);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Local Graph could not write request {Sequence} ({Method} {Path}) to the Teams sink {SinkDirectory}")]
    public static partial void SinkWriteFailed(ILogger logger, Exception exception, int sequence, string method, string path, string sinkDirectory);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Local Graph could not write the card preview {FileName} of request {Sequence}")]
    public static partial void CardPreviewFailed(ILogger logger, Exception exception, string fileName, int sequence);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Local Graph answered {Method} {Path} with an injected {Status}")]
    public static partial void FaultInjected(ILogger logger, string method, string path, int status);
}
