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

    [LoggerMessage(EventId = 2411, Level = LogLevel.Warning, Message = "Webhook from {Source} refused with {Status}: {Reason} (from {RemoteAddress})")]
    public static partial void Refused(ILogger logger, string source, int status, string reason, string remoteAddress);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Error, Message = "Could not audit the refused webhook from {Source} ({Status})")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string source, int status);
}
