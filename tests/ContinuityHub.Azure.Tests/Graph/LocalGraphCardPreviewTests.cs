using System.Collections.Concurrent;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContinuityHub.Local;
using ContinuityHub.Notifications;
using ContinuityHub.Testing.Cards;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Tests.Graph;

/// <summary>
/// The Teams sink's card previews, opened in headless Chromium: the official renderer draws the card from the page's
/// embedded JSON, the text exactly as sent, and without the renderer the page says what to do and shows the JSON.
/// </summary>
public sealed partial class LocalGraphCardPreviewTests : IDisposable
{
    private const string Title = """Core <ledger> & "payments" </script><b>x</b> (dr-ledger) 1. #1 *urgent*""";
    private const string Preview = "000001-POST-channel-message-card.html";

    // The card's JSON with <, > and & as they are: a </script> in it is really there for the page to defuse.
    private static readonly JsonSerializerOptions _asWritten = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _sink = Path.Combine(Path.GetTempPath(), "continuityhub-card-previews-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }
    }

    [Fact]
    public async Task A_posted_card_previews_with_the_official_renderer_showing_a_hostile_title_in_a_TextRun_exactly_as_given()
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);

        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", HostileCard(), Token);

        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(_sink, Preview), Token);
        Assert.Equal([Title], Texts(TextRun(), dom));
        Assert.Contains("<em>urgent</em>", dom, StringComparison.Ordinal); // the TextBlock's markdown formatted, as Teams does
        Assert.Equal(["Acknowledge"], Texts(PushButton(), dom));
        Assert.DoesNotContain("<b>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"fallback\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("</script><b>", await File.ReadAllTextAsync(Path.Combine(_sink, Preview), Token), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "light", "rgb(255, 255, 255)")]
    [InlineData("#dark", "dark", "rgb(45, 44, 44)")]
    [InlineData("#high-contrast", "high-contrast", "rgb(0, 0, 0)")]
    public async Task The_preview_renders_under_the_Teams_host_config_its_fragment_names_light_by_default(string fragment, string theme, string cardBackground)
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);
        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", HostileCard(), Token);

        var dom = await HeadlessChromium.DumpDomAsync(new Uri(new Uri(Path.Combine(_sink, Preview)).AbsoluteUri + fragment), Token);

        Assert.Contains($"<body data-theme=\"{theme}\">", dom, StringComparison.Ordinal);
        Assert.Contains($"<button type=\"button\" data-theme=\"{theme}\" aria-pressed=\"true\">", dom, StringComparison.Ordinal);
        Assert.Matches($"class=\"ac-container ac-adaptiveCard\"[^>]*background-color: {Regex.Escape(cardBackground)}", dom);
        Assert.Equal([Title], Texts(TextRun(), dom));
    }

    [Fact]
    public async Task The_official_renderer_is_copied_once_beside_the_previews()
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);

        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", HostileCard(), Token);
        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", HostileCard(), Token);

        var copied = Path.Combine(_sink, "adaptivecards.min.js");
        Assert.Equal(await File.ReadAllBytesAsync(CardAssets.LibraryPath, Token), await File.ReadAllBytesAsync(copied, Token));
        Assert.Equal(2, Directory.GetFiles(_sink, "*.html").Length);
        Assert.Contains("<script src=\"adaptivecards.min.js\"></script>", await File.ReadAllTextAsync(Path.Combine(_sink, Preview), Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_renderer_the_preview_says_what_to_do_and_shows_the_card_json_and_it_is_logged_once()
    {
        using var logs = new RecordingLoggerFactory();
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink, locateCardRenderer: () => null, loggerFactory: logs);
        var card = HostileCard();

        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", card, Token);
        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", card, Token);

        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(_sink, Preview), Token);
        Assert.Equal(["Previews need the official Adaptive Cards renderer: run `npm ci` in infra/."], Texts(Instruction(), dom));
        var shown = Assert.Single(Texts(CardJson(), dom));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(card.CardJson), JsonNode.Parse(shown)), shown);
        Assert.Contains("\n  \"type\": \"AdaptiveCard\"", shown, StringComparison.Ordinal); // pretty-printed
        Assert.Contains("\"text\": \"Core <ledger> & \\\"payments\\\" </script><b>x</b>", shown, StringComparison.Ordinal); // as written, not \u003C
        Assert.DoesNotContain("<b>", dom, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_sink, "adaptivecards.min.js")));
        Assert.Single(logs.Events, e => e.Id == 6004);
        Assert.Equal(2, harness.Graph.DeliveredTo("/messages").Count);
    }

    [Fact]
    public async Task A_preview_whose_renderer_was_removed_since_falls_back_to_the_instruction_and_the_json()
    {
        await using var harness = await GraphHarness.StartAsync(sinkDirectory: _sink);
        await harness.Gateway.PostCardAsync("team-1", "19:c@thread.tacv2", HostileCard(), Token);

        File.Delete(Path.Combine(_sink, "adaptivecards.min.js"));
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(_sink, Preview), Token);

        Assert.Contains("<section id=\"fallback\">", dom, StringComparison.Ordinal); // no longer hidden
        Assert.Single(Texts(Instruction(), dom));
        Assert.Contains(Title.Replace("\"", "\\\"", StringComparison.Ordinal), Assert.Single(Texts(CardJson(), dom)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_json_escapes_what_would_end_its_script_element()
    {
        var card = HostileCard().CardJson;
        Assert.Contains("</script><b>x</b>", card, StringComparison.Ordinal);

        var html = CardPreviewPage.Html(card, withLibrary: true);

        var data = CardData().Match(html);
        Assert.True(data.Success);
        Assert.DoesNotContain("<", data.Groups["json"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("&", data.Groups["json"].Value, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E\\u003Cb\\u003Ex", data.Groups["json"].Value, StringComparison.Ordinal);
    }

    private static TeamsCard HostileCard() => new(new JsonObject
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.5",
        ["body"] = new JsonArray(
            new JsonObject { ["type"] = "TextBlock", ["text"] = Title, ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
            new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = Title }) }),
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Acknowledge", ["url"] = "https://hub.example/ack", ["style"] = "positive" }),
    }.ToJsonString(_asWritten), Title);

    private static List<string> Texts(Regex element, string dom) =>
        [.. element.Matches(dom).Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value))];

    [GeneratedRegex("<span class=\"ac-textRun\"[^>]*>(?<text>[^<]*)</span>")]
    private static partial Regex TextRun();

    [GeneratedRegex("<button[^>]*class=\"ac-pushButton[^\"]*\"[^>]*>(?:<[^>]*>)*(?<text>[^<]+)<")]
    private static partial Regex PushButton();

    [GeneratedRegex("<p id=\"instruction\">(?<text>[^<]*)</p>")]
    private static partial Regex Instruction();

    [GeneratedRegex("<pre id=\"card-json\">(?<text>[^<]*)</pre>")]
    private static partial Regex CardJson();

    [GeneratedRegex("<script type=\"application/json\" id=\"card-data\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex CardData();

    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<EventId> Events { get; } = new();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue(eventId);

        public void Dispose()
        {
        }
    }
}
