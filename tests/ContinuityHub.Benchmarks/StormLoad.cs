using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Http;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Local;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Benchmarks;

/// <summary>
/// An incident storm through the real intake route: <c>POST /api/intake/{source}</c> mapped as <c>hub serve</c> maps it
/// (<see cref="IntakeEndpoint"/> over <see cref="HubServiceCollectionExtensions.AddContinuityHub"/>) on Kestrel
/// (127.0.0.1, port 0), a private Azurite with the seed catalogue, Teams to the loopback Graph (<see cref="LocalGraph"/>).
/// N incidents over all seven sources (the vendor samples of <c>infra/samples/</c>, re-keyed per incident, signed as
/// each tool signs); pass 1 sends 80% of the events (per incident an open, updates, a resolve; incidents interleaved),
/// pass 2 the other 20%: exact duplicates (the same bytes) of pass-1 deliveries. Every storage request is counted
/// (a pipeline policy on the clients the app uses). Then every 202 is checked against the incident's history (the
/// delivery there exactly once). The floor — per new event one blob upload and one two-entity entity-group
/// transaction, straight through the SDK, at the same concurrency — is run before the storm and again after it, once
/// the outbox has drained; the ratio is the pipeline's time over their mean, so a machine that slows down or speeds up
/// during the run weighs on both sides. The processor time of Azurite and of this process is printed per phase.
/// </summary>
internal static class StormLoad
{
    public const string Name = "storm";

    private const string FloorTable = "stormfloor";
    private const string FloorContainer = "storm-floor";
    private const double RatioTarget = 1.5;
    private const double NewEventTarget = 3;
    private const double DuplicateTarget = 1;
    private const double P99Target = 3;

    private static readonly string[] _sources = ["servicenow", "jira", "pagerduty", "opsgenie", "azuremonitor", "alertmanager", "generic"];

    public static async Task<int> RunAsync(string[] args)
    {
        var events = LoadArgs.Option(args, "--events", 10000);
        var incidents = LoadArgs.Option(args, "--incidents", 50);
        var concurrency = LoadArgs.Option(args, "--concurrency", 16);
        if (incidents < 1 || concurrency < 1 || events - (events / 5) < incidents)
        {
            await Console.Error.WriteLineAsync("usage: storm [--events E (10000)] [--incidents N (50), at most 80% of E] [--concurrency C (16)]");
            return 2;
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(60));
        var token = cancel.Token;
        var azurite = new AzuriteFixture();
        Console.WriteLine("Starting Azurite and the local Graph…");
        await azurite.InitializeAsync();
        try
        {
            await using var graph = await LocalGraph.StartAsync(null, token);
            return await RunAsync(azurite, graph, events, incidents, concurrency, token);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<int> RunAsync(AzuriteFixture azurite, LocalGraph graph, int events, int incidents, int concurrency, CancellationToken token)
    {
        var counter = new StormCounter(azurite.TableEndpoint.Port, azurite.QueueEndpoint.Port);
        var clients = CountedClients(azurite.ConnectionString, counter);

        // The seed catalogue, imported as `hub catalog import` does.
        var seed = Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "seed", "catalog.yaml");
        var catalog = CatalogYamlReader.Read(await File.ReadAllTextAsync(seed, token));
        await new CatalogImporter(new TableCatalogStore(clients), new BlobDocumentStore(clients))
            .ImportAsync(catalog, new DirectoryDocumentSource(Path.GetDirectoryName(seed)!), progress: null, token);

        await using var app = await StartHostAsync(azurite, graph, clients, token);
        var address = new Uri(app.Urls.First().TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

        // Warm-up: an open and a resolve per source (tables and containers created, code jitted), then counters reset.
        var warmup = _sources.SelectMany((s, i) => new[] { Open(s, Id(s, "warm", i), 0), Resolve(s, Id(s, "warm", i), 0) }).ToList();
        var warm = await SendAsync(http, warmup, 1, token);
        if (warm.Outcomes.Any(o => o.Status != HttpStatusCode.Accepted))
        {
            await Console.Error.WriteLineAsync("storm: the warm-up deliveries were not all accepted: "
                + string.Join(", ", warm.Outcomes.Select(o => o.Status.ToString())));
            return 1;
        }

        graph.Reset();

        var (pass1, pass2) = Storm(events, incidents, new Random(20261204));

        // The floor is run before the storm and again after it (once the outbox has drained), and their mean is the
        // ratio's denominator: a machine that slows or speeds up during the run weighs on both sides alike.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Floor before the storm: {pass1.Count:N0} × (blob upload + 2-entity entity-group transaction), {concurrency} at a time…"));
        var cpuFloor0 = (Azurite: azurite.ProcessorTime, Hub: Environment.CpuUsage.TotalTime);
        var floorBefore = await FloorAsync(clients, pass1, [.. Enumerable.Range(0, pass1.Count)], concurrency, "before", token);
        var cpuFloor1 = (Azurite: azurite.ProcessorTime, Hub: Environment.CpuUsage.TotalTime);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Pass 1: {pass1.Count:N0} deliveries (opens, updates, resolves) of {incidents} incidents over {_sources.Length} sources, {concurrency} at a time, to {address}api/intake/{{source}}…"));
        var before1 = counter.Count;
        var beforeRequestPath1 = counter.OnRequestPath;
        var shapes0 = counter.Snapshot();
        var bytes0 = counter.BytesSnapshot();
        var cpu0 = (Azurite: azurite.ProcessorTime, Hub: Environment.CpuUsage.TotalTime);
        var first = await SendAsync(http, pass1, concurrency, token);
        var tx1 = counter.Count - before1;
        var requestPath1 = counter.OnRequestPath - beforeRequestPath1;
        var shapes1 = counter.Snapshot();
        var bytes1 = counter.BytesSnapshot();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pass 2: {pass2.Count:N0} exact duplicates of pass-1 deliveries…"));
        var before2 = counter.Count;
        var second = await SendAsync(http, pass2, concurrency, token);
        var cpu1 = (Azurite: azurite.ProcessorTime, Hub: Environment.CpuUsage.TotalTime);
        var tx2 = counter.Count - before2;
        var shapes2 = counter.Snapshot();

        var alerts = app.Services.GetRequiredService<IAlertStore>();
        var pending = await PendingAsync(alerts, token);

        // What the notification pipeline still had to do is left to finish before the second floor, so as not to slow it.
        var draining = Stopwatch.StartNew();
        var left = pending;
        while (left > 0 && draining.Elapsed < _drainLimit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), token);
            left = await PendingAsync(alerts, token);
        }

        var drained = draining.Elapsed;
        var offPathToDrained = (counter.Count - before1) - (counter.OnRequestPath - beforeRequestPath1);
        var outbox = await OutboxEntriesAsync(clients, token);
        var graphRequests = graph.Requests;
        var messages = graphRequests.Count(r => r.Succeeded && r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal));
        var replies = graphRequests.Count(r => r.Succeeded && r.Method == "POST" && r.Path.EndsWith("/replies", StringComparison.Ordinal));
        var teamsPosts = Math.Max(messages + replies, 1);

        // A post sent twice (a retry after its answer was lost, a step run again) is the same body to the same path.
        var duplicatePosts = graphRequests
            .Where(r => r.Succeeded && r.Method == "POST" && (r.Path.EndsWith("/messages", StringComparison.Ordinal) || r.Path.EndsWith("/replies", StringComparison.Ordinal)))
            .GroupBy(r => (r.Path, r.Body))
            .Sum(g => g.Count() - 1);

        var check = await CheckAsync(app.Services.GetRequiredService<IIncidentStore>(), pass1.Concat(pass2).ToList(), first.Outcomes.Concat(second.Outcomes).ToList(), token);

        // The floor: the unavoidable round trips of the new events, straight through the SDK, at the same concurrency.
        var newEvents = first.Outcomes.Where(o => o.Status == HttpStatusCode.Accepted && !o.Duplicate).Select(o => o.Index).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Floor after the storm: {newEvents.Count:N0} × (blob upload + 2-entity entity-group transaction), {concurrency} at a time…"));
        var beforeFloor = counter.Count;
        var shapesBeforeFloor = counter.Snapshot();
        var bytesBeforeFloor = counter.BytesSnapshot();
        var cpu2 = (Azurite: azurite.ProcessorTime, Hub: Environment.CpuUsage.TotalTime);
        var floorAfter = await FloorAsync(clients, pass1, newEvents, concurrency, "after", token);
        var cpu3 = (Azurite: azurite.ProcessorTime, Hub: Environment.CpuUsage.TotalTime);
        var txFloor = counter.Count - beforeFloor;
        var shapesFloor = counter.Snapshot();
        var bytesFloor = counter.BytesSnapshot();

        var all = first.Latencies.Concat(second.Latencies).ToArray();
        Array.Sort(all);
        var pipelineElapsed = first.Elapsed + second.Elapsed;
        var floorElapsed = (floorBefore.Elapsed + floorAfter.Elapsed) / 2;
        var floorLatencies = floorBefore.Latencies.Concat(floorAfter.Latencies).Order().ToArray();
        var ratio = pipelineElapsed.TotalSeconds / floorElapsed.TotalSeconds;
        var perNew = (double)tx1 / Math.Max(first.New, 1);
        var perNewOnRequestPath = (double)requestPath1 / Math.Max(first.New, 1);
        var perDuplicate = (double)tx2 / Math.Max(pass2.Count, 1);
        var p99 = LoadArgs.Percentile(all, 0.99);
        var floorP99 = LoadArgs.Percentile(floorLatencies, 0.99);
        var levels = first.Outcomes.Concat(second.Outcomes)
            .Where(o => o.Key is not null && o.Level is not null)
            .GroupBy(o => o.Level!, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Select(o => o.Key).Distinct(StringComparer.Ordinal).Count()}")
            .Order(StringComparer.Ordinal);
        var statuses = first.Outcomes.Concat(second.Outcomes)
            .GroupBy(o => (int)o.Status)
            .OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} × {g.Count():N0}"));

        var invariant = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(invariant, $"""

            storm: {events:N0} events ({pass1.Count:N0} opens/updates/resolves, then {pass2.Count:N0} exact duplicates), {incidents} incidents over {_sources.Length} sources, concurrency {concurrency}
              POST /api/{IntakeEndpoint.Route} on Kestrel ({address}), AddContinuityHub, Azurite in memory, Teams to the local Graph, all on loopback
              {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}

              pass 1       {first.Elapsed.TotalSeconds:F2} s, {pass1.Count / first.Elapsed.TotalSeconds:F0} events/s; latency {Latency(first.Latencies)}
              pass 2       {second.Elapsed.TotalSeconds:F2} s, {pass2.Count / second.Elapsed.TotalSeconds:F0} events/s; latency {Latency(second.Latencies)}
              overall      {pipelineElapsed.TotalSeconds:F2} s, {events / pipelineElapsed.TotalSeconds:F0} events/s; accept latency {Latency(all)}
              answers      {string.Join(", ", statuses)}; pass 1: {first.New:N0} new, {first.Duplicates} duplicate (expected 0); pass 2: {second.Duplicates:N0} duplicate, {second.New} new (expected 0)
              incidents    by level answered (an incident counts once per level it reached): {string.Join(", ", levels)}
              storage      pass 1: {tx1:N0} requests, {perNew:F2} per new event; pass 2: {tx2:N0} requests, {perDuplicate:F2} per duplicate
                per new event    {StormCounter.Breakdown(shapes0, shapes1, first.New)}
                where            on the request path {perNewOnRequestPath:F3} per new event; off it (the notification pipeline, timers) {perNew - perNewOnRequestPath:F2} per new event, {(double)offPathToDrained / teamsPosts:F1} per Teams message or reply (from the storm's start until the outbox drained)
                mean body        {StormCounter.MeanBodies(shapes0, shapes1, bytes0, bytes1)}
                per duplicate    {StormCounter.Breakdown(shapes1, shapes2, pass2.Count)}
              teams        {messages:N0} channel messages (cards) and {replies:N0} replies posted to the local Graph, {graphRequests.Count:N0} Graph requests in all; {pending} outbox entries pending when the storm ended, {left} after {drained.TotalSeconds:F1} s more
                           they follow the outbox's {outbox.Entries:N0} entries ({outbox.ByKind}; the warm-up's included), not the {events:N0} events; the same post twice: {duplicatePosts}
              history      {check.Checked:N0} accepted deliveries checked: {check.Missing} missing, {check.Doubled} more than once
            lost: {check.Missing + check.Doubled}

              floor        {newEvents.Count:N0} × (1 blob upload + 1 two-entity entity-group transaction), concurrency {concurrency}, before the storm and after it: mean {floorElapsed.TotalSeconds:F2} s; latency {Latency(floorLatencies)}
                before     {floorBefore.Elapsed.TotalSeconds:F2} s; latency {Latency(floorBefore.Latencies)}
                after      {floorAfter.Elapsed.TotalSeconds:F2} s, {txFloor:N0} requests; latency {Latency(floorAfter.Latencies)}
                mean body        {StormCounter.MeanBodies(shapesBeforeFloor, shapesFloor, bytesBeforeFloor, bytesFloor)}

              cpu          pipeline: Azurite {(cpu1.Azurite - cpu0.Azurite).TotalSeconds:F1} s ({(cpu1.Azurite - cpu0.Azurite) / pipelineElapsed:P0} of its wall time; Node.js serves on one thread), this process (hub, senders, local Graph) {(cpu1.Hub - cpu0.Hub).TotalSeconds:F1} s
                           floor before: Azurite {(cpuFloor1.Azurite - cpuFloor0.Azurite).TotalSeconds:F1} s, this process {(cpuFloor1.Hub - cpuFloor0.Hub).TotalSeconds:F1} s; after: Azurite {(cpu3.Azurite - cpu2.Azurite).TotalSeconds:F1} s, this process {(cpu3.Hub - cpu2.Hub).TotalSeconds:F1} s

              target ratio (pipeline {pipelineElapsed.TotalSeconds:F2} s / floor {floorElapsed.TotalSeconds:F2} s) {ratio:F2} ≤ {RatioTarget:F1}: {Verdict(ratio <= RatioTarget)}
              target storage per new event {perNew:F2} ≤ {NewEventTarget:F0}: {Verdict(perNew <= NewEventTarget)} (on the request path alone {perNewOnRequestPath:F3}: {Verdict(perNewOnRequestPath <= NewEventTarget)})
              target storage per duplicate {perDuplicate:F2} ≤ {DuplicateTarget:F0}: {Verdict(perDuplicate <= DuplicateTarget)}
              target p99 {p99:F1} ms ≤ {P99Target:F0} × floor p99 {floorP99:F1} ms = {P99Target * floorP99:F1} ms: {Verdict(p99 <= P99Target * floorP99)}
            ratio: {ratio:F2}
            """);
        Console.Write(report.ToString());
        return check.Missing + check.Doubled == 0 ? 0 : 1;
    }

    private static readonly TimeSpan _drainLimit = TimeSpan.FromSeconds(60);

    /// <summary>The outbox entries of the run (one per incident and change of level or stand-down, never one per event), counted by kind.</summary>
    private static async Task<(int Entries, string ByKind)> OutboxEntriesAsync(StorageClients clients, CancellationToken token)
    {
        var table = await clients.GetTableAsync(StorageNames.IncidentsTable, token);
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>("RowKey ge 'outbox~' and RowKey lt 'outbox~~'", select: ["Kind"], cancellationToken: token))
        {
            var kind = row.GetString("Kind") ?? "?";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        return (kinds.Values.Sum(), string.Join(", ", kinds.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value:N0}"))));
    }

    private static async Task<int> PendingAsync(IAlertStore alerts, CancellationToken token)
    {
        var pending = 0;
        await foreach (var _ in alerts.ListPendingOutboxAsync(token))
        {
            pending++;
        }

        return pending;
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "FAIL";

    private static string Latency(double[] sorted) => sorted.Length == 0
        ? "none"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"p50 {LoadArgs.Percentile(sorted, 0.50):F1} ms   p95 {LoadArgs.Percentile(sorted, 0.95):F1} ms   p99 {LoadArgs.Percentile(sorted, 0.99):F1} ms   max {sorted[^1]:F1} ms");

    /// <summary>The app's clients, each storage request (every try, a batch as one) counted by <paramref name="counter"/>.</summary>
    private static StorageClients CountedClients(string connectionString, StormCounter counter)
    {
        var tables = new TableClientOptions();
        tables.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var blobs = new BlobClientOptions();
        blobs.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var queues = new QueueClientOptions();
        queues.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return new StorageClients(
            new TableServiceClient(connectionString, tables),
            new BlobServiceClient(connectionString, blobs),
            new QueueServiceClient(connectionString, queues));
    }

    /// <summary>
    /// The intake route as <c>hub serve</c> maps it, on the services <c>AddContinuityHub</c> composes, with the counted
    /// <paramref name="clients"/> registered first (it adds its own only if none is: TryAdd), every source's secret,
    /// and Graph at the local stand-in.
    /// </summary>
    private static async Task<WebApplication> StartHostAsync(AzuriteFixture azurite, LocalGraph graph, StorageClients clients, CancellationToken token)
    {
        var settings = new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            ["Storage"] = azurite.ConnectionString,
            ["Graph:BaseUrl"] = graph.BaseUrl.ToString(),
            ["Graph:MailSender"] = "continuity@contoso.example",
            ["Graph:MeetingOrganizer"] = "crisis-bridge@contoso.example",
            ["Decisions:BaseUrl"] = "https://func-continuityhub.azurewebsites.net/",
            ["Decisions:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var source in _sources)
        {
            settings[WebhookAuthenticator.SecretSetting(WebhookSamples.Source(source))] = WebhookSamples.Secret(source);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(StormLoad).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(clients);
        builder.Services.AddContinuityHub(builder.Configuration);

        var app = builder.Build();
        try
        {
            app.MapGroup("/api").MapPost(
                "/" + IntakeEndpoint.Route,
                async (string source, HttpRequest request, [FromServices] IntakeEndpoint endpoint, CancellationToken cancellationToken) =>
                {
                    // Scoped to this request's flow: the dispatcher's workers, started with the host, never see it.
                    StormCounter.RequestPath.Value = true;
                    return await endpoint.HandleAsync(source, request, cancellationToken);
                });
            if (!ReferenceEquals(app.Services.GetRequiredService<StorageClients>(), clients))
            {
                throw new InvalidOperationException("AddContinuityHub replaced the StorageClients registered before it: the storage requests would not be counted.");
            }

            await app.StartAsync(token);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Pass 1: per incident (sources round-robin) an open, updates, and a resolve, in rounds of the incidents shuffled;
    /// pass 2: a fifth of the events, exact duplicates of pass-1 deliveries drawn at random.
    /// </summary>
    private static (List<Delivery> Pass1, List<Delivery> Pass2) Storm(int events, int incidents, Random random)
    {
        var duplicates = events / 5;
        var fresh = events - duplicates;
        var perIncident = Enumerable.Range(0, incidents).Select(i =>
        {
            var source = _sources[i % _sources.Length];
            var id = Id(source, "storm", i);
            var count = (fresh / incidents) + (i < fresh % incidents ? 1 : 0);
            return Enumerable.Range(0, count)
                .Select(k => k == 0 ? Open(source, id, i) : k == count - 1 ? Resolve(source, id, i) : Update(source, id, i, k))
                .ToList();
        }).ToList();

        var pass1 = new List<Delivery>(fresh);
        for (var round = 0; pass1.Count < fresh; round++)
        {
            var order = Enumerable.Range(0, incidents).Where(i => round < perIncident[i].Count).ToArray();
            random.Shuffle(order);
            pass1.AddRange(order.Select(i => perIncident[i][round]));
        }

        var picks = Enumerable.Range(0, pass1.Count).ToArray();
        random.Shuffle(picks);
        var pass2 = picks.Take(duplicates).Select(i => pass1[i]).ToList();
        return (pass1, pass2);
    }

    private static string Id(string source, string prefix, int incident) => string.Create(CultureInfo.InvariantCulture, $"{source[..3]}-{prefix}-{incident:D5}");

    private static Delivery Open(string source, string id, int incident) => Signed(source, incident, WebhookSamples.Open(source, id));

    private static Delivery Resolve(string source, string id, int incident) => Signed(source, incident, WebhookSamples.Resolved(source, id));

    /// <summary>The open sample with a new title (and for PagerDuty a new event id): a distinct delivery.</summary>
    private static Delivery Update(string source, string id, int incident, int update)
    {
        var root = JsonNode.Parse(WebhookSamples.Open(source, id))!;
        var suffix = string.Create(CultureInfo.InvariantCulture, $" (update {update})");
        switch (source)
        {
            case "servicenow":
                var record = root["result"] ?? root;
                if (record["short_description"] is JsonObject field)
                {
                    field["display_value"] = field["display_value"]!.GetValue<string>() + suffix;
                    field["value"] = field["value"]!.GetValue<string>() + suffix;
                }
                else
                {
                    record["short_description"] = record["short_description"]!.GetValue<string>() + suffix;
                }

                break;
            case "jira":
                root["issue"]!["fields"]!["summary"] = root["issue"]!["fields"]!["summary"]!.GetValue<string>() + suffix;
                break;
            case "pagerduty":
                root["event"]!["id"] = string.Create(CultureInfo.InvariantCulture, $"{id}-update-{update}");
                root["event"]!["data"]!["title"] = root["event"]!["data"]!["title"]!.GetValue<string>() + suffix;
                break;
            case "opsgenie":
                root["alert"]!["message"] = root["alert"]!["message"]!.GetValue<string>() + suffix;
                break;
            case "azuremonitor":
                root["data"]!["essentials"]!["description"] = root["data"]!["essentials"]!["description"]!.GetValue<string>() + suffix;
                break;
            case "alertmanager":
                root["commonAnnotations"]!["summary"] = root["commonAnnotations"]!["summary"]!.GetValue<string>() + suffix;
                break;
            default:
                root["title"] = root["title"]!.GetValue<string>() + suffix;
                break;
        }

        return Signed(source, incident, Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    /// <summary>The body signed as the source signs, and the key the hub logs it under (its event id, else the body's SHA-256).</summary>
    private static Delivery Signed(string source, int incident, byte[] body)
    {
        string? header = null;
        string? value = null;
        string? query = null;
        WebhookSamples.Sign(
            source,
            body,
            WebhookSamples.Secret(source),
            (name, text) => (header, value) = (name, text),
            (name, text) => query = $"?{name}={Uri.EscapeDataString(text)}");
        var deliveryKey = source == "pagerduty"
            ? JsonNode.Parse(body)!["event"]!["id"]!.GetValue<string>()
            : Convert.ToHexStringLower(SHA256.HashData(body));
        return new Delivery(incident, source, body, new Uri($"api/intake/{source}{query}", UriKind.Relative), header, value, deliveryKey);
    }

    private static async Task<Sent> SendAsync(HttpClient http, IReadOnlyList<Delivery> deliveries, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new double[deliveries.Count];
        var outcomes = new Outcome[deliveries.Count];
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, deliveries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var delivery = deliveries[i];
                using var content = new ByteArrayContent(delivery.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Uri) { Content = content };
                if (delivery.Header is { } header)
                {
                    request.Headers.TryAddWithoutValidation(header, delivery.HeaderValue);
                }

                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, token);
                var accepted = response.StatusCode == HttpStatusCode.Accepted ? await response.Content.ReadFromJsonAsync<IntakeAccepted>(token) : null;
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                outcomes[i] = new Outcome(i, response.StatusCode, accepted?.IncidentKey, accepted?.Level, accepted?.Duplicate ?? false);
            });
        var elapsed = total.Elapsed;
        Array.Sort(latencies);
        return new Sent(elapsed, latencies, outcomes);
    }

    /// <summary>Every delivery answered 202 is in its incident's history exactly once (by its delivery key).</summary>
    private static async Task<Check> CheckAsync(IIncidentStore store, IReadOnlyList<Delivery> deliveries, IReadOnlyList<Outcome> outcomes, CancellationToken cancellationToken)
    {
        var missing = 0;
        var doubled = 0;
        var checkedCount = 0;
        var histories = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is not { Status: HttpStatusCode.Accepted, Key: { } key })
            {
                continue;
            }

            if (!histories.TryGetValue(key, out var counts))
            {
                var history = await store.GetHistoryAsync(key, cancellationToken);
                counts = (history?.Events ?? []).GroupBy(e => e.DeliveryKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                histories[key] = counts;
            }

            checkedCount++;
            var found = counts.GetValueOrDefault(deliveries[i].DeliveryKey);
            if (found == 0)
            {
                missing++;
            }
            else if (found > 1)
            {
                doubled++;
            }
        }

        return new Check(checkedCount, missing, doubled);
    }

    private static async Task<Sent> FloorAsync(StorageClients clients, List<Delivery> pass1, List<int> indexes, int concurrency, string run, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(FloorContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var table = clients.Tables.GetTableClient(FloorTable);
        await table.CreateIfNotExistsAsync(cancellationToken);
        async Task OnceAsync(string name, Delivery delivery, CancellationToken token)
        {
            await container.GetBlobClient(name + ".json").UploadAsync(BinaryData.FromBytes(delivery.Body), token);
            var partition = string.Create(CultureInfo.InvariantCulture, $"{delivery.Source}-{delivery.Incident:D5}");
            await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "event~" + name) { ["DeliveryKey"] = delivery.DeliveryKey }),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "incident") { ["Last"] = name }),
                ],
                token);
        }

        for (var w = 0; w < concurrency; w++)
        {
            await OnceAsync(string.Create(CultureInfo.InvariantCulture, $"{run}-warm-{w:D4}"), pass1[w % pass1.Count], cancellationToken);
        }

        var latencies = new double[indexes.Count];
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, indexes.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var started = Stopwatch.GetTimestamp();
                await OnceAsync(string.Create(CultureInfo.InvariantCulture, $"{run}-{i:D6}"), pass1[indexes[i]], token);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
        var elapsed = total.Elapsed;
        Array.Sort(latencies);
        return new Sent(elapsed, latencies, []);
    }

    private sealed record Delivery(int Incident, string Source, byte[] Body, Uri Uri, string? Header, string? HeaderValue, string DeliveryKey);

    private sealed record Outcome(int Index, HttpStatusCode Status, string? Key, string? Level, bool Duplicate);

    private sealed record Sent(TimeSpan Elapsed, double[] Latencies, Outcome[] Outcomes)
    {
        public int New => Outcomes.Count(o => o.Status == HttpStatusCode.Accepted && !o.Duplicate);

        public int Duplicates => Outcomes.Count(o => o.Status == HttpStatusCode.Accepted && o.Duplicate);
    }

    private sealed record Check(int Checked, int Missing, int Doubled);
}
