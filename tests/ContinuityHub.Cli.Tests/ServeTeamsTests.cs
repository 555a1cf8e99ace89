using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub serve` without a Graph tenant: Teams alerts go to the local Teams sink (a directory of its own per test,
/// <c>Teams__SinkDirectory</c>) and the cards' decision links come back to serve, all over real HTTP on loopback,
/// against the seed catalogue in Azurite.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class ServeTeamsTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private const string AnyLoopbackPort = "http://127.0.0.1:0";

    /// <summary>The seed's plan for online banking, its crisis team, and the tier on duty first.</summary>
    private const string Plan = "dr-online-banking";
    private const string Team = "c5dbb51a-5d4a-4cde-a7ce-0467fb0c58f2";
    private static readonly string[] Tier1 = ["james.whitfield@contoso.com", "sofia.rossi@contoso.com"];

    /// <summary>Five minutes into an outage of online banking that started at 10:25 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static readonly string[] _settings =
        ["Intake__Sources__generic__Secret", "Teams__SinkDirectory", "Serve__ApiKey", "Serve__ReassessEvery", "Graph__TenantId", "Graph__BaseUrl", "Decisions__BaseUrl"];

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _sink = Path.Combine(Path.GetTempPath(), "hub-teams-sink-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);

        // As a user would export them: the generic source's secret and where the Teams sink writes; no tenant, no API key.
        ClearSettings();
        Environment.SetEnvironmentVariable("Intake__Sources__generic__Secret", ServeWebhooks.Secret("generic"));
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
    public async Task An_alert_writes_each_Graph_request_to_the_sink_with_the_card_previewed_as_html()
    {
        await using var serve = await StartAsync();
        using var http = new HttpClient { BaseAddress = serve.Address };

        await OutageAsync(http, "INC-S1 online banking <down> & \"mobile\" too");

        var files = SinkFiles();
        Assert.Equal(Enumerable.Range(1, files.Count), files.Select(f => f.Sequence)); // one file per request, numbered in order
        Assert.All(files, f => Assert.InRange(f.Record["status"]!.GetValue<int>(), 200, 299));

        var card = Assert.Single(files, f => f.Name.Contains("card", StringComparison.Ordinal) && f.Path.Contains(Team, StringComparison.Ordinal));
        Assert.Equal("POST", card.Record["method"]!.GetValue<string>());
        Assert.EndsWith("/messages", card.Path, StringComparison.Ordinal);
        var attachment = Assert.Single(card.Record["body"]!["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var cardJson = Assert.Single(card.Record["cards"]!.AsArray())!.ToJsonString();
        Assert.Equal("1.5", JsonNode.Parse(cardJson)!["version"]!.GetValue<string>());
        Assert.Contains(@"INC-S1 online banking <down> & ""mobile"" too", Texts(JsonNode.Parse(cardJson))); // as given, in a TextRun (never markdown)

        var notified = files.Where(f => f.Name.Contains("activity-notification", StringComparison.Ordinal)).ToList();
        Assert.All(notified, f => Assert.DoesNotContain("card", f.Name, StringComparison.Ordinal));
        Assert.Equal(Tier1.Order(), notified.Select(Recipient).Order());
        Assert.Equal(1 + Tier1.Length, files.Count); // the card and tier 1's notifications: nothing else for an alert

        var preview = Path.ChangeExtension(Path.Combine(_sink, card.Name), ".html");
        Assert.True(File.Exists(preview), $"no preview beside {card.Name}: {string.Join(", ", Directory.GetFiles(_sink).Select(Path.GetFileName))}");
        var html = await File.ReadAllTextAsync(preview, Ct);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"adaptivecards.min.js\"></script>", html, StringComparison.Ordinal); // the official renderer draws it
        Assert.True(File.Exists(Path.Combine(_sink, "adaptivecards.min.js")), "the renderer is not beside the preview");
        const string Data = "<script type=\"application/json\" id=\"card-data\">";
        var data = html[(html.IndexOf(Data, StringComparison.Ordinal) + Data.Length)..];
        var embedded = System.Text.Json.JsonSerializer.Deserialize<string>(data[..data.IndexOf("</script>", StringComparison.Ordinal)])!;
        Assert.Equal(cardJson, JsonNode.Parse(embedded)!.ToJsonString()); // the card as sent, escaped in the page's JSON
        Assert.DoesNotContain("<down>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_decision_link_acknowledges_over_http()
    {
        await using var serve = await StartAsync();
        using var http = new HttpClient { BaseAddress = serve.Address };
        var key = await OutageAsync(http, "INC-S2 online banking down");
        var card = Assert.Single(SinkFiles(), f => f.Name.Contains("card", StringComparison.Ordinal) && f.Path.Contains(Team, StringComparison.Ordinal));
        var link = ActionUrl(Assert.Single(card.Record["cards"]!.AsArray())!, "Acknowledge");
        Assert.NotNull(link);
        Assert.StartsWith(new Uri(serve.Address, "/api/decisions/").ToString(), link, StringComparison.Ordinal);

        // The card is in the sink a moment before the sender writes the alert it belongs to (a person never clicks that fast).
        await ServeRun.UntilAsync(
            async () => System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/incidents/" + Uri.EscapeDataString(key), Ct))!["alerts"]!.AsArray().Any(a => (string?)a!["plan"] == Plan),
            "the alert stored");

        using var confirm = new HttpRequestMessage(HttpMethod.Get, link);
        confirm.Headers.Accept.ParseAdd("text/html");
        using var page = await http.SendAsync(confirm, Ct);
        var pageText = await page.Content.ReadAsStringAsync(Ct);
        Assert.True(page.StatusCode == HttpStatusCode.OK, pageText);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form method=\"post\">", pageText, StringComparison.Ordinal);
        Assert.Contains("Acknowledge the alert?", pageText, StringComparison.Ordinal);

        using var acknowledged = await http.PostAsync(link, Form("James Whitfield"), Ct);
        var answer = await JsonAsync(acknowledged, HttpStatusCode.OK);
        Assert.Equal("Recorded", answer.GetProperty("outcome").GetString());
        Assert.Equal(key, answer.GetProperty("incidentKey").GetString());

        using var reused = await http.PostAsync(link, Form("Someone Else"), Ct);
        await ProblemAsync(reused, HttpStatusCode.Gone);

        using var forged = await http.PostAsync(Tamper(link), Form("Mallory"), Ct);
        await ProblemAsync(forged, HttpStatusCode.Unauthorized);

        using var read = await http.GetAsync("/api/incidents/" + Uri.EscapeDataString(key), Ct);
        var incident = await JsonAsync(read, HttpStatusCode.OK);
        var alert = Assert.Single(incident.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("plan").GetString() == Plan);
        Assert.Equal("Acknowledged", alert.GetProperty("status").GetString());
        Assert.StartsWith("James Whitfield", alert.GetProperty("acknowledgedBy").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-11-24T10:30:00Z", alert.GetProperty("acknowledgedAt").GetString());
        static bool AcknowledgedReply(SinkFile f) => f.Path.Contains(Team, StringComparison.Ordinal) && f.Path.EndsWith("/replies", StringComparison.Ordinal)
            && f.Record["cards"]!.ToJsonString().Contains("Acknowledged by James Whitfield", StringComparison.Ordinal);
        await ServeRun.UntilAsync(() => SinkFiles().Any(AcknowledgedReply), "the acknowledgement's reply in the sink");
        Assert.Single(SinkFiles(), AcknowledgedReply);
    }

    [Fact]
    public async Task Serve_says_where_teams_requests_go()
    {
        var serve = await StartAsync();

        var exit = await serve.StopAsync();

        Assert.True(exit == 0, serve.Error.Text);
        Assert.Contains(
            $"Teams: no Graph tenant (Graph:TenantId); Graph requests are written to {Path.GetFullPath(_sink)}, each card also as HTML rendered by the official Adaptive Cards renderer.",
            serve.Out.Lines);
        Assert.True(Directory.Exists(_sink), "the sink directory is created at start");
        await serve.DisposeAsync();
    }

    /// <summary>Unsets what these tests export, or what another test may have left.</summary>
    private static void ClearSettings()
    {
        foreach (var name in _settings)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private async Task<ServeRun> StartAsync()
    {
        var serve = await ServeRun.StartAsync(_time, "--urls", AnyLoopbackPort, "--storage", Storage);
        Assert.False(serve.Exit.IsCompleted, $"hub serve exited: {serve.Error.Text}");
        return serve;
    }

    /// <summary>A major P1 outage of online banking from the generic webhook, signed; returns the incident's key once serve answered 202 at level Alert.</summary>
    private async Task<string> OutageAsync(HttpClient http, string title)
    {
        var id = ServeWebhooks.NewId("generic");
        var body = new JsonObject
        {
            ["id"] = id,
            ["title"] = title,
            ["priority"] = "P1",
            ["major"] = true,
            ["state"] = "Open",
            ["startedAt"] = "2026-11-24T10:25:00Z",
            ["services"] = new JsonArray("online-banking"),
            ["link"] = "https://status.contoso.example/" + id,
        };

        using var accepted = await http.SendAsync(ServeWebhooks.Post("generic", Encoding.UTF8.GetBytes(body.ToJsonString()), ServeWebhooks.Secret("generic")), Ct);
        var result = await JsonAsync(accepted, HttpStatusCode.Accepted);
        Assert.Equal("Alert", result.GetProperty("level").GetString());
        await ServeRun.UntilAsync(
            () => SinkFiles() is var files && files.Count >= 1 + Tier1.Length
                && files.Where(f => f.Name.Contains("card", StringComparison.Ordinal)).All(f => File.Exists(Path.ChangeExtension(Path.Combine(_sink, f.Name), ".html"))),
            "the card and tier 1's notifications in the sink");
        return result.GetProperty("incidentKey").GetString()!;
    }

    private static FormUrlEncodedContent Form(string by) => new([new("by", by)]);

    /// <summary>The link with the first character of its signature changed (six bits of the HMAC, never only padding).</summary>
    private static string Tamper(string link)
    {
        var dot = link.LastIndexOf('.');
        var changed = link[dot + 1] == 'A' ? 'B' : 'A';
        return link[..(dot + 1)] + changed + link[(dot + 2)..];
    }

    private sealed record SinkFile(string Name, int Sequence, JsonNode Record)
    {
        public string Path => Record["path"]!.GetValue<string>();
    }

    /// <summary>The JSON files in the sink, in the order written.</summary>
    private List<SinkFile> SinkFiles() =>
        [.. Directory.GetFiles(_sink, "*.json")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new SinkFile(name!, int.Parse(name![..6], System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(File.ReadAllText(Path.Combine(_sink, name)))!))];

    /// <summary>The user an activity notification went to: <c>/v1.0/users/{upn}/teamwork/sendActivityNotification</c>.</summary>
    private static string Recipient(SinkFile file) => Uri.UnescapeDataString(file.Path.Split('/')[^3]);

    /// <summary>Every string value in the card, wherever it sits.</summary>
    private static List<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => [.. o.SelectMany(p => Texts(p.Value))],
        JsonArray a => [.. a.SelectMany(Texts)],
        JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    /// <summary>The URL of the card's Action.OpenUrl titled <paramref name="title"/>, wherever it sits in the card.</summary>
    private static string? ActionUrl(JsonNode card, string title)
    {
        static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
        {
            JsonObject o => new[] { o }.Concat(o.SelectMany(p => Objects(p.Value))),
            JsonArray a => a.SelectMany(Objects),
            _ => [],
        };

        return Objects(card)
            .FirstOrDefault(o => o["type"]?.GetValue<string>() == "Action.OpenUrl" && o["title"]?.GetValue<string>() == title)?["url"]?.GetValue<string>();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    private static async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.Equal((int)expected, json.RootElement.GetProperty("status").GetInt32());
    }
}
