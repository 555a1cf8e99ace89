using System.Diagnostics;
using System.Text;

namespace ContinuityHub.Testing;

/// <summary>How a program the tests ran ended, and everything it printed on each stream.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a program to its end for a test (the Bicep CLI, a deploy script under a fake <c>az</c>, headless Chromium):
/// output and error read as UTF-8, no input (stdin closed at once), and the whole process tree killed when it runs
/// past its time or the test is cancelled.
/// </summary>
public static class ProcessRun
{
    /// <summary>
    /// Starts <paramref name="start"/> (its file, arguments, working directory and environment; the streams are set
    /// here) and waits for it to exit. Throws <see cref="TimeoutException"/> when it has not within
    /// <paramref name="timeout"/>, <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
