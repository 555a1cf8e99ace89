using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub serve`'s maintenance routes over real HTTP on loopback, against the seed catalogue in Azurite, with
/// <c>Serve:ApiKey</c> set (sent in the <c>x-functions-key</c> header), on a fixed clock a week before the window added.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class ServeMaintenanceTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private const string ApiKey = "serve-maintenance-api-key";

    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] _settings = ["Serve__ApiKey", "Serve__ReassessEvery", "Teams__SinkDirectory"];

    private readonly string _sink = Path.Combine(Path.GetTempPath(), "hub-maintenance-sink-" + Guid.NewGuid().ToString("N"));

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
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }

        await DisposeAsync();
    }

    [Fact]
    public async Task A_window_posted_is_201_then_listed_as_an_api_window_and_deleted_with_204()
    {
        await using var serve = await ServeRun.StartAsync(new FakeTimeProvider(Now), "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        using var http = new HttpClient { BaseAddress = serve.Address };
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        var window = new JsonObject
        {
            ["id"] = "mw-sql-failover-test",
            ["services"] = new JsonArray("sql-cluster"),
            ["start"] = "2026-12-13T02:00:00+01:00",
            ["end"] = "2026-12-13T03:00:00+01:00",
            ["reason"] = "Failover test",
            ["approvedBy"] = "cab@contoso.com",
        };

        using var created = await http.PostAsync("/api/maintenance", new StringContent(window.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var listed = JsonNode.Parse(await http.GetStringAsync("/api/maintenance", Ct))!.AsArray();
        using var deleted = await http.DeleteAsync(created.Headers.Location, Ct);
        var after = JsonNode.Parse(await http.GetStringAsync("/api/maintenance", Ct))!.AsArray();
        using var again = await http.DeleteAsync(created.Headers.Location, Ct);

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        Assert.Equal("/api/maintenance/mw-sql-failover-test", created.Headers.Location?.OriginalString);
        Assert.Equal("mw-sql-failover-test", JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>());
        Assert.Equal(
            [("mw-email-collab-weekly", "catalogue", false), ("mw-sql-failover-test", "api", false)],
            listed.Select(w => (w!["id"]!.GetValue<string>(), w["origin"]!.GetValue<string>(), w["active"]!.GetValue<bool>())));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(["mw-email-collab-weekly"], after.Select(w => w!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task The_maintenance_routes_need_the_api_key()
    {
        await using var serve = await ServeRun.StartAsync(new FakeTimeProvider(Now), "--urls", "http://127.0.0.1:0", "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        using var anonymous = new HttpClient { BaseAddress = serve.Address };

        using var list = await anonymous.GetAsync("/api/maintenance", Ct);
        using var add = await anonymous.PostAsync("/api/maintenance", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        using var cancel = await anonymous.DeleteAsync("/api/maintenance/mw-email-collab-weekly", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (list.StatusCode, add.StatusCode, cancel.StatusCode));
    }

    /// <summary>Unsets what these tests export, or what another test may have left.</summary>
    private static void ClearSettings()
    {
        foreach (var name in _settings)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
