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

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "{Instruction} Until then the card previews in {SinkDirectory} show each card's JSON")]
    public static partial void CardRendererMissing(ILogger logger, string instruction, string sinkDirectory);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Local Graph could not copy the Adaptive Cards renderer {Library} into the Teams sink {SinkDirectory}; the card previews show each card's JSON")]
    public static partial void CardRendererCopyFailed(ILogger logger, Exception exception, string library, string sinkDirectory);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Local Graph answered {Method} {Path} with an injected {Status}")]
    public static partial void FaultInjected(ILogger logger, string method, string path, int status);
}
