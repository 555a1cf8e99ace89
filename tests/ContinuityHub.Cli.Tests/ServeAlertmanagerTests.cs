using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>`hub serve` taking Alertmanager's webhook over real HTTP: a group fires, repeats, resolves; its credentials are checked.</summary>
[Collection(StorageGroup.Name)]
public sealed class ServeAlertmanagerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Source = "alertmanager";
    private const string Setting = "Intake__Sources__alertmanager__Secret";

    private readonly string _storage = azurite.ConnectionString;
    private readonly string _sink = Path.Combine(Path.GetTempPath(), "serve-alertmanager-sink-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", _sink);
        Environment.SetEnvironmentVariable(Setting, ServeWebhooks.Secret(Source));
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", _storage);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    public ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable(Setting, null);
        Environment.SetEnvironmentVariable("Teams__SinkDirectory", null);
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Firing_group_is_accepted_its_repeat_is_a_duplicate_and_its_resolution_resolves_the_incident()
    {
        await using var serve = await StartAsync();
        using var http = new HttpClient { BaseAddress = serve.Address };
        var groupKey = ServeWebhooks.NewId(Source);
        var firing = WebhookSamples.Open(Source, groupKey);
        var resolved = WebhookSamples.Resolved(Source, groupKey);

        using var accepted = await http.SendAsync(ServeWebhooks.Post(Source, firing, ServeWebhooks.Secret(Source)), Ct);
        using var repeated = await http.SendAsync(ServeWebhooks.Post(Source, firing, ServeWebhooks.Secret(Source)), Ct);
        using var resolution = await http.SendAsync(ServeWebhooks.Post(Source, resolved, ServeWebhooks.Secret(Source)), Ct);
        using var read = await http.GetAsync(accepted.Headers.Location, Ct);

        var first = await JsonAsync(accepted, HttpStatusCode.Accepted);
        Assert.Equal(ServeWebhooks.Key(Source, groupKey), first.GetProperty("incidentKey").GetString());
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True((await JsonAsync(repeated, HttpStatusCode.Accepted)).GetProperty("duplicate").GetBoolean());
        var last = await JsonAsync(resolution, HttpStatusCode.Accepted);
        Assert.False(last.GetProperty("duplicate").GetBoolean());
        Assert.Equal("None", last.GetProperty("level").GetString());
        var incident = (await JsonAsync(read, HttpStatusCode.OK)).GetProperty("incident");
        Assert.Equal("Resolved", incident.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Basic_auth_with_the_secret_as_password_is_accepted_and_without_credentials_is_401()
    {
        await using var serve = await StartAsync();
        using var http = new HttpClient { BaseAddress = serve.Address };
        var body = WebhookSamples.Open(Source, ServeWebhooks.NewId(Source));

        using var basic = ServeWebhooks.Post(Source, body, secret: null);
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alertmanager:" + ServeWebhooks.Secret(Source))));
        using var accepted = await http.SendAsync(basic, Ct);
        using var anonymous = await http.SendAsync(ServeWebhooks.Post(Source, body, secret: null), Ct);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var problem = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Signature missing", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("Authorization header (Bearer <secret>", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Samples_send_posts_the_firing_sample_with_a_bearer_token_and_keeps_its_still_firing_end()
    {
        await using var serve = await StartAsync();

        var sent = await CliRun.RunAsync("samples", "send", Source, "--url", serve.Address.ToString(), "--at", "2026-12-03T14:50:00Z");

        Assert.True(sent.ExitCode == 0, sent.Error);
        Assert.Contains("Sent firing.json as alertmanager, times moved to 3 Dec 2026 14:50 UTC: 202 Accepted", sent.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(sent.Out);
        Assert.StartsWith("alertmanager~", json.RootElement.GetProperty("incidentKey").GetString(), StringComparison.Ordinal);
    }

    private async Task<ServeRun> StartAsync()
    {
        var serve = await ServeRun.StartAsync(TimeProvider.System, "--urls", "http://127.0.0.1:0", "--storage", _storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        return serve;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
