using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary><c>hub serve</c>'s own log lines (EventIds 5100–5199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Re-assessed {Open} open incident(s): {Changed} changed level, {Conflicts} left for the next run")]
    public static partial void Reassessed(ILogger logger, int open, int changed, int conflicts);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Re-assessing open incidents failed; trying again in {Every}")]
    public static partial void ReassessFailed(ILogger logger, Exception exception, TimeSpan every);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Escalating alerts or sweeping the notification outbox failed; trying again in {Every}")]
    public static partial void NotificationsFailed(ILogger logger, Exception exception, TimeSpan every);
}
