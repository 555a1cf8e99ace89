using System.Security.Cryptography;
using System.Text;
using ContinuityHub.Local;
using Xunit;

namespace ContinuityHub.Testing;

/// <summary>
/// A private Azurite for one test assembly, started as <c>hub demo</c> starts it (<see cref="AzuriteProcess"/>: the
/// pinned version, installed with <c>npm ci</c> when missing, in memory on loopback ports the OS picks) and stopped
/// with its whole process tree when the assembly's tests are done. Register it per test project with
/// <c>[assembly: AssemblyFixture(typeof(AzuriteFixture))]</c> and take it as a constructor parameter.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = AzuriteProcess.AccountName;

    /// <summary>Azurite's well-known development account key (public, documented, local only).</summary>
    public const string AccountKey = AzuriteProcess.AccountKey;

    private const int MaxStartAttempts = 3;

    private static readonly TimeSpan _npmTimeout = TimeSpan.FromMinutes(10);

    private AzuriteProcess? _azurite;

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

    /// <summary>The processor time the Azurite process has used so far.</summary>
    public TimeSpan ProcessorTime => _azurite?.ProcessorTime ?? TimeSpan.Zero;

    /// <summary>A table name no other test uses: <paramref name="prefix"/> (letters) and 12 random letters and digits.</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>A blob container or queue name no other test uses: lowercase <paramref name="prefix"/>, a hyphen, 12 hex digits.</summary>
    public static string UniqueContainerName(string prefix = "c") =>
        prefix.ToLowerInvariant() + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public async ValueTask InitializeAsync()
    {
        var infra = Path.Combine(RepositoryRoot, "infra");
        var installed = File.Exists(Path.Combine(infra, "node_modules", "azurite", "dist", "src", "azurite.js"));

        // Test projects run in parallel: one installs (npm ci, inside AzuriteProcess), the others wait for it.
        var lockPath = Path.Combine(
            Path.GetTempPath(),
            "continuityhub-npm-ci-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(infra)))[..16] + ".lock");
        using (installed ? null : await AcquireAsync(lockPath))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    _azurite = await AzuriteProcess.StartAsync(infra, null, CancellationToken.None);
                    break;
                }
                catch (InvalidOperationException) when (attempt < MaxStartAttempts)
                {
                    // Azurite exited before it listened (a port taken between its choice and its bind): try again.
                }
            }
        }

        ConnectionString = _azurite.ConnectionString;
        BlobEndpoint = _azurite.BlobEndpoint;
        QueueEndpoint = _azurite.QueueEndpoint;
        TableEndpoint = _azurite.TableEndpoint;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (Interlocked.Exchange(ref _azurite, null) is { } azurite)
        {
            await azurite.DisposeAsync();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Interlocked.Exchange(ref _azurite, null)?.Kill();

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
}
