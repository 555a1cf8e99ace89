using System.Net;
using System.Text.RegularExpressions;
using ContinuityHub.Cli.Demo;
using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Cli.Tests.Demo;

/// <summary>
/// The demo's index.html opened from file:// in headless Chromium: the official renderer draws every card under Teams'
/// light host config with the incident's title exactly as given; a screenshot is kept under
/// <c>bin/…/screenshots/demo-index.png</c> for people to look at.
/// </summary>
public sealed partial class DemoPageScreenshotTests : IDisposable
{
    private readonly DemoRunBuilder _builder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _builder.Dispose();

    [Fact]
    public async Task Chromium_draws_one_official_card_per_demo_card_with_the_title_as_given_and_every_timeline_row()
    {
        var run = await _builder.BuildAsync(Token);
        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);

        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(run.OutputDirectory, "index.html"), Token);

        Assert.Equal(run.Cards.Count, RenderedCard().Count(dom));
        Assert.All(RenderedCard().Matches(dom), card => Assert.Contains("background-color: rgb(255, 255, 255)", card.Value, StringComparison.Ordinal)); // light
        var runs = Texts(TextRun(), dom);
        Assert.Equal(2, runs.Count(r => r == DemoRunBuilder.Title)); // the alert and the reply
        Assert.DoesNotContain(runs, r => r.Contains('\\', StringComparison.Ordinal) || r.Contains("&lt;", StringComparison.Ordinal) || r.Contains("\\u003C", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Continuity report", dom, StringComparison.Ordinal);
        Assert.Equal(run.Steps.Count, TimelineRow().Count(dom));
        Assert.DoesNotContain("<b>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"card-json\"", dom, StringComparison.Ordinal); // drawn, so the JSON is gone
        Assert.Contains("<p id=\"instruction\" hidden=\"\">", dom, StringComparison.Ordinal);
        Assert.All(Texts(Status(), dom), status => Assert.Equal("", status)); // no parse events, nothing failed
    }

    [Fact]
    public async Task The_screenshot_of_the_page_shows_the_drawn_cards()
    {
        var run = await _builder.BuildAsync(Token);
        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var png = Path.Combine(directory, "demo-index.png");

        await HeadlessChromium.ScreenshotAsync(Path.Combine(run.OutputDirectory, "index.html"), png, 1280, 3600, Token);

        var shot = ScreenshotPng.Decode(await File.ReadAllBytesAsync(png, Token));
        Assert.Equal((1280, 3600), (shot.Width, shot.Height));
        Assert.True(shot.DistinctColours(step: 3) > 40, $"{shot.DistinctColours(step: 3)} colours");
        Assert.True(shot.Contains(0xf5f5f5), "no Teams channel background"); // the page
        Assert.True(shot.Contains(0xffffff), "no card background"); // a light card
        Assert.True(shot.Contains(0x5b5fc7), "no Teams positive button"); // an Acknowledge or Invoke button drawn as Teams does
    }

    [Fact]
    public async Task Without_the_library_Chromium_shows_the_instruction_and_every_cards_json()
    {
        var run = await _builder.BuildAsync(Token);
        await DemoPage.WriteAsync(run, () => null, Token);

        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(run.OutputDirectory, "index.html"), Token);

        Assert.Equal(["Cards need the official Adaptive Cards renderer: run `npm ci` in infra/."], Texts(Instruction(), dom));
        Assert.Equal(run.Cards.Count, Texts(CardJson(), dom).Count);
        Assert.Empty(RenderedCard().Matches(dom));
        Assert.Equal(run.Steps.Count, TimelineRow().Count(dom));
    }

    [Fact]
    public async Task A_page_whose_renderer_was_removed_since_shows_the_instruction_and_the_json()
    {
        var run = await _builder.BuildAsync(Token);
        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);
        File.Delete(Path.Combine(run.OutputDirectory, "adaptivecards.min.js"));

        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(run.OutputDirectory, "index.html"), Token);

        Assert.Single(Texts(Instruction(), dom));
        var shown = Texts(CardJson(), dom);
        Assert.Equal(run.Cards.Count, shown.Count);
        Assert.Contains(DemoRunBuilder.Title.Replace("\"", "\\\"", StringComparison.Ordinal), shown[0], StringComparison.Ordinal);
    }

    private static List<string> Texts(Regex element, string dom) =>
        [.. element.Matches(dom).Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value))];

    [GeneratedRegex("<div class=\"ac-container ac-adaptiveCard\"[^>]*>")]
    private static partial Regex RenderedCard();

    [GeneratedRegex("<span class=\"ac-textRun\"[^>]*>(?<text>[^<]*)</span>")]
    private static partial Regex TextRun();

    [GeneratedRegex("<tr class=\"step\" id=\"step-\\d+\">")]
    private static partial Regex TimelineRow();

    [GeneratedRegex("<p id=\"instruction\">(?<text>[^<]*)</p>")]
    private static partial Regex Instruction();

    [GeneratedRegex("<pre class=\"card-json\">(?<text>[^<]*)</pre>")]
    private static partial Regex CardJson();

    [GeneratedRegex("<p class=\"status\" role=\"status\">(?<text>[^<]*)</p>")]
    private static partial Regex Status();
}
