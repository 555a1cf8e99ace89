using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Graph;

/// <summary>The Microsoft Graph adapter's log lines (EventIds 6010–6099; 6000–6009 are the local Graph's, in ContinuityHub.Local).</summary>
internal static partial class Log
{
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
