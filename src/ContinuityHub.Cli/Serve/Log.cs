using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary><c>hub serve</c>'s own log lines (EventIds 5100–5199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "Scheduled work {Name} failed; it runs again {Schedule}")]
    public static partial void WorkFailed(ILogger logger, Exception exception, string name, string schedule);
}
