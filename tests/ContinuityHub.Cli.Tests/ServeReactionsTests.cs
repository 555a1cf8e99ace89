using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub serve` without write-back settings: the note the hub would add to the source record is written to the
/// reactions sink (a directory of its own per test, <c>Reactions__SinkDirectory</c>), credentials masked.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class ServeReactionsTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static readonly string[] _settings = ["Intake__Sources__servicenow__Secret", "Reactions__SinkDirectory", "Teams__SinkDirectory", "Events__SinkDirectory"];

    private readonly string _sink = Path.Combine(Path.GetTempPath(), "hub-reactions-sink-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
        ClearSettings();
        Environment.SetEnvironmentVariable("Intake__Sources__servicenow__Secret", ServeWebhooks.Secret("servicenow"));
        Environment.SetEnvironmentVariable("Reactions__SinkDirectory", Path.Combine(_sink, "reactions"));
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", Path.Combine(_sink, "teams"));
        Environment.SetEnvironmentVariable("Events__SinkDirectory", Path.Combine(_sink, "events"));
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        ClearSettings();
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }

        await DisposeAsync();
    }

    [Fact]
    public async Task A_servicenow_incident_leaves_its_work_note_request_in_the_reactions_sink_with_the_credentials_masked()
    {
        await using var serve = await ServeRun.StartAsync(new FakeTimeProvider(Now), "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        using var http = new HttpClient { BaseAddress = serve.Address };
        var sysId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        using var accepted = await http.SendAsync(ServeWebhooks.Post("servicenow", ServeWebhooks.Open("servicenow", sysId), ServeWebhooks.Secret("servicenow")), Ct);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var reactions = Path.Combine(_sink, "reactions");
        await ServeRun.UntilAsync(() => Directory.Exists(reactions) && Directory.EnumerateFiles(reactions, "*-servicenow-note.json").Any(), "the work note in the reactions sink");
        var note = JsonNode.Parse(await File.ReadAllTextAsync(Directory.EnumerateFiles(reactions, "*-servicenow-note.json").Order(StringComparer.Ordinal).First(), Ct))!;
        Assert.Equal("PATCH", note["method"]!.GetValue<string>());
        Assert.EndsWith($"/api/now/table/incident/{sysId}", note["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Basic ***", note["headers"]!["Authorization"]!.GetValue<string>());
        Assert.StartsWith("ContinuityHub: level ", note["body"]!["work_notes"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Reactions: notes back to servicenow, jira, pagerduty, opsgenie, azuremonitor are written to " + reactions, serve.Out.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_records_automation_requests_in_the_sink_and_refuses_a_forged_callback_over_http()
    {
        await using var serve = await ServeRun.StartAsync(new FakeTimeProvider(Now), "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        using var http = new HttpClient { BaseAddress = serve.Address };
        using var body = new StringContent("""{"status": "succeeded"}""", System.Text.Encoding.UTF8, "application/json");

        using var forged = await http.PostAsync("/api/automations/eyJpIjoieCJ9.c2lnbmF0dXJl", body, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Contains("POST " + serve.Address.ToString().TrimEnd('/') + "/api/automations/{token}", serve.Out.Text, StringComparison.Ordinal);
        Assert.Contains("Automations: plans' automation requests are written to " + Path.Combine(_sink, "reactions"), serve.Out.Text, StringComparison.Ordinal);
    }

    private static void ClearSettings()
    {
        foreach (var name in _settings)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
