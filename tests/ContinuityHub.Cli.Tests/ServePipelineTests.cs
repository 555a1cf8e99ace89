using System.Net;
using Azure.Storage.Blobs;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub serve` as a new user runs it — the seed catalogue, no tenant, no Service Bus — takes PagerDuty's own sample
/// of a triggered incident: every plan it impacts that has a crisis team gets one card in the Teams sink, and the plan
/// the clock invokes writes its PlanInvoked event to the local events sink.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class ServePipelineTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private static readonly string[] _settings = ["Intake__Sources__pagerduty__Secret", "Teams__SinkDirectory", "Events__SinkDirectory"];

    private readonly string _teams = Path.Combine(Path.GetTempPath(), "hub-teams-sink-" + Guid.NewGuid().ToString("N"));
    private readonly string _events = Path.Combine(Path.GetTempPath(), "hub-events-sink-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
        Environment.SetEnvironmentVariable("Intake__Sources__pagerduty__Secret", ServeWebhooks.Secret("pagerduty"));
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", _teams);
        Environment.SetEnvironmentVariable("Events__SinkDirectory", _events);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        foreach (var name in _settings)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        foreach (var directory in new[] { _teams, _events }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        await DisposeAsync();
    }

    [Fact]
    public async Task Samples_send_posts_PagerDutys_sample_signed_with_its_times_moved_to_the_moment_given()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 15, 0, 0, TimeSpan.Zero));
        await using var serve = await ServeRun.StartAsync(time, "--urls", "http://127.0.0.1:0", "--storage", Storage);
        using var http = new HttpClient { BaseAddress = serve.Address };

        var sent = await CliRun.RunAsync(time, "samples", "send", "pagerduty", "--url", serve.Address.ToString(), "--at", "2026-12-03T14:50:00Z");

        Assert.True(sent.ExitCode == 0, sent.Error);
        Assert.Contains("Sent incident-triggered.json as pagerduty, times moved to 3 Dec 2026 14:50 UTC: 202 Accepted", sent.Error, StringComparison.Ordinal);
        var key = JsonNode.Parse(sent.Out)!["incidentKey"]!.GetValue<string>();
        var incident = JsonNode.Parse(await http.GetStringAsync(new Uri($"api/incidents/{Uri.EscapeDataString(key)}", UriKind.Relative), Ct))!;
        // The sample's latest time (the event's, 0.7 s after the incident's creation) is the moment: the incident started just before.
        var started = DateTimeOffset.Parse(incident["latestAssessment"]!["incident"]!["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(started, new DateTimeOffset(2026, 12, 3, 14, 49, 59, TimeSpan.Zero), new DateTimeOffset(2026, 12, 3, 14, 50, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Samples_send_without_the_sources_secret_names_the_setting_and_exits_2()
    {
        Environment.SetEnvironmentVariable("Intake__Sources__jira__Secret", null);

        var sent = await CliRun.RunAsync("samples", "send", "jira", "--url", "http://127.0.0.1:9");

        Assert.Equal(2, sent.ExitCode);
        Assert.StartsWith("Intake:Sources:jira:Secret: not set", sent.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_PagerDuty_sample_alerts_every_impacted_crisis_team_once_and_records_PlanInvoked_in_the_events_sink()
    {
        // Two hours after the sample's incident began (09:58 UTC): past the SQL cluster's latest safe invocation.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        await using var serve = await ServeRun.StartAsync(time, "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        using var http = new HttpClient { BaseAddress = serve.Address };

        var sample = await File.ReadAllBytesAsync(Path.Combine(CliRun.RepoRoot, "infra", "samples", "pagerduty", "incident-triggered.json"), Ct);
        using var accepted = await http.SendAsync(ServeWebhooks.Post("pagerduty", sample, ServeWebhooks.Secret("pagerduty")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var key = JsonNode.Parse(await accepted.Content.ReadAsStringAsync(Ct))!["incidentKey"]!.GetValue<string>();
        var incident = JsonNode.Parse(await http.GetStringAsync(new Uri($"api/incidents/{Uri.EscapeDataString(key)}", UriKind.Relative), Ct))!;

        var seed = CatalogYamlReader.Read(await File.ReadAllTextAsync(CliRun.Seed, Ct));
        var impacted = incident["latestAssessment"]!["plans"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        var crisisTeams = seed.Plans.Where(p => impacted.Contains(p.Id) && p.CrisisTeam is not null).ToList();
        Assert.True(crisisTeams.Count >= 2, $"the sample impacts {string.Join(", ", impacted)}");
        var invoked = seed.Plans.Where(p => impacted.Contains(p.Id) && p.AutoInvoke && p.CrisisTeam is not null).Select(p => p.Id).Order().ToList();
        List<string> Posts() => [.. Directory.GetFiles(_teams, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Where(r => r["method"]!.GetValue<string>() == "POST" && r["path"]!.GetValue<string>().EndsWith("/messages", StringComparison.Ordinal))
            .Select(r => r["path"]!.GetValue<string>())];
        await ServeRun.UntilAsync(
            () => Posts().Count >= crisisTeams.Count && Directory.GetFiles(_events, "*.json").Length >= invoked.Count,
            "a card to each crisis team and a PlanInvoked event for each auto-invoked plan");
        var posts = Posts();
        foreach (var plan in crisisTeams)
        {
            Assert.Single(posts, p => p.Contains($"/channels/{plan.CrisisTeam!.ChannelId}/", StringComparison.Ordinal));
        }

        Assert.Equal(crisisTeams.Count, posts.Count);
        Assert.NotEmpty(invoked);
        var events = Directory.GetFiles(_events, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        Assert.Equal(invoked, events.Select(e => e["data"]!["plan"]!.GetValue<string>()).Order());
        Assert.All(events, e => Assert.Equal("ContinuityHub.PlanInvoked", e["type"]!.GetValue<string>()));
        Assert.All(incident["alerts"]?.AsArray() ?? [], a => Assert.Null(a!["deliveryProblem"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Serve_runs_the_Functions_scheduled_work_and_writes_the_weekly_report_on_ReportSchedule()
    {
        // 30 seconds before the deployed ReportSchedule (0 0 7 * * 1: Mondays at 07:00 UTC).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 6, 59, 30, TimeSpan.Zero));
        await using var serve = await ServeRun.StartAsync(time, "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");

        Assert.Contains("WriteContinuityReport: on 0 0 7 * * 1 (ReportSchedule)", serve.Out.Lines);
        Assert.Contains("RedriveIntakeArchive: on 0 */5 * * * * (IntakeRedriveSchedule)", serve.Out.Lines);
        Assert.Contains("DrainIncidentQueue: off (ServiceBus is not set)", serve.Out.Lines);
        Assert.Contains("SweepNotificationOutbox: every 1 min", serve.Out.Lines);
        var reports = new BlobContainerClient(Storage, "reports");
        Assert.Empty(await ReportFilesAsync(reports));

        var files = new List<string>();
        for (var tick = 0; tick < 50 && files.Count == 0; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(15));
            await Task.Delay(100, Ct);
            files = await ReportFilesAsync(reports);
        }

        Assert.Contains("2026-11-23/continuity-report.html", files);
        Assert.True(time.GetUtcNow() >= new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), "the report waited for its schedule");
    }

    private static async Task<List<string>> ReportFilesAsync(BlobContainerClient reports)
    {
        var files = new List<string>();
        if (!await reports.ExistsAsync(Ct))
        {
            return files;
        }

        await foreach (var blob in reports.GetBlobsAsync(cancellationToken: Ct))
        {
            files.Add(blob.Name);
        }

        return files;
    }
}
