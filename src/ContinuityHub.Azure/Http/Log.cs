using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>The HTTP endpoints' log lines (EventIds 2400–2499).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Error, Message = "{Method} {Path} failed; answered {Status} with trace id {TraceId}")]
    public static partial void Failed(ILogger logger, Exception exception, string method, PathString path, int status, string traceId);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "{Method} {Path}: {Reason}; answered 503, the sender may retry")]
    public static partial void Busy(ILogger logger, string method, PathString path, string reason);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Webhook for unknown source {Source} refused with 404")]
    public static partial void UnknownSource(ILogger logger, string source);

    [LoggerMessage(EventId = 2414, Level = LogLevel.Warning, Message = "Webhook from {Source}: the body could not be read ({Reason}); answered {Status} (from {RemoteAddress})")]
    public static partial void BodyFailed(ILogger logger, string source, int status, string reason, string remoteAddress);

    [LoggerMessage(EventId = 2415, Level = LogLevel.Warning, Message = "Webhook from {Source}: storage did not answer within {Seconds} s; answered 503, the sender may retry")]
    public static partial void DeadlinePassed(ILogger logger, string source, int seconds);

    [LoggerMessage(EventId = 2416, Level = LogLevel.Warning, Message = "{Method} {Path}: the delivery could not be applied and is kept as rejected; answered 422")]
    public static partial void Unprocessable(ILogger logger, string method, PathString path);
}
