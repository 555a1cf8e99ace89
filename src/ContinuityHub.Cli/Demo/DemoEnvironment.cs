using System.Security.Cryptography;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Commands;
using ContinuityHub.Cli.Serve;
using ContinuityHub.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// What the demo runs on, all of it its own: Azurite in memory on free ports (unless given a storage connection),
/// <c>hub serve</c>'s host on a free loopback port on the demo's clock with the local Teams and events sinks writing
/// into the output folder, the seed catalogue imported. Its settings come from nothing a user has set (no tenant, no
/// Service Bus, no secrets of theirs): the demo never reaches a real Teams. Disposing stops everything it started.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    public const string ContinuityTeam = "demo-continuity-team";
    public const string ContinuityChannel = "19:continuity@thread.tacv2";

    private readonly AzuriteProcess? _azurite;
    private readonly StreamWriter _log;

    private DemoEnvironment(AzuriteProcess? azurite, RunningServe serve, StreamWriter log, IReadOnlyDictionary<AliasSource, string> secrets, string apiKey, ContinuityCatalog catalog)
    {
        _azurite = azurite;
        Serve = serve;
        _log = log;
        Secrets = secrets;
        ApiKey = apiKey;
        Catalog = catalog;
    }

    public RunningServe Serve { get; }

    /// <summary>The webhook secret of each source, made up for this run.</summary>
    public IReadOnlyDictionary<AliasSource, string> Secrets { get; }

    /// <summary>The key <c>GET /api/incidents/{key}</c> asks for, made up for this run.</summary>
    public string ApiKey { get; }

    public ContinuityCatalog Catalog { get; }

    public Uri Address => new(Serve.Address + "/");

    public static async Task<DemoEnvironment> StartAsync(
        string repository, string output, string? storage, string? catalogPath, DemoClock clock, Action<string> progress, CancellationToken cancellationToken)
    {
        var infra = Path.Combine(repository, "infra");
        AzuriteProcess? azurite = null;
        if (storage is null)
        {
            progress("Starting Azurite (in memory, on free ports)…");
            azurite = await AzuriteProcess.StartAsync(infra, progress, cancellationToken);
        }

        var log = new StreamWriter(Path.Combine(output, "hub.log")) { AutoFlush = true };
        try
        {
            var secrets = Enum.GetValues<AliasSource>().ToDictionary(s => s, _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Storage"] = storage ?? azurite!.ConnectionString,
                [ServeHost.TeamsSinkSetting] = Path.Combine(output, "teams-sink"),
                [LocalEventSink.Setting] = Path.Combine(output, "events-sink"),
                [LocalReactionsSink.Setting] = Path.Combine(output, "reactions-sink"),
                ["Decisions:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Teams:ContinuityTeamId"] = ContinuityTeam,
                ["Teams:ContinuityChannelId"] = ContinuityChannel,
                [ServeSettings.ApiKeySetting] = apiKey,
            };
            foreach (var (source, secret) in secrets)
            {
                settings[ContinuityHub.Intake.WebhookAuthenticator.SecretSetting(source)] = secret;
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var serveSettings = ServeSettings.Read(configuration);
            progress("Starting the hub (hub serve's host, on a free loopback port)…");
            var serve = await ServeHost.StartAsync(configuration, serveSettings, ["http://127.0.0.1:0"], clock, new CliLoggerProvider(TextWriter.Synchronized(log)), cancellationToken);
            try
            {
                var path = catalogPath ?? Path.Combine(infra, "seed", "catalog.yaml");
                progress($"Importing the catalogue ({(catalogPath is null ? "infra/seed/catalog.yaml" : catalogPath)})…");
                var catalog = await CatalogCommands.LoadAsync(path, cancellationToken);
                var importer = serve.Services.GetRequiredService<CatalogImporter>();
                await importer.ImportAsync(catalog, new DirectoryDocumentSource(Path.GetDirectoryName(path)!), null, cancellationToken);
                return new DemoEnvironment(azurite, serve, log, secrets, apiKey, catalog);
            }
            catch
            {
                await serve.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await log.DisposeAsync();
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Serve.DisposeAsync();
        await _log.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
