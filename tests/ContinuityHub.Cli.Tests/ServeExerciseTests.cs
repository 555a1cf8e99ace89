using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// An exercise of the seed catalogue played on `hub serve`: started over HTTP (with <c>Serve:ApiKey</c>), its injects
/// played by serve's PlayExercises timer as the fake clock passes their time, ended by `hub exercise end`, read with
/// `hub exercise status`, the after-action report copied out of storage.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class ServeExerciseTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private const string ApiKey = "serve-exercise-api-key";

    private const string Exercise = "ex-2027-sql-dc2-simulation";

    private static readonly DateTimeOffset Now = new(2027, 1, 14, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] _settings = ["Serve__ApiKey", "Teams__SinkDirectory"];

    private readonly string _sink = Path.Combine(Path.GetTempPath(), "hub-exercise-sink-" + Guid.NewGuid().ToString("N"));

    private readonly string _out = Path.Combine(Path.GetTempPath(), "hub-exercise-report-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
        ClearSettings();
        Environment.SetEnvironmentVariable("Serve__ApiKey", ApiKey);
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", _sink);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        ClearSettings();
        foreach (var folder in new[] { _sink, _out }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        await DisposeAsync();
    }

    [Fact]
    public async Task Started_over_http_played_by_serves_timer_ended_from_the_cli_and_its_report_copied_out()
    {
        var time = new FakeTimeProvider(Now);
        await using var serve = await ServeRun.StartAsync(time, "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        using var http = new HttpClient { BaseAddress = serve.Address };
        using var anonymous = await http.PostAsync($"/api/exercises/{Exercise}/start", null, Ct);
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);

        // Start at 60x: the Azure Monitor inject at once, the PagerDuty one 6 s in.
        using var started = await http.PostAsync($"/api/exercises/{Exercise}/start", Json("""{"speed": 60, "by": "continuity.manager@contoso.com"}"""), Ct);
        using var twice = await http.PostAsync($"/api/exercises/{Exercise}/start", null, Ct);
        using var unknown = await http.PostAsync("/api/exercises/ex-nope/start", null, Ct);
        using var noScenario = await http.PostAsync("/api/exercises/ex-2027-ledger-full/start", null, Ct);
        using var badField = await http.PostAsync($"/api/exercises/{Exercise}/start", Json("""{"speed": "fast"}"""), Ct);
        await ServeRun.UntilAsync(
            async () =>
            {
                time.Advance(TimeSpan.FromSeconds(10));
                return JsonNode.Parse(await http.GetStringAsync($"/api/exercises/{Exercise}", Ct))!["runs"]![0]!["injectsPlayed"]!.GetValue<int>() == 2;
            },
            "both injects played");
        var end = await CliRun.RunAsync(time, "exercise", "end", Exercise, "--by", "continuity.manager@contoso.com", "--storage", Storage);
        await ServeRun.UntilAsync(
            async () =>
            {
                time.Advance(TimeSpan.FromSeconds(10));
                return JsonNode.Parse(await http.GetStringAsync($"/api/exercises/{Exercise}", Ct))!["runs"]![0]!["state"]!.GetValue<string>() == "Ended";
            },
            "the run ended");
        var status = await CliRun.RunAsync(time, "exercise", "status", Exercise, "--out", _out, "--storage", Storage);
        var endAgain = await CliRun.RunAsync(time, "exercise", "end", Exercise, "--storage", Storage);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"/api/exercises/{Exercise}", started.Headers.Location?.OriginalString);
        var run = JsonNode.Parse(await started.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(("Running", 60, "continuity.manager@contoso.com", 2), ((string)run["state"]!, (int)run["speed"]!, (string)run["startedBy"]!, (int)run["injects"]!));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noScenario.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badField.StatusCode);
        Assert.Contains("speed", await badField.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(end.ExitCode == 0, end.Error);
        Assert.StartsWith($"End of {Exercise} (run ", end.Out, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("(Ended at 60x, started 14 Jan 2027 09:00 UTC by continuity.manager@contoso.com): ended", status.Out, StringComparison.Ordinal);
        Assert.Contains("report exercise-reports/dr-sql-cluster/ex-2027-sql-dc2-simulation/", status.Out, StringComparison.Ordinal);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "after-action.json"), Ct))!;
        Assert.Equal((Exercise, "dr-sql-cluster"), ((string)report["exerciseId"]!, (string)report["plan"]!));
        Assert.True(File.Exists(Path.Combine(_out, "after-action.html")));
        Assert.Equal(2, endAgain.ExitCode);
        Assert.StartsWith($"exerciseId: no run of '{Exercise}' is going", endAgain.Error, StringComparison.Ordinal);
        var cards = Directory.GetFiles(_sink, "*-card.json");
        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.Contains("EXERCISE", File.ReadAllText(c), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Findings_are_posted_201_listed_closed_and_refused_by_field_by_id_and_for_the_catalogues()
    {
        await using var serve = await ServeRun.StartAsync(new FakeTimeProvider(Now), "--urls", "http://127.0.0.1:0", "--storage", Storage);
        using var http = new HttpClient { BaseAddress = serve.Address };
        using var anonymous = await http.GetAsync("/api/exercises/ex-2026-ledger-failover/findings", Ct);
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);

        using var created = await http.PostAsync("/api/exercises/ex-2026-ledger-failover/findings", Json("""{"text": "Ledger DNS TTL still 1h", "owner": "sam.okafor@contoso.com", "due": "2027-02-01"}"""), Ct);
        using var taken = await http.PostAsync("/api/exercises/ex-2026-ledger-failover/findings", Json("""{"id": "F-101", "text": "x", "owner": "sam.okafor@contoso.com", "due": "2027-02-01"}"""), Ct);
        using var bad = await http.PostAsync("/api/exercises/ex-2026-ledger-failover/findings", Json("""{"text": "x", "owner": "sam", "due": "soon", "severity": "high"}"""), Ct);
        using var unknown = await http.PostAsync("/api/exercises/ex-nope/findings", Json("""{"text": "x", "owner": "sam.okafor@contoso.com", "due": "2027-02-01"}"""), Ct);
        using var closed = await http.PostAsync(created.Headers.Location + "/close", Json("""{"closed": "2027-01-20"}"""), Ct);
        using var catalogue = await http.PostAsync("/api/exercises/ex-2026-ledger-failover/findings/F-101/close", null, Ct);
        var listed = JsonNode.Parse(await http.GetStringAsync("/api/exercises/ex-2026-ledger-failover/findings", Ct))!.AsArray();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        Assert.Equal("/api/exercises/ex-2026-ledger-failover/findings/F-1", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("severity", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, catalogue.StatusCode);
        Assert.Equal(("api", "2027-01-20"), listed.Where(f => (string?)f!["id"] == "F-1").Select(f => ((string)f!["origin"]!, (string)f["closed"]!)).Single());
        Assert.Contains(listed, f => (string?)f!["id"] == "F-101" && (string?)f["origin"] == "catalogue");
    }

    [Fact]
    public async Task Reviews_are_listed_and_read_over_http_and_take_corrective_actions_201_or_a_problem_naming_the_field()
    {
        var start = new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var review = new ContinuityHub.Lessons.PostIncidentReview(
            "pir-20270110-0a1b2c3d", "generic~INC-9", "Core ledger down", start, start.AddHours(2), ContinuityHub.Assessment.AssessmentLevel.Invoke, TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(24),
            [], ["maria.lopez@contoso.com"], new DateOnly(2027, 1, 24), start.AddHours(2));
        Assert.True(await new ContinuityHub.Azure.Lessons.TableReviewStore(ContinuityHub.Azure.Storage.StorageClients.FromConnectionString(Storage)).AddAsync(review, Ct));
        await using var serve = await ServeRun.StartAsync(new FakeTimeProvider(Now), "--urls", "http://127.0.0.1:0", "--storage", Storage);
        using var http = new HttpClient { BaseAddress = serve.Address };
        using var anonymous = await http.GetAsync("/api/lessons", Ct);
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);

        using var added = await http.PostAsync("/api/lessons/pir-20270110-0a1b2c3d/actions", Json("""{"text": "Runbook: ledger DNS switch", "owner": "maria.lopez@contoso.com", "due": "2027-02-15"}"""), Ct);
        using var bad = await http.PostAsync("/api/lessons/pir-20270110-0a1b2c3d/actions", Json("""{"text": "x", "owner": "maria.lopez@contoso.com", "due": "Feb 15"}"""), Ct);
        using var missing = await http.GetAsync("/api/lessons/pir-nope", Ct);
        var listed = JsonNode.Parse(await http.GetStringAsync("/api/lessons?open=true", Ct))!.AsArray();
        var one = JsonNode.Parse(await http.GetStringAsync("/api/lessons/pir-20270110-0a1b2c3d", Ct))!;

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync(Ct));
        Assert.Equal("CA-1", (string?)JsonNode.Parse(await added.Content.ReadAsStringAsync(Ct))!["id"]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("due", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(["pir-20270110-0a1b2c3d"], listed.Select(r => (string?)r!["reviewId"]));
        Assert.Equal((1, "Draft", "PT2H"), ((int)one["openActions"]!, (string)one["status"]!, (string)one["achievedRecovery"]!));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void ClearSettings()
    {
        foreach (var name in _settings)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
