using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContinuityHub.Cli.Demo;
using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Cli.Tests.Demo;

/// <summary>The demo's index.html and timeline.json as written, read as text (DemoPageScreenshotTests opens them in Chromium).</summary>
public sealed partial class DemoPageTests : IDisposable
{
    private readonly DemoRunBuilder _builder = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _builder.Dispose();

    [Fact]
    public async Task The_page_and_the_timeline_are_written_into_the_output_directory_with_the_renderer_and_markdown_it_beside_them()
    {
        var run = await _builder.BuildAsync(Token);

        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);
        await DemoPage.WriteTimelineAsync(run, Token);

        Assert.True(File.Exists(Path.Combine(run.OutputDirectory, "index.html")));
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory, "timeline.json")));
        Assert.Equal(await File.ReadAllBytesAsync(CardAssets.LibraryPath, Token), await File.ReadAllBytesAsync(Path.Combine(run.OutputDirectory, "adaptivecards.min.js"), Token));
        Assert.Equal(await File.ReadAllBytesAsync(CardAssets.MarkdownPath, Token), await File.ReadAllBytesAsync(Path.Combine(run.OutputDirectory, "markdown-it.min.js"), Token));
        var html = await ReadIndexAsync(run);
        Assert.Contains("<script src=\"adaptivecards.min.js\"></script>", html, StringComparison.Ordinal);
        Assert.Matches("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self' 'nonce-[^']+'; [^\"]*\">", html);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_timeline_json_round_trips_with_camel_case_fields_iso_durations_and_utc_times()
    {
        var run = await _builder.BuildAsync(Token);
        run = run with { StartedAt = run.StartedAt.AddMilliseconds(250).ToOffset(TimeSpan.FromHours(2)) };

        await DemoPage.WriteTimelineAsync(run, Token);

        var json = await File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, "timeline.json"), Token);
        var read = DemoTimelineJson.Deserialize(json);
        Assert.Equal(run.StartedAt, read.StartedAt);
        Assert.Equal(run.OutputDirectory, read.OutputDirectory);
        Assert.Equal(run.Summary, read.Summary);
        Assert.Equal(run.Steps.Count, read.Steps.Count);
        Assert.All(run.Steps.Zip(read.Steps), p => Assert.Equal(p.First with { Files = [] }, p.Second with { Files = [] }));
        Assert.All(run.Steps.Zip(read.Steps), p => Assert.Equal(p.First.Files, p.Second.Files));
        Assert.Equal(run.Cards, read.Cards);
        Assert.Equal(run.Files, read.Files);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("PT2M10S", node["summary"]!["timeToFirstAlert"]!.GetValue<string>());
        Assert.Equal("2026-11-24T09:40:00.25Z", node["startedAt"]!.GetValue<string>());
        Assert.Equal("2026-11-24T09:42:10Z", node["steps"]![1]!["at"]!.GetValue<string>());
        Assert.Contains("\n  \"steps\": [", json, StringComparison.Ordinal);
        Assert.Contains(DemoRunBuilder.Title.Replace("\"", "\\\"", StringComparison.Ordinal), json, StringComparison.Ordinal); // as written
    }

    [Fact]
    public async Task A_run_without_a_first_alert_writes_a_null_duration_and_a_dash_on_the_page()
    {
        var run = await _builder.BuildAsync(Token);
        run = run with { Summary = run.Summary with { TimeToFirstAlert = null } };

        await DemoPage.WriteTimelineAsync(run, Token);
        await DemoPage.WriteAsync(run, () => null, Token);

        Assert.Null(DemoTimelineJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, "timeline.json"), Token)).Summary.TimeToFirstAlert);
        Assert.Contains("<th scope=\"row\">Time to first alert</th><td>–</td>", await ReadIndexAsync(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_header_summary_and_timeline_write_times_and_durations_for_people()
    {
        var run = await _builder.BuildAsync(Token);

        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);

        var html = await ReadIndexAsync(run);
        Assert.Contains("<h1>ContinuityHub demo</h1>", html, StringComparison.Ordinal);
        Assert.Contains(">24 Nov 2026 09:40 UTC</time>.</p>", html, StringComparison.Ordinal);
        Assert.Contains(
            "The hub played a major incident in 4 steps, from 24 Nov 2026 09:40 UTC to 24 Nov 2026 13:50 UTC of simulated time (4 h 10 min): "
            + "it alerted the crisis teams of 1 plan with 3 cards and 2 notifications, and 1 decision was taken.", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Plans alerted</th><td>1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Time to first alert</th><td>2 min</td>", html, StringComparison.Ordinal);
        Assert.Equal(["+0 s", "+2 min", "+40 min", "+4 h 10 min"], Texts(Offset(), html));
        Assert.Equal(["signal", "alert", "invoked", "report"], Texts(StepBadge(), html));
        Assert.Contains("""<td class="at"><time datetime="2026-11-24T13:50:00Z">24 Nov 2026 13:50 UTC</time></td>""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cards_are_shown_in_step_order_each_with_its_summary_plan_kind_and_a_link_to_its_json()
    {
        var run = await _builder.BuildAsync(Token);

        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);

        var html = await ReadIndexAsync(run);
        Assert.Equal(["Step 2 · alert · dr-ledger", "Step 3 · reply · dr-ledger", "Step 4 · report · continuity channel"], Headings(html));
        var ordered = run.Cards.OrderBy(c => c.Step).ToList();
        Assert.Equal(ordered.Select(c => c.Summary), Texts(CardSummary(), html));
        Assert.All(ordered, c => Assert.Contains($"<a href=\"{c.File}\">{c.File}</a></p>", html, StringComparison.Ordinal));
        var embedded = JsonNode.Parse(CardsData().Match(html).Groups["json"].Value)!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal([.. await Task.WhenAll(ordered.Select(c => File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, c.File), Token)))], embedded);
    }

    [Fact]
    public async Task Hostile_text_is_html_encoded_and_the_embedded_card_json_cannot_end_its_script()
    {
        var run = await _builder.BuildAsync(Token);
        Assert.Contains("</script><b>x</b>", await File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, run.Cards[0].File), Token), StringComparison.Ordinal);

        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);

        var html = await ReadIndexAsync(run);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<ledger>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<raw>", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode($"ServiceNow: P1 incident INC0012345 \"{DemoRunBuilder.Title}\""), html, StringComparison.Ordinal);
        Assert.Contains("Core &lt;ledger&gt; &amp; &quot;payments&quot; &lt;/script&gt;&lt;b&gt;x&lt;/b&gt; *urgent*", html, StringComparison.Ordinal);
        var data = CardsData().Match(html).Groups["json"].Value;
        Assert.DoesNotContain("<", data, StringComparison.Ordinal);
        Assert.DoesNotContain(">", data, StringComparison.Ordinal);
        Assert.DoesNotContain("&", data, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E\\u003Cb\\u003Ex", data, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("</script>").Length - 1); // the two bundles, the two JSON scripts, the page's own: none from a card
    }

    [Fact]
    public async Task Links_go_only_to_files_inside_the_output_directory_or_to_http_urls()
    {
        var run = await _builder.BuildAsync(Token);

        await DemoPage.WriteAsync(run, () => CardAssets.LibraryPath, Token);

        var html = await ReadIndexAsync(run);
        var hrefs = Texts(Href(), html);
        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, href => Assert.Matches("^(https?://|[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$)", href));
        Assert.DoesNotContain("../outside.txt", hrefs);
        Assert.Contains("<li><code>../outside.txt</code></li><li><code>javascript:alert(1)</code></li>", html, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"events/01-signal.json\">events/01-signal.json</a> — The ServiceNow webhook the demo posted &lt;raw&gt;</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_library_the_page_says_what_to_do_and_shows_each_cards_json_pretty_printed()
    {
        var run = await _builder.BuildAsync(Token);

        await DemoPage.WriteAsync(run, () => null, Token);

        var html = await ReadIndexAsync(run);
        Assert.Contains("<p id=\"instruction\">Cards need the official Adaptive Cards renderer: run `npm ci` in infra/.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src=", html, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.OutputDirectory, "adaptivecards.min.js")));
        var shown = Texts(CardJson(), html);
        var ordered = run.Cards.OrderBy(c => c.Step).ToList();
        Assert.Equal(ordered.Count, shown.Count);
        foreach (var (card, json) in ordered.Zip(shown))
        {
            var file = await File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, card.File), Token);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(file), JsonNode.Parse(json)), json);
            Assert.Contains("\n  \"type\": \"AdaptiveCard\"", json, StringComparison.Ordinal);
        }

        Assert.Contains(DemoRunBuilder.Title.Replace("\"", "\\\"", StringComparison.Ordinal), shown[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_file_outside_the_output_directory_is_refused()
    {
        var run = await _builder.BuildAsync(Token);
        run = run with { Cards = [run.Cards[0] with { File = "../cards/elsewhere.json" }] };

        await Assert.ThrowsAsync<ArgumentException>(() => DemoPage.WriteAsync(run, () => null, Token));
    }

    private static Task<string> ReadIndexAsync(DemoRun run) => File.ReadAllTextAsync(Path.Combine(run.OutputDirectory, "index.html"), Token);

    private static List<string> Texts(Regex element, string html) =>
        [.. element.Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value))];

    [GeneratedRegex("<td class=\"offset\">(?<text>[^<]*)</td>")]
    private static partial Regex Offset();

    [GeneratedRegex("</td><td><span class=\"kind[^\"]*\">(?<text>[^<]*)</span></td>")]
    private static partial Regex StepBadge();

    [GeneratedRegex("<p class=\"card-summary\">(?<text>[^<]*)</p>")]
    private static partial Regex CardSummary();

    [GeneratedRegex("<pre class=\"card-json\"[^>]*>(?<text>[^<]*)</pre>")]
    private static partial Regex CardJson();

    [GeneratedRegex("<script type=\"application/json\" id=\"cards-data\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex CardsData();

    [GeneratedRegex("href=\"(?<text>[^\"]*)\"")]
    private static partial Regex Href();

    // "Step 2 · <span class="kind kind-alert">alert</span> · dr-ledger" read as "Step 2 · alert · dr-ledger".
    private static List<string> Headings(string html) =>
        [.. CardHeading().Matches(html).Select(m => WebUtility.HtmlDecode(Tag().Replace(m.Groups["text"].Value, "")))];

    [GeneratedRegex("<h3>(?<text>.*?)</h3>")]
    private static partial Regex CardHeading();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();
}
