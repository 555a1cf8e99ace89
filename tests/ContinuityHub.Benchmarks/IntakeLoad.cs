using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Benchmarks;

/// <summary>
/// Intake throughput end to end against a private Azurite (in memory, loopback): the seed catalogue imported into
/// Table Storage, then N generic-schema deliveries (80% new incidents, 20% updates of earlier ones) through
/// <see cref="IntakeService.ReceiveAsync"/> — archive blob, parse, read, assess, one entity-group transaction, mark —
/// C at a time. Prints events per second and the latency percentiles of a call.
/// </summary>
internal static class IntakeLoad
{
    public const string Name = "intake-load";

    private const int Warmup = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var deliveries = LoadArgs.Option(args, "--deliveries", 2000);
        var concurrency = LoadArgs.Option(args, "--concurrency", 16);
        if (deliveries < 1 || concurrency < 1)
        {
            await Console.Error.WriteLineAsync("usage: intake-load [--deliveries N (2000)] [--concurrency C (16)]");
            return 2;
        }

        var azurite = new AzuriteFixture();
        Console.WriteLine("Starting Azurite…");
        await azurite.InitializeAsync();
        try
        {
            return await RunAsync(azurite, deliveries, concurrency);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<int> RunAsync(AzuriteFixture azurite, int deliveries, int concurrency)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var token = cancel.Token;
        var clients = StorageClients.FromConnectionString(azurite.ConnectionString);

        // The seed catalogue, imported as `hub catalog import` does, read back through the cached provider.
        var seed = Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "seed", "catalog.yaml");
        var catalog = CatalogYamlReader.Read(await File.ReadAllTextAsync(seed, token));
        var catalogStore = new TableCatalogStore(clients);
        await new CatalogImporter(catalogStore, new BlobDocumentStore(clients))
            .ImportAsync(catalog, new DirectoryDocumentSource(Path.GetDirectoryName(seed)!), progress: null, token);
        using var catalogs = new CachedCatalogProvider(catalogStore, TimeProvider.System);

        var intake = new IntakeService(
            new BlobPayloadArchive(clients),
            new TableIncidentStore(clients),
            catalogs,
            new TableAuditLog(clients),
            TimeProvider.System,
            NullLogger<IntakeService>.Instance);

        var serviceIds = catalog.Services.Select(s => s.Id).ToArray();
        var warmup = Deliveries(Warmup, serviceIds, "WARM", new Random(1));
        var load = Deliveries(deliveries, serviceIds, "INC", new Random(22301));
        await RunAsync(intake, warmup, concurrency, token);

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Pushing {deliveries:N0} deliveries ({load.Count(d => d.IsNew):N0} new incidents, {load.Count(d => !d.IsNew):N0} updates), {concurrency} at a time…"));
        var (elapsed, latencies, duplicates) = await RunAsync(intake, load, concurrency, token);

        Array.Sort(latencies);
        var eventsPerSecond = deliveries / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            intake-load: {deliveries:N0} deliveries, concurrency {concurrency}, Azurite in memory on loopback
              {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}
              elapsed     {elapsed.TotalSeconds:F2} s
              throughput  {eventsPerSecond:F0} events/s
              latency     p50 {LoadArgs.Percentile(latencies, 0.50):F1} ms   p95 {LoadArgs.Percentile(latencies, 0.95):F1} ms   p99 {LoadArgs.Percentile(latencies, 0.99):F1} ms   max {latencies[^1]:F1} ms
              duplicates  {duplicates} (expected 0)
            """));
        return duplicates == 0 ? 0 : 1;
    }

    private static async Task<(TimeSpan Elapsed, double[] LatenciesMs, int Duplicates)> RunAsync(
        IntakeService intake, IReadOnlyList<Delivery> deliveries, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new double[deliveries.Count];
        var duplicates = 0;
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, deliveries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var request = new IntakeRequest(AliasSource.Generic, deliveries[i].Body, IntakeChannel.Http);
                var started = Stopwatch.GetTimestamp();
                var result = await intake.ReceiveAsync(request, token);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (result.Duplicate)
                {
                    Interlocked.Increment(ref duplicates);
                }
            });
        return (total.Elapsed, latencies, duplicates);
    }

    /// <summary>
    /// <paramref name="count"/> generic-schema deliveries: 80% open a new incident on one to three catalogued
    /// services, 20% update an earlier incident (its priority, title, state or restore estimate changes).
    /// </summary>
    private static List<Delivery> Deliveries(int count, string[] serviceIds, string prefix, Random random)
    {
        var deliveries = new List<Delivery>(count);
        var incidents = new List<JsonObject>();
        string[] states = ["Open", "Open", "Mitigated", "Resolved"];
        var start = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            JsonObject incident;
            var isNew = incidents.Count == 0 || random.NextDouble() < 0.8;
            if (isNew)
            {
                var services = new JsonArray();
                foreach (var id in Enumerable.Range(0, random.Next(1, 4)).Select(_ => serviceIds[random.Next(serviceIds.Length)]).Distinct())
                {
                    services.Add(id);
                }

                incident = new JsonObject
                {
                    ["id"] = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D6}"),
                    ["title"] = string.Create(CultureInfo.InvariantCulture, $"Load test incident {i}"),
                    ["priority"] = $"P{random.Next(1, 5)}",
                    ["state"] = "Open",
                    ["startedAt"] = start.AddSeconds(random.Next(0, 3600)).ToString("O", CultureInfo.InvariantCulture),
                    ["services"] = services,
                    ["major"] = random.Next(10) == 0,
                };
                incidents.Add(incident);
            }
            else
            {
                incident = incidents[random.Next(incidents.Count)];
                incident["title"] = string.Create(CultureInfo.InvariantCulture, $"{incident["title"]!.GetValue<string>().Split(" (", 2)[0]} (update {i})");
                incident["priority"] = $"P{random.Next(1, 5)}";
                incident["state"] = states[random.Next(states.Length)];
                incident["estimatedRestoreAt"] = start.AddHours(random.Next(2, 12)).ToString("O", CultureInfo.InvariantCulture);
            }

            deliveries.Add(new Delivery(Encoding.UTF8.GetBytes(incident.ToJsonString()), isNew));
        }

        return deliveries;
    }


    private sealed record Delivery(byte[] Body, bool IsNew);
}
