using System.Net;
using System.Text.Json;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// The tests that use the production tables and containers of the test Azurite (`hub serve`, `hub catalog
/// import|export`, `hub intake redrive`; several empty the storage before each test, `hub serve` also reads its
/// secrets from environment variables): one at a time, after every test that runs in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StorageGroup
{
    public const string Name = "storage";
}

/// <summary>`hub serve` started in-process on a free loopback port, driven over real HTTP, against Azurite.</summary>
[Collection(StorageGroup.Name)]
public sealed class ServeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string ApiKey = "serve-test-api-key";
    private const string AnyLoopbackPort = "http://127.0.0.1:0";

    private readonly string _storage = azurite.ConnectionString;

    public static TheoryData<string> Sources => ServeWebhooks.Sources;

    public async ValueTask InitializeAsync()
    {
        // Alerts these webhooks raise go to a Teams sink of this class's own, not the working folder.
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", _sink);
        Settings(ApiKey);
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", _storage);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var source in CatalogNames.SourceNames)
        {
            Environment.SetEnvironmentVariable($"Intake__Sources__{source}__Secret", null);
        }

        Settings(null);
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", null);
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Signed_webhook_is_accepted_deduplicated_readable_and_resolved_over_http_and_a_forged_one_is_401(string source)
    {
        await using var serve = await StartAsync();
        using var http = Client(serve);
        var id = ServeWebhooks.NewId(source);
        var body = ServeWebhooks.Open(source, id);
        var key = ServeWebhooks.Key(source, id);

        using var accepted = await http.SendAsync(ServeWebhooks.Post(source, body, ServeWebhooks.Secret(source)), Ct);
        var first = await JsonAsync(accepted, HttpStatusCode.Accepted);
        Assert.Equal(key, first.GetProperty("incidentKey").GetString());
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.Equal("/api/incidents/" + Uri.EscapeDataString(key), accepted.Headers.Location?.OriginalString);

        using var again = await http.SendAsync(ServeWebhooks.Post(source, body, ServeWebhooks.Secret(source)), Ct);
        var second = await JsonAsync(again, HttpStatusCode.Accepted);
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(key, second.GetProperty("incidentKey").GetString());

        using var read = await http.GetAsync(accepted.Headers.Location, Ct);
        var incident = await JsonAsync(read, HttpStatusCode.OK);
        Assert.Equal(key, incident.GetProperty("incident").GetProperty("key").GetString());
        Assert.Equal(first.GetProperty("level").GetString(), incident.GetProperty("level").GetString());
        Assert.Single(incident.GetProperty("events").EnumerateArray());
        Assert.Equal(first.GetProperty("level").GetString(), incident.GetProperty("latestAssessment").GetProperty("level").GetString());

        using var forged = await http.SendAsync(ServeWebhooks.Post(source, body, "not-the-secret"), Ct);
        var refused = await ProblemAsync(forged, HttpStatusCode.Unauthorized);
        Assert.Equal("Signature invalid", refused.GetProperty("title").GetString());

        using var resolve = await http.SendAsync(ServeWebhooks.Post(source, WebhookSamples.Resolved(source, id), ServeWebhooks.Secret(source)), Ct);
        var resolution = await JsonAsync(resolve, HttpStatusCode.Accepted);
        Assert.Equal((key, false, "None"), (resolution.GetProperty("incidentKey").GetString(), resolution.GetProperty("duplicate").GetBoolean(), resolution.GetProperty("level").GetString()));
        using var after = await http.GetAsync(accepted.Headers.Location, Ct);
        var resolved = await JsonAsync(after, HttpStatusCode.OK);
        var state = resolved.GetProperty("incident").GetProperty("state").GetString();
        Assert.True(state is "Resolved" or "Closed", $"{source}: the resolve left the incident {state}");
        Assert.Equal(2, resolved.GetProperty("events").GetArrayLength());

        var malformed = "{\"id\": "u8.ToArray();
        using var invalid = await http.SendAsync(ServeWebhooks.Post(source, malformed, ServeWebhooks.Secret(source)), Ct);
        var problem = await ProblemAsync(invalid, HttpStatusCode.BadRequest);
        Assert.StartsWith("not valid JSON", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_megabyte_body_is_refused_with_413()
    {
        await using var serve = await StartAsync();
        using var http = Client(serve);
        var body = new byte[2 * 1024 * 1024];
        Array.Fill(body, (byte)' ');

        using var response = await http.SendAsync(ServeWebhooks.Post("generic", body, ServeWebhooks.Secret("generic")), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incident_route_needs_the_api_key_when_one_is_set()
    {
        await using var serve = await StartAsync();
        using var http = Client(serve);
        using var accepted = await http.SendAsync(ServeWebhooks.Post("generic", ServeWebhooks.Open("generic", ServeWebhooks.NewId("generic")), ServeWebhooks.Secret("generic")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.OriginalString;

        using var anonymous = new HttpClient { BaseAddress = serve.Address };
        using var withoutKey = await anonymous.GetAsync(location, Ct);
        using var wrongKey = await anonymous.GetAsync(location + "?code=wrong", Ct);
        using var byQuery = await anonymous.GetAsync(location + "?code=" + ApiKey, Ct);
        using var unknown = await http.GetAsync("/api/incidents/generic~no-such-incident", Ct);

        Assert.Equal("API key missing", (await ProblemAsync(withoutKey, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
        Assert.Equal("API key invalid", (await ProblemAsync(wrongKey, HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal("Incident not found", (await ProblemAsync(unknown, HttpStatusCode.NotFound)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Start_prints_where_it_listens_the_sources_and_the_catalogue_and_ctrl_c_stops_it()
    {
        Environment.SetEnvironmentVariable("Intake__Sources__generic__Secret", null);
        var serve = await StartAsync();

        var exit = await serve.StopAsync();

        Assert.True(exit == 0, serve.Error.Text);
        var output = serve.Out.Text;
        Assert.Matches(@"POST http://127\.0\.0\.1:\d+/api/intake/\{source\}", output);
        Assert.Contains("Sources: servicenow, jira, pagerduty, opsgenie, azuremonitor, alertmanager, heartbeat; not configured", output, StringComparison.Ordinal);
        Assert.Contains(": generic.", output, StringComparison.Ordinal);
        Assert.Contains("Catalogue: 22 services, 12 plans.", output, StringComparison.Ordinal);
        Assert.EndsWith("Stopped.", serve.Out.Lines[^1], StringComparison.Ordinal);
        await serve.DisposeAsync();
    }

    [Fact]
    public async Task Open_incidents_are_reassessed_as_the_clock_runs()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        await using var serve = await StartAsync(time);
        using var http = Client(serve);
        using var accepted = await http.SendAsync(ServeWebhooks.Post("pagerduty", ServeWebhooks.Open("pagerduty", ServeWebhooks.NewId("pagerduty")), ServeWebhooks.Secret("pagerduty")), Ct);
        var first = (await JsonAsync(accepted, HttpStatusCode.Accepted)).GetProperty("level").GetString();
        Assert.NotEqual("Invoke", first);
        var level = first;

        // Past the SQL cluster's latest safe invocation time (10:13:12), a minute at a time as the timer ticks.
        JsonElement incident = default;
        for (var minute = 0; minute < 60 && level != "Invoke"; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(100, Ct);
            using var read = await http.GetAsync(accepted.Headers.Location, Ct);
            incident = await JsonAsync(read, HttpStatusCode.OK);
            level = incident.GetProperty("level").GetString();
        }

        Assert.Equal("Invoke", level);
        Assert.Equal([first, "Invoke"], incident.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("level").GetString()));
    }

    [Fact]
    public async Task Address_reachable_from_other_machines_is_refused_without_an_api_key()
    {
        Settings(null);

        var run = await CliRun.RunAsync("serve", "--urls", "http://0.0.0.0:7071", "--storage", _storage);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--urls: 'http://0.0.0.0:7071' is reachable from other machines", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("Serve:ApiKey", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls", "ftp://127.0.0.1:21", "--urls: 'ftp://127.0.0.1:21' is not an http or https address")]
    [InlineData("--urls", "127.0.0.1 7071", "--urls: '127.0.0.1 7071' is not an address")]
    public async Task Bad_urls_exit_2_naming_the_option(string option, string value, string expected)
    {
        var run = await CliRun.RunAsync("serve", option, value, "--storage", _storage);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_reassess_interval_exits_2_naming_the_setting()
    {
        Settings(ApiKey, reassessEvery: "often");

        var run = await CliRun.RunAsync("serve", "--urls", AnyLoopbackPort, "--storage", _storage);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("Serve:ReassessEvery: 'often' is not a duration", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_api_key_requests_naming_another_host_are_refused()
    {
        Settings(apiKey: null);
        await using var serve = await StartAsync();
        using var http = new HttpClient { BaseAddress = serve.Address };
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/incidents/generic~anything");
        rebound.Headers.Host = "evil.example";

        using var refused = await http.SendAsync(rebound, Ct);
        using var local = await http.GetAsync("/api/incidents/generic~anything", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, local.StatusCode);
    }

    private readonly string _sink = Path.Combine(Path.GetTempPath(), "serve-tests-sink-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The settings `hub serve` reads from the environment, as a user would export them.</summary>
    private static void Settings(string? apiKey, string? reassessEvery = null)
    {
        foreach (var source in CatalogNames.SourceNames)
        {
            Environment.SetEnvironmentVariable($"Intake__Sources__{source}__Secret", ServeWebhooks.Secret(source));
        }

        Environment.SetEnvironmentVariable("Serve__ApiKey", apiKey);
        Environment.SetEnvironmentVariable("Serve__ReassessEvery", reassessEvery);
    }

    private async Task<ServeRun> StartAsync(TimeProvider? time = null)
    {
        var serve = await ServeRun.StartAsync(time ?? TimeProvider.System, "--urls", AnyLoopbackPort, "--storage", _storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        return serve;
    }

    private static HttpClient Client(ServeRun serve)
    {
        var http = new HttpClient { BaseAddress = serve.Address };
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        return http;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var problem = json.RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }
}
