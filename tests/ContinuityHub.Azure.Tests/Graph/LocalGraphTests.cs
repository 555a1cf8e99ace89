using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Local;
using ContinuityHub.Notifications;

namespace ContinuityHub.Azure.Tests.Graph;

public sealed class LocalGraphTests : IDisposable
{
    private readonly string _sink = Path.Combine(Path.GetTempPath(), "continuityhub-teams-sink-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }
        else if (File.Exists(_sink))
        {
            File.Delete(_sink);
        }
    }

    [Fact]
    public async Task Base_url_is_graph_v1_on_loopback()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);

        Assert.Equal("127.0.0.1", graph.BaseUrl.Host);
        Assert.Equal("/v1.0", graph.BaseUrl.AbsolutePath);
        Assert.NotEqual(0, graph.BaseUrl.Port);
    }

    [Fact]
    public async Task Anything_it_does_not_know_answers_404_with_a_Graph_error_body_and_is_recorded()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(graph.BaseUrl + "/me/messages?$top=1"), Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!["error"]!;
        Assert.Equal("NotFound", error["code"]!.GetValue<string>());
        Assert.Contains("/v1.0/me/messages", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("GET", "/v1.0/me/messages", "?$top=1", 404, false), (request.Method, request.Path, request.Query, request.Status, request.Injected));
    }

    [Fact]
    public async Task Records_method_path_headers_body_and_time_of_every_request()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);
        using var http = new HttpClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(graph.BaseUrl + "/users/ada@contoso.example/sendMail"))
        {
            Content = new StringContent("""{"message":{"subject":"s"}}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t0ken");

        using var response = await http.SendAsync(post, Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(graph.RequestsTo("/sendMail"));
        Assert.Equal((1, "POST", "/v1.0/users/ada@contoso.example/sendMail"), (request.Sequence, request.Method, request.Path));
        Assert.Equal("Bearer t0ken", request.Authorization);
        Assert.Equal("t0ken", request.BearerToken);
        Assert.Equal("""{"message":{"subject":"s"}}""", request.Body);
        Assert.StartsWith("application/json", request.Headers["content-type"], StringComparison.Ordinal);
        Assert.True(request.Succeeded);
        Assert.InRange(request.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_known_call_without_a_token_answers_401()
    {
        await using var graph = await LocalGraph.StartAsync(_sink, Token);
        using var http = new HttpClient();

        using var response = await http.PostAsync(
            new Uri(graph.BaseUrl + "/users/ada/sendMail"), new StringContent("""{"message":{}}""", Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(_sink));
    }

    [Fact]
    public async Task Injected_fault_answers_its_status_with_Retry_After_then_the_stub_answers_again()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);
        graph.Fail(1, 429, retryAfter: TimeSpan.FromSeconds(7));
        using var http = new HttpClient();

        using var throttled = await http.SendAsync(Post(graph, "/users/ada/sendMail", """{"message":{}}"""), Token);
        using var accepted = await http.SendAsync(Post(graph, "/users/ada/sendMail", """{"message":{}}"""), Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal("TooManyRequests", JsonNode.Parse(await throttled.Content.ReadAsStringAsync(Token))!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal([(429, true), (202, false)], graph.Requests.Select(r => (r.Status, r.Injected)));
    }

    [Fact]
    public async Task Sink_writes_one_json_per_delivered_request_with_card_in_the_name_and_an_html_preview_of_the_card_beside_its_renderer()
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);
        var card = GraphHarness.Card();
        harness.Graph.Fail(1, 429, TimeSpan.Zero);

        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", card, Token);
        await harness.Gateway.SendMailAsync("ada@contoso.example", new MailNotice("Alert", "<p>Alert</p>"), Token);

        var files = Directory.EnumerateFiles(_sink).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["000001-POST-channel-message-card.html", "000001-POST-channel-message-card.json", "000002-POST-send-mail.json", "adaptivecards.min.js", "markdown-it.min.js"], files);
        var record = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_sink, "000001-POST-channel-message-card.json"), Token))!;
        Assert.Equal("POST", record["method"]!.GetValue<string>());
        Assert.Equal("/v1.0/teams/team-1/channels/19:c@thread.tacv2/messages", record["path"]!.GetValue<string>());
        Assert.Equal(card.CardJson, record["body"]!["attachments"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("1.5", record["cards"]![0]!["version"]!.GetValue<string>());
        Assert.NotNull(record["receivedAt"]);
        Assert.DoesNotContain("app-token", await File.ReadAllTextAsync(Path.Combine(_sink, "000002-POST-send-mail.json"), Token), StringComparison.Ordinal);
        var preview = await File.ReadAllTextAsync(Path.Combine(_sink, "000001-POST-channel-message-card.html"), Token);
        Assert.Contains("Payments: Alert", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_file_names_take_nothing_from_the_request_ids_or_body()
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);
        var hostile = "..\\..\\evil ../x:card<>|*?";

        await harness.Gateway.PostCardAsync("team..", hostile, new TeamsCard("""{"type":"AdaptiveCard","version":"1.5","body":[]}""", hostile), Token);
        await harness.Gateway.NotifyActivityAsync("../../ada", new ActivityNotice(hostile, hostile, hostile, "https://x/", new Dictionary<string, string>()), Token);

        var names = Directory.EnumerateFiles(_sink, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_sink, f)).ToList();
        Assert.Equal(5, names.Count); // the card and its preview, the notification, and the previews' renderer and markdown
        Assert.All(names, name => Assert.Matches(new Regex("^([0-9]{6}-POST-[a-z-]+\\.(json|html)|adaptivecards\\.min\\.js|markdown-it\\.min\\.js)$"), name));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(_sink)!, "evil*"));
    }

    [Fact]
    public async Task Sink_keeps_numbering_after_the_files_already_there()
    {
        Directory.CreateDirectory(_sink);
        await File.WriteAllTextAsync(Path.Combine(_sink, "000041-POST-send-mail.json"), "{}", Token);
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);

        await harness.Gateway.SendMailAsync("ada@contoso.example", new MailNotice("Alert", "<p>Alert</p>"), Token);

        Assert.True(File.Exists(Path.Combine(_sink, "000042-POST-send-mail.json")));
    }

    [Fact]
    public async Task Sink_that_cannot_be_written_does_not_fail_the_request()
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);
        Directory.Delete(_sink);
        await File.WriteAllTextAsync(_sink, "a file where the sink directory was", Token);

        var posted = await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", GraphHarness.Card(), Token);

        Assert.False(string.IsNullOrEmpty(posted.Id));
        Assert.True(Assert.Single(harness.Graph.Requests).Succeeded);
    }

    [Fact]
    public async Task Card_json_of_a_recorded_post_is_the_card_as_sent()
    {
        await using var harness = await GraphHarness.StartAsync();
        var card = GraphHarness.Card("Zahlungsausfall – <Größe> & Co");

        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", card, Token);

        Assert.Equal(card.CardJson, RecordedRequest.CardJsonOf(Assert.Single(harness.Graph.Requests)));
        Assert.Equal([card.CardJson], harness.Graph.Cards);
    }

    private static HttpRequestMessage Post(LocalGraph graph, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(graph.BaseUrl + path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t");
        return request;
    }
}
