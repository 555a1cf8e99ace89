using System.Diagnostics;
using System.Text.Json.Nodes;
using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Core.Tests.Cards;

/// <summary>The harness itself: the official library in headless Chromium reports what it parsed, validated and drew.</summary>
public class OfficialCardRendererTests
{
    private const string Hostile = """Core <ledger> & "payments" \(dr-ledger) *x* 1. {{""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_card_with_an_invalid_size_and_an_unknown_element_yields_their_parse_events()
    {
        var card = Card(
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Payments", ["size"] = "Huge" },
            new JsonObject { ["type"] = "Gauge" });

        var rendered = await OfficialCardRenderer.RenderAsync(card.ToJsonString(), TeamsTheme.Light, Token);

        Assert.True(rendered.Rendered);
        Assert.Contains(rendered.Events, e => (e.Phase, e.Type) == ("Parse", "InvalidPropertyValue") && e.Message.Contains("Huge", StringComparison.Ordinal));
        Assert.Contains(rendered.Events, e => (e.Phase, e.Type) == ("Parse", "UnknownElementType") && e.Message.Contains("Gauge", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_inputs_with_the_same_id_yield_a_validation_event()
    {
        var card = Card(
            new JsonObject { ["type"] = "Input.Text", ["id"] = "reason" },
            new JsonObject { ["type"] = "Input.Text", ["id"] = "reason" });

        var rendered = await OfficialCardRenderer.RenderAsync(card.ToJsonString(), TeamsTheme.Light, Token);

        Assert.Contains(rendered.Events, e => (e.Phase, e.Type) == ("Validation", "DuplicateId"));
    }

    [Fact]
    public async Task A_valid_card_yields_no_events()
    {
        var rendered = await OfficialCardRenderer.RenderAsync(Card(new JsonObject { ["type"] = "TextBlock", ["text"] = "Payments" }).ToJsonString(), TeamsTheme.Dark, Token);

        Assert.Empty(rendered.Events);
        Assert.Equal([new RenderedText("TextBlock", "Payments")], rendered.Texts);
    }

    [Fact]
    public async Task A_TextBlock_has_its_markdown_formatted_as_Teams_does_and_a_TextRun_does_not()
    {
        var card = Card(
            new JsonObject { ["type"] = "TextBlock", ["text"] = "**bold** and [a link](https://hub.example/)" },
            new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = "**bold**" }) });

        var rendered = await OfficialCardRenderer.RenderAsync(card.ToJsonString(), TeamsTheme.Light, Token);

        Assert.Equal([new RenderedText("TextBlock", "bold and a link"), new RenderedText("RichTextBlock", "**bold**")], rendered.Texts);
    }

    [Fact]
    public async Task A_TextRun_renders_its_text_exactly_without_entities_or_markdown()
    {
        var card = Card(new JsonObject
        {
            ["type"] = "RichTextBlock",
            ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = Hostile }),
        });

        var rendered = await OfficialCardRenderer.RenderAsync(card.ToJsonString(), TeamsTheme.Light, Token);

        Assert.Empty(rendered.Events);
        Assert.Equal(Hostile, rendered.Text);
        Assert.Equal([new RenderedText("RichTextBlock", Hostile)], rendered.Texts);
    }

    [Fact]
    public async Task Texts_come_in_document_order_with_fact_titles_and_values_and_actions_with_their_rendered_style()
    {
        var card = Card(
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Payments: Alert" },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Tier", ["value"] = "1" }) });
        card["actions"] = new JsonArray(
            new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Acknowledge", ["url"] = "https://hub.example/ack", ["style"] = "positive" },
            new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Stand down", ["url"] = "https://hub.example/stand-down", ["style"] = "destructive" },
            new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Runbook", ["url"] = "https://hub.example/runbook" });

        var rendered = await OfficialCardRenderer.RenderAsync(card.ToJsonString(), TeamsTheme.HighContrast, Token);

        Assert.Equal([new("TextBlock", "Payments: Alert"), new("FactTitle", "Tier"), new("FactValue", "1")], rendered.Texts);
        Assert.Equal([("Acknowledge", "positive", true), ("Stand down", "destructive", false), ("Runbook", "default", false)],
            rendered.Actions.Select(a => (a.Title, a.Style, a.IsPrimary)));
        Assert.All(rendered.Actions, a => Assert.Contains("ac-pushButton", a.Classes, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_card_of_a_call_gets_its_own_result_and_JSON_that_does_not_parse_is_an_error_not_a_failure()
    {
        var cards = Enumerable.Range(1, 3).Select(i => Card(new JsonObject { ["type"] = "TextBlock", ["text"] = $"Card {i}" }).ToJsonString()).Append("{\"type\":").ToList();

        var rendered = await OfficialCardRenderer.RenderAsync(cards, "dark", Token);

        Assert.Equal(["Card 1", "Card 2", "Card 3"], rendered.Take(3).Select(r => Assert.Single(r.Texts).Text));
        Assert.False(rendered[3].Rendered);
        Assert.Contains("JSON", rendered[3].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sixty_cards_render_in_one_chromium_launch_within_ten_seconds()
    {
        var cards = Enumerable.Range(1, 60).Select(i => Card(
            new JsonObject { ["type"] = "Container", ["style"] = "attention", ["items"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = $"Incident {i}", ["wrap"] = true }) },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Tier", ["value"] = $"{i % 3}" }) }).ToJsonString()).ToList();
        var clock = Stopwatch.StartNew();

        var rendered = await OfficialCardRenderer.RenderAsync(cards, TeamsTheme.Light, Token);

        clock.Stop();
        Assert.Equal(60, rendered.Count(r => r.Rendered && r.Events.Count == 0));
        Assert.Equal("Incident 60", rendered[^1].Texts[0].Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"60 cards took {clock.Elapsed}.");
        TestContext.Current.SendDiagnosticMessage($"60 cards rendered in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_screenshot_is_a_png_of_the_card_on_the_channel_background()
    {
        var card = Card(
            new JsonObject { ["type"] = "Container", ["style"] = "attention", ["items"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "Payments: Alert", ["size"] = "Large", ["weight"] = "Bolder" }) },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Tier", ["value"] = "1" }) });
        card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Acknowledge", ["url"] = "https://hub.example/ack", ["style"] = "positive" });
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var png = Path.Combine(shots.FullName, "card-light.png");

        await OfficialCardRenderer.ScreenshotAsync(card.ToJsonString(), TeamsTheme.Light, png, width: 600, height: 400, Token);

        var image = ScreenshotPng.Decode(await File.ReadAllBytesAsync(png, Token));
        Assert.Equal((640, 400), (image.Width, image.Height));
        Assert.Equal(0xf5f5f5, image.Rgb(4, 4)); // Teams' light channel background, outside the card
        Assert.True(image.Contains(0xFFC5B2), "No attention container background in the screenshot.");
        Assert.True(image.Contains(0x5b5fc7), "No positive action button in the screenshot.");
        Assert.True(image.DistinctColours(step: 2) > 20, "Too few colours for text on a card: a blank page?");
    }

    private static JsonObject Card(params JsonObject[] body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.5",
        ["body"] = new JsonArray([.. body]),
    };
}
