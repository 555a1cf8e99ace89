using Azure;

namespace ContinuityHub.Cli;

/// <summary>Where the CLI writes: results to standard output, problems and progress to standard error.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>A progress sink that writes each line to standard error as it happens.</summary>
    public IProgress<string> Progress => new LineProgress(Error);

    /// <summary>One line a user can act on, for a failure that is not their input's fault.</summary>
    public static string Explain(Exception e) => e switch
    {
        RequestFailedException { Status: 0 } r => $"storage is unreachable ({r.InnerException?.Message ?? r.Message}); check the Storage setting or start Azurite (see README)",
        RequestFailedException { Status: 403 } => "storage refused access (403); the identity needs Storage Table Data Contributor and Storage Blob Data Owner",
        RequestFailedException r => $"storage answered {r.Status} {r.ErrorCode}: {FirstLine(r.Message)}",
        AggregateException { InnerExceptions.Count: > 0 } a => Explain(a.InnerExceptions[0]),
        HttpRequestException h => $"storage is unreachable ({h.Message}); check the Storage setting or start Azurite (see README)",
        ConcurrencyConflictException c => c.Message,
        _ => FirstLine(e.Message),
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
