using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Graph;

/// <summary>The Microsoft Graph adapter's and the local Graph's log lines (EventIds 6000–6099).</summary>
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

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Graph {Operation} failed (status {Status}, transient {Transient}): {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, int? status, bool transient, string reason);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Graph {Operation} did not finish: {Reason}")]
    public static partial void CallInterrupted(ILogger logger, Exception exception, string operation, string reason);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "Graph {Operation}: the notifications account cannot sign in; run `hub graph login`")]
    public static partial void SignInRequired(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Error, Message = "Graph {Operation}: {Whose} credential could not get a token")]
    public static partial void CredentialFailed(ILogger logger, Exception exception, string operation, string whose);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning, Message = "Microsoft Graph is not configured: {Operation} left in the outbox")]
    public static partial void NotConfigured(ILogger logger, string operation);
}
