using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContinuityHub.Assessment;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Local;
using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Benchmarks;

/// <summary>
/// Teams alerting end to end against a private Azurite and the loopback Graph (<see cref="LocalGraph"/>), with the
/// app's services as <c>AddContinuityHub</c> composes them (one catalogue: online banking, tier 1, recovered by plan
/// dr-online whose crisis team has three tiers). Phase 1: N distinct P1 major incidents through
/// <see cref="IntakeService.ReceiveAsync"/>, C at a time; each is assessed Alert, writes one outbox entry, and the
/// intake dispatches it at once (card in the channel, activity notification to each person of tier 1). Phase 2: N
/// more under 429 storms (Retry-After: 0), then <see cref="NotificationSender.SweepAsync"/> until the outbox is empty,
/// and a check that every card and every personal notification went out exactly once.
/// </summary>
internal static partial class TeamsLoad
{
    public const string Name = "teams-load";

    private const int Warmup = 16;
    private const int MaxSweeps = 50;
    private const string Team = CrisisTeamCatalog.Team;
    private const string Channel = CrisisTeamCatalog.Channel;
    private const string Plan = CrisisTeamCatalog.Plan;
    private const string ActivityPath = "/teamwork/sendActivityNotification";
    private const string ThrottledPrefix = "THR";
    private const string CardShape = "/v1.0/teams/{team}/channels/{channel}/messages";

    private static readonly IReadOnlyList<string> _tier1 = CrisisTeamCatalog.Tier1;

    public static async Task<int> RunAsync(string[] args)
    {
        var incidents = LoadArgs.Option(args, "--incidents", 300);
        var concurrency = LoadArgs.Option(args, "--concurrency", 8);
        var storm = LoadArgs.Option(args, "--storm", 2 * incidents);
        if (incidents < 1 || concurrency < 1 || storm < 1)
        {
            await Console.Error.WriteLineAsync("usage: teams-load [--incidents N (300)] [--concurrency C (8)] [--storm K (2N): 429s per storm]");
            return 2;
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var token = cancel.Token;
        var azurite = new AzuriteFixture();
        Console.WriteLine("Starting Azurite and the local Graph…");
        await azurite.InitializeAsync();
        try
        {
            await using var graph = await LocalGraph.StartAsync(null, token);
            await using var services = Services(azurite, graph);
            return await RunAsync(services, graph, incidents, concurrency, storm, token);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<int> RunAsync(ServiceProvider services, LocalGraph graph, int incidents, int concurrency, int storm, CancellationToken token)
    {
        var intake = services.GetRequiredService<IntakeService>();
        var sender = services.GetRequiredService<NotificationSender>();
        var alerts = services.GetRequiredService<IAlertStore>();

        await PushAsync(intake, Outages("WARM", Warmup), concurrency, token);
        if (await PendingAsync(alerts, token) != 0 || graph.DeliveredTo("/messages").Count != Warmup)
        {
            await Console.Error.WriteLineAsync("teams-load: the warm-up incidents were not alerted through the local Graph; check the composition.");
            return 1;
        }

        // Phase 1: direct delivery, no faults.
        graph.Reset();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Phase 1: {incidents:N0} incidents, {concurrency} at a time, delivered by the intake…"));
        var direct = await PushAsync(intake, Outages("INC", incidents), concurrency, token);
        var directPending = await PendingAsync(alerts, token);
        var directRequests = graph.Requests;
        var directCheck = ExactlyOnce(directRequests, incidents);

        // Phase 2: 429 storms (Retry-After: 0), then sweeps until the outbox is empty.
        graph.Reset();
        graph.Fail(storm, 429, TimeSpan.Zero);
        graph.Fail(storm, 429, TimeSpan.Zero, r => r.Path.EndsWith(ActivityPath, StringComparison.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Phase 2: {incidents:N0} incidents under two storms of {storm:N0} × 429, then sweeps…"));
        var throttled = Stopwatch.StartNew();
        var pushed = await PushAsync(intake, Outages(ThrottledPrefix, incidents), concurrency, token);
        var pendingAfterIntake = await PendingAsync(alerts, token);
        var afterIntake = graph.Requests;
        var deliveredByIntake = afterIntake.Count(r => r.Succeeded);
        var partial = await PartialAsync(alerts, pushed, afterIntake, token);

        // A storm over the first sweep too, so the sweeps themselves meet throttling.
        graph.Fail(storm / 2, 429, TimeSpan.Zero);
        var sweeps = 0;
        var sweepClock = Stopwatch.StartNew();
        var pending = pendingAfterIntake;
        var pendingAfterSweeps = new List<int>();
        while (pending > 0 && sweeps < MaxSweeps)
        {
            await sender.SweepAsync(token);
            sweeps++;
            pending = await PendingAsync(alerts, token);
            pendingAfterSweeps.Add(pending);
        }

        var sweepElapsed = sweepClock.Elapsed;
        var throttledElapsed = throttled.Elapsed;
        var throttledRequests = graph.Requests;
        var throttledCheck = ExactlyOnce(throttledRequests, incidents);
        var delivered = throttledRequests.Count(r => r.Succeeded);
        var injected = throttledRequests.Count(r => r.Injected);
        var problems = 0;
        foreach (var key in pushed.Keys)
        {
            if ((await alerts.FindAlertAsync(key, Plan, token))?.DeliveryProblem is not null)
            {
                problems++;
            }
        }

        var pass = directPending == 0 && pending == 0 && directCheck.Pass && throttledCheck.Pass
            && direct.Alerted == incidents && pushed.Alerted == incidents;
        var report = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        report.AppendLine(invariant, $"""

            teams-load: {incidents:N0} incidents per phase, concurrency {concurrency}, Azurite in memory and the local Graph on loopback
              {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}

              phase 1: direct delivery (intake → assess → outbox → NotificationSender → Graph stub), no faults
                elapsed            {direct.Elapsed.TotalSeconds:F2} s
                incidents alerted  {direct.Alerted:N0} at level Alert: {direct.Alerted / direct.Elapsed.TotalSeconds:F1} /s end to end
                outbox delivered   {incidents - directPending:N0} entries: {(incidents - directPending) / direct.Elapsed.TotalSeconds:F1} /s ({directPending} left pending)
                graph requests     {directRequests.Count:N0}: {directRequests.Count / direct.Elapsed.TotalSeconds:F1} /s, {(double)directRequests.Count / incidents:F2} per incident alert
            """);
        foreach (var shape in directRequests.GroupBy(r => r.Method + " " + Shape(r.Path)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.AppendLine(invariant, $"                  {shape.Key,-66} {shape.Count(),6:N0}  {(double)shape.Count() / incidents:F2} per alert");
        }

        report.AppendLine(invariant, $"""
                latency            intake + delivery per incident: p50 {LoadArgs.Percentile(direct.Latencies, 0.50):F1} ms   p95 {LoadArgs.Percentile(direct.Latencies, 0.95):F1} ms   p99 {LoadArgs.Percentile(direct.Latencies, 0.99):F1} ms   max {direct.Latencies[^1]:F1} ms
                exactly once       {directCheck.Summary}

              phase 2: 429 × {storm:N0} on any request, then 429 × {storm:N0} on activity notifications during the intake, 429 × {storm / 2:N0} on any request over the sweeps
                       (Retry-After: 0; the SDK's retry handler tries each request 4 times before the outbox keeps it)
                elapsed            {throttledElapsed.TotalSeconds:F2} s (intake {pushed.Elapsed.TotalSeconds:F2} s, sweeps {sweepElapsed.TotalSeconds:F2} s)
                429s answered      {injected:N0} of {throttledRequests.Count:N0} requests
                after the intake   {deliveredByIntake:N0} notifications delivered, {pendingAfterIntake:N0} outbox entries pending ({partial:N0} of them with their card already posted)
                sweeps             {sweeps} until the outbox was empty (pending after each: {string.Join(", ", pendingAfterSweeps)}), {problems} delivery problems left on incidents
                delivered          {delivered:N0} notifications: {delivered / throttledElapsed.TotalSeconds:F1} /s overall, {(delivered - deliveredByIntake) / Math.Max(sweepElapsed.TotalSeconds, 1e-3):F1} /s in the sweeps
                latency            intake + delivery attempt per incident: p50 {LoadArgs.Percentile(pushed.Latencies, 0.50):F1} ms   p95 {LoadArgs.Percentile(pushed.Latencies, 0.95):F1} ms
                exactly once       {throttledCheck.Summary}

            {(pass ? "PASS" : "FAIL")}: every incident alerted, outbox empty, one card per incident and one activity notification per person of tier 1 per incident, in both phases
            """);
        Console.Write(report.ToString());
        return pass ? 0 : 1;
    }

    private static async Task<Pushed> PushAsync(IntakeService intake, List<byte[]> bodies, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new double[bodies.Count];
        var keys = new string[bodies.Count];
        var alerted = 0;
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, bodies.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var started = Stopwatch.GetTimestamp();
                var result = await intake.ReceiveAsync(new IntakeRequest(AliasSource.Generic, bodies[i], IntakeChannel.Http), token);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                keys[i] = result.IncidentKey;
                if (result.Level == AssessmentLevel.Alert && !result.Duplicate)
                {
                    Interlocked.Increment(ref alerted);
                }
            });
        var elapsed = total.Elapsed;
        Array.Sort(latencies);
        return new Pushed(elapsed, latencies, keys, alerted);
    }

    /// <summary>Pending outbox entries whose incident's card was already posted: a sweep must send the rest without posting it again.</summary>
    private static async Task<int> PartialAsync(IAlertStore alerts, Pushed pushed, IReadOnlyList<RecordedRequest> requests, CancellationToken cancellationToken)
    {
        var carded = requests
            .Where(r => r.Succeeded && Shape(r.Path) == CardShape)
            .Select(r => IncidentId(r.Body))
            .ToHashSet(StringComparer.Ordinal);
        var partial = 0;
        await foreach (var entry in alerts.ListPendingOutboxAsync(cancellationToken))
        {
            var index = Array.IndexOf(pushed.Keys, entry.IncidentKey);
            if (index >= 0 && carded.Contains(string.Create(CultureInfo.InvariantCulture, $"{ThrottledPrefix}-{index:D6}")))
            {
                partial++;
            }
        }

        return partial;
    }

    private static async Task<int> PendingAsync(IAlertStore alerts, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in alerts.ListPendingOutboxAsync(cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Counts what the stub answered with success: one card (a channel message, not a reply) per incident, and per person
    /// of tier 1 one activity notification per incident; nothing else.
    /// </summary>
    private static Check ExactlyOnce(IReadOnlyList<RecordedRequest> requests, int incidents)
    {
        var succeeded = requests.Where(r => r.Succeeded).ToList();
        var cards = succeeded.Where(r => Shape(r.Path) == CardShape).ToList();
        var activities = succeeded.Where(r => r.Path.EndsWith(ActivityPath, StringComparison.Ordinal)).ToList();
        var cardsPerIncident = cards.GroupBy(r => IncidentId(r.Body)).ToList();
        var perPerson = _tier1.ToDictionary(p => p, p => activities.Where(r => Recipient(r) == p).ToList(), StringComparer.Ordinal);
        var others = succeeded.Count - cards.Count - activities.Count;
        var pass = cards.Count == incidents
            && cardsPerIncident.Count == incidents && cardsPerIncident.All(g => g.Key is not null && g.Count() == 1)
            && activities.Count == incidents * _tier1.Count
            && perPerson.Values.All(a => a.Count == incidents && a.GroupBy(r => IncidentId(r.Body)).All(g => g.Key is not null && g.Count() == 1))
            && others == 0;
        var people = string.Join(", ", perPerson.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value.Count}")));
        return new Check(pass, string.Create(
            CultureInfo.InvariantCulture,
            $"{(pass ? "PASS" : "FAIL")}: cards {cards.Count}/{incidents} ({cardsPerIncident.Count} incidents); activity per person: {people} (expected {incidents} each); other requests {others}"));
    }

    private static string Recipient(RecordedRequest request) => Uri.UnescapeDataString(request.Path.Split('/')[^3]);

    private static string? IncidentId(string body) => IncidentIdPattern().Match(body) is { Success: true } match ? match.Value : null;

    /// <summary>The path with its ids replaced by what they are: <c>/v1.0/users/{user}/teamwork/sendActivityNotification</c>.</summary>
    private static string Shape(string path)
    {
        var segments = path.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            segments[i] = segments[i - 1] switch
            {
                "teams" => "{team}",
                "channels" => "{channel}",
                "users" => "{user}",
                "messages" => "{message}",
                _ => segments[i],
            };
        }

        return string.Join('/', segments);
    }

    /// <summary><paramref name="count"/> distinct P1 major outages of online banking, started five minutes ago: level Alert.</summary>
    private static List<byte[]> Outages(string prefix, int count)
    {
        var startedAt = (TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(5)).ToString("O", CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D6}");
            return Encoding.UTF8.GetBytes($$"""{"id": "{{id}}", "title": "{{id}} online banking down", "priority": "P1", "major": true, "state": "Open", "startedAt": "{{startedAt}}", "services": ["online-banking"], "link": "https://status.contoso.example/{{id}}"}""");
        })];
    }

    /// <summary>The app's services as the hosts compose them, on this Azurite and this local Graph, with a fixed catalogue.</summary>
    private static ServiceProvider Services(AzuriteFixture azurite, LocalGraph graph)
    {
        var prefix = AzuriteFixture.UniqueTableName("teamsload");
        var archive = AzuriteFixture.UniqueContainerName("teamsload");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Graph:BaseUrl"] = graph.BaseUrl.ToString(),
            ["Graph:MailSender"] = "continuity@contoso.example",
            ["Graph:MeetingOrganizer"] = "crisis-bridge@contoso.example",
            ["Decisions:BaseUrl"] = "https://func-continuityhub.azurewebsites.net/",
            ["Decisions:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<ICatalogProvider>(new FixedCatalogProvider(CrisisTeamCatalog.Create()));
        services.AddSingleton<IIncidentStore>(sp => new TableIncidentStore(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IAlertStore>(sp => new TableAlertStore(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<INotificationLedger>(sp => new TableNotificationLedger(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IPayloadArchive>(sp => new BlobPayloadArchive(sp.GetRequiredService<StorageClients>(), archive));
        services.AddContinuityHub(configuration);
        return services.BuildServiceProvider();
    }


    [GeneratedRegex(@"\b(?:WARM|INC|THR)-\d{6}\b")]
    private static partial Regex IncidentIdPattern();

    private sealed record Pushed(TimeSpan Elapsed, double[] Latencies, string[] Keys, int Alerted);

    private sealed record Check(bool Pass, string Summary);
}
