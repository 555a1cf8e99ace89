using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ContinuityHub.Local;

/// <summary>
/// Azurite, the real Table/Blob/Queue emulator, pinned in <c>infra/package.json</c>, started in memory on free loopback
/// ports (the OS picks them and Azurite reports them, so it runs beside a developer's own Azurite on the default
/// ports). <c>npm ci</c> runs first when <c>infra/node_modules</c> lacks it. Disposing stops it, process tree and all.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, in Microsoft's documentation).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _npmTimeout = TimeSpan.FromMinutes(10);

    private readonly Process _process;

    private AzuriteProcess(Process process, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        BlobEndpoint = Endpoint(ports["Blob"]);
        QueueEndpoint = Endpoint(ports["Queue"]);
        TableEndpoint = Endpoint(ports["Table"]);
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
            + $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";
    }

    public string ConnectionString { get; }

    public Uri BlobEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>Installs Azurite when <paramref name="infraDirectory"/> has no node_modules for it (saying so through <paramref name="progress"/>), then starts it.</summary>
    /// <exception cref="InvalidOperationException">Node.js or npm is missing, <c>npm ci</c> failed, or Azurite did not start; the message says which and why.</exception>
    public static async Task<AzuriteProcess> StartAsync(string infraDirectory, Action<string>? progress, CancellationToken cancellationToken)
    {
        var azurite = Path.Combine(infraDirectory, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(azurite))
        {
            progress?.Invoke($"Installing Azurite and the card renderer: npm ci in {infraDirectory} (once; a minute or two)…");
            foreach (var warning in await NpmCiAsync(infraDirectory, cancellationToken))
            {
                progress?.Invoke(warning);
            }
        }

        var output = new StringBuilder();
        var gate = new Lock();
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("node")
            {
                WorkingDirectory = Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList =
                {
                    azurite, "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                    "--blobHost", "127.0.0.1", "--blobPort", "0",
                    "--queueHost", "127.0.0.1", "--queuePort", "0",
                    "--tableHost", "127.0.0.1", "--tablePort", "0",
                },
            },
            EnableRaisingEvents = true,
        };

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                output.AppendLine(line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        listening.TrySetResult();
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("Azurite exited before it listened."));
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException("Could not start 'node' to run Azurite: install Node.js (22 or later) and put it on PATH.", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(_startTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            Stop(process);
            process.Dispose();
            if (exception is OperationCanceledException)
            {
                throw;
            }

            string text;
            lock (gate)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException($"Azurite did not start ({exception.Message}). Its output:{Environment.NewLine}{text}", exception);
        }

        return new AzuriteProcess(process, ports);
    }

    /// <summary>The processor time Azurite (one Node.js process) has used so far: where a storage-bound run spends its time.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Stops it at once, without waiting (for a process-exit handler).</summary>
    public void Kill() => Stop(_process);

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // It was told to stop; nothing more to wait for.
        }

        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Runs npm ci; answers npm's warnings (an engine it was not tested on, install scripts), which a user should see.</summary>
    private static async Task<IReadOnlyList<string>> NpmCiAsync(string infraDirectory, CancellationToken cancellationToken)
    {
        using var npm = new Process
        {
            StartInfo = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
            {
                WorkingDirectory = infraDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList = { "ci", "--no-audit", "--no-fund", "--loglevel=warn" },
            },
        };
        try
        {
            npm.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("Could not start 'npm' to install Azurite: install Node.js (22 or later, with npm) and put it on PATH.", exception);
        }

        var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_npmTimeout);
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Stop(npm);
            throw;
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {infraDirectory} failed (exit code {npm.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
        }

        return [.. (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("npm warn", StringComparison.OrdinalIgnoreCase))];
    }

    private static Uri Endpoint(int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{AccountName}"));

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
