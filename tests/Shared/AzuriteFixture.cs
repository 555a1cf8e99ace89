using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace ContinuityHub.Testing;

/// <summary>
/// A private Azurite (the version pinned in <c>infra/package.json</c>) for one test assembly: installed with
/// <c>npm ci</c> when <c>infra/node_modules</c> lacks it, started in memory on loopback ports the OS picks, and
/// stopped with its whole process tree when the assembly's tests are done. Register it per test project with
/// <c>[assembly: AssemblyFixture(typeof(AzuriteFixture))]</c> and take it as a constructor parameter.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, documented, local only).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxStartAttempts = 3;

    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _npmTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Process? _process;

    /// <summary>The repository root: the nearest folder above the test binaries holding <c>Serverless.sln</c>.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// A connection string for the development account with explicit Blob, Queue and Table endpoints on this
    /// Azurite's ports. Works with <c>TableServiceClient</c>, <c>BlobServiceClient</c> and <c>QueueServiceClient</c>.
    /// </summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public Uri BlobEndpoint { get; private set; } = null!;

    public Uri QueueEndpoint { get; private set; } = null!;

    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>A table name no other test uses: <paramref name="prefix"/> (letters) and 12 random letters and digits.</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>A blob container or queue name no other test uses: lowercase <paramref name="prefix"/>, a hyphen, 12 hex digits.</summary>
    public static string UniqueContainerName(string prefix = "c") =>
        prefix.ToLowerInvariant() + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public async ValueTask InitializeAsync()
    {
        var infra = Path.Combine(RepositoryRoot, "infra");
        var azurite = Path.Combine(infra, "node_modules", "azurite", "dist", "src", "azurite.js");
        await EnsureInstalledAsync(infra, azurite);

        Exception? last = null;
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            try
            {
                await StartAsync(azurite);
                AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
                return;
            }
            catch (AzuriteExitedException exception)
            {
                last = exception;
            }
        }

        throw new InvalidOperationException($"Azurite did not start in {MaxStartAttempts} attempts.", last);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await StopAsync();
    }

    private async Task StartAsync(string azurite)
    {
        var output = new StringBuilder();
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var process = new Process
        {
            StartInfo = new ProcessStartInfo("node")
            {
                // In memory, so nothing is written; the working directory only has to exist.
                WorkingDirectory = Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList =
                {
                    azurite,
                    "--inMemoryPersistence",
                    "--skipApiVersionCheck",
                    "--disableTelemetry",
                    "--silent",
                    // Port 0: the OS picks free ports and Azurite reports them, so parallel test runs never clash.
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

            lock (_gate)
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
        process.Exited += (_, _) => listening.TrySetException(new AzuriteExitedException());

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException("Could not start 'node' to run Azurite; install Node.js (20 or later) and put it on PATH.", exception);
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await listening.Task.WaitAsync(_startTimeout);
        }
        catch (Exception exception) when (exception is TimeoutException or AzuriteExitedException)
        {
            await StopAsync();
            string text;
            lock (_gate)
            {
                text = output.ToString();
            }

            var what = exception is TimeoutException
                ? $"Azurite did not listen on all three services within {_startTimeout.TotalSeconds:0} s"
                : "Azurite exited before it listened";
            var message = $"{what} ({azurite}). Its output:{Environment.NewLine}{text}";
            throw exception is TimeoutException
                ? new InvalidOperationException(message, exception)
                : new AzuriteExitedException(message);
        }

        BlobEndpoint = Endpoint(ports["Blob"]);
        QueueEndpoint = Endpoint(ports["Queue"]);
        TableEndpoint = Endpoint(ports["Table"]);
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
            + $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";
    }

    private static Uri Endpoint(int port) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{AccountName}"));

    private async Task StopAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(_stopTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or will be shortly; nothing more a test run can do about it.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        var process = Interlocked.Exchange(ref _process, null);
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Runs <c>npm ci</c> in <c>infra/</c> when Azurite is not installed, one test process at a time.</summary>
    private static async Task EnsureInstalledAsync(string infra, string azurite)
    {
        if (File.Exists(azurite))
        {
            return;
        }

        var lockPath = Path.Combine(
            Path.GetTempPath(),
            "continuityhub-npm-ci-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(infra)))[..16] + ".lock");
        using var installLock = await AcquireAsync(lockPath);
        if (File.Exists(azurite))
        {
            return;
        }

        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo(npm)
            {
                WorkingDirectory = infra,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                ArgumentList = { "ci", "--no-audit", "--no-fund" },
            },
        };
        var output = new StringBuilder();
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { lock (gate) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (gate) { output.AppendLine(e.Data); } };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("Could not start 'npm' to install Azurite (npm ci in infra/); install Node.js and npm.", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(_npmTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        if (!process.HasExited || process.ExitCode != 0 || !File.Exists(azurite))
        {
            string text;
            lock (gate)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException(
                $"'npm ci' in {infra} did not install Azurite (exit {(process.HasExited ? process.ExitCode : -1)}). Its output:{Environment.NewLine}{text}");
        }
    }

    private static async Task<FileStream> AcquireAsync(string path)
    {
        using var timeout = new CancellationTokenSource(_npmTimeout);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another test process is installing; wait for it.
                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at https?://[^\s]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    private sealed class AzuriteExitedException : Exception
    {
        public AzuriteExitedException()
            : base("Azurite exited.")
        {
        }

        public AzuriteExitedException(string message)
            : base(message)
        {
        }

        public AzuriteExitedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
