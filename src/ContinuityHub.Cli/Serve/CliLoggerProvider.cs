using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// Log lines for a person at a terminal, on standard error: <c>warn: ContinuityHub.Intake.IntakeService[3002] …</c>,
/// an exception as its type and message (never a stack trace).
/// </summary>
internal sealed class CliLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CliLogger(writer, categoryName);

    public void Dispose()
    {
    }

    private sealed class CliLogger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            var line = $"{level}: {category}[{eventId.Id}] {formatter(state, exception)}";
            if (exception is not null)
            {
                line += $" ({exception.GetType().Name}: {exception.Message.Split('\n', 2)[0].Trim()})";
            }

            writer.WriteLine(line);
        }
    }
}
