using System.Text;
using System.Text.RegularExpressions;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// <c>hub serve</c> running in-process, as from a shell: started with its arguments, its output read as it is
/// written (the address it listens on comes from its "Listening on" line), stopped as Ctrl+C stops it.
/// </summary>
internal sealed partial class ServeRun : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _exit;

    private ServeRun(CancellationTokenSource stop, Task<int> exit, LiveWriter output, LiveWriter error)
    {
        _stop = stop;
        _exit = exit;
        Out = output;
        Error = error;
    }

    public LiveWriter Out { get; }

    public LiveWriter Error { get; }

    /// <summary>The first address it listens on, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public Task<int> Exit => _exit;

    private const string ReadyLine = "Press Ctrl+C to stop.";

    /// <summary>Starts <c>hub serve</c> with <paramref name="args"/> and waits until it listens and has printed its whole banner (or exits).</summary>
    public static async Task<ServeRun> StartAsync(TimeProvider time, params string[] args)
    {
        var output = new LiveWriter();
        var error = new LiveWriter();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var exit = Task.Run(() => HubCli.RunAsync(["serve", .. args], output, error, time, stop.Token), TestContext.Current.CancellationToken);
        var run = new ServeRun(stop, exit, output, error);

        using var timeout = new CancellationTokenSource(s_startTimeout);
        while (true)
        {
            // The banner's last line: by then every line of it is written (the address comes first, the schedules last).
            var lines = output.Lines;
            if (lines.Contains(ReadyLine) && lines.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                run.Address = new Uri(match.Groups["url"].Value);
                return run;
            }

            if (exit.IsCompleted)
            {
                return run;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>
    /// Waits, at most 30 s, until <paramref name="done"/> holds of what hub serve wrote: it answers a webhook as soon as
    /// the delivery is stored and tells Teams right after, off the request path, so a test watches its sinks fill.
    /// </summary>
    public static async Task UntilAsync(Func<bool> done, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"hub serve did not get there in 30 s: {what}");
            }
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{bool}, string)"/>, for a condition read over hub serve's own routes.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await done())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"hub serve did not get there in 30 s: {what}");
            }
        }
    }

    /// <summary>What Ctrl+C does: cancels the command; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _exit.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exit.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"^Listening on (?<url>https?://\S+)$")]
    private static partial Regex Listening();

    /// <summary>A writer whose lines can be read while it is written to, from any thread.</summary>
    internal sealed class LiveWriter : TextWriter
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return _text.ToString();
                }
            }
        }

        public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override void Write(char value)
        {
            lock (_gate)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                _text.Append(value);
            }
        }
    }
}
