using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContinuityHub.Notifications;
using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Core.Tests.Notifications;

/// <summary>
/// Every kind of card the hub sends (<see cref="EveryCard"/>), ordinary, hostile and oversized, checked as Teams takes
/// them: the official adaptivecards library (parse and validateProperties, in headless Chromium), the 1.5 JSON
/// schema, the size of the Graph request, and the contrast of every text under Teams' three host configs.
/// </summary>
public partial class TeamsCardConformanceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds => [.. EveryCard.All().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_card_fits_a_Teams_message_as_the_Graph_request_that_carries_it(string kind)
    {
        var card = Card(kind);

        Assert.InRange(TeamsMessage.RequestBytes(card), 1, TeamsMessage.MaxRequestBytes);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void No_TextBlock_or_fact_holds_anything_Teams_would_read_as_markdown(string kind)
    {
        var card = JsonNode.Parse(Card(kind).CardJson)!;

        var problems = AdaptiveCardsTests.Nodes(card).OfType<JsonObject>()
            .SelectMany(o => (string?)o["type"] == "TextBlock" ? [(string?)o["text"]] : o.ContainsKey("title") && o.ContainsKey("value") && o["type"] is null ? [(string?)o["title"], (string?)o["value"]] : Array.Empty<string?>())
            .Where(t => t is not null && Markdown().IsMatch(t))
            .ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void A_hostile_title_reads_exactly_as_given_on_every_alert_card()
    {
        foreach (var (name, model) in EveryCard.Models())
        {
            var texts = AdaptiveCardsTests.Texts(EveryCard.Hostile(model));

            Assert.True(texts.Contains(EveryCard.HostileTitle), $"{name}: the title is not shown as given");
        }
    }

    [Fact]
    public async Task The_official_library_parses_validates_and_renders_every_card_without_a_single_event()
    {
        var cards = EveryCard.All();

        var rendered = await OfficialCardRenderer.RenderAsync([.. cards.Select(c => c.Card.CardJson)], TeamsTheme.Light, Token);

        var problems = cards.Zip(rendered)
            .Where(pair => !pair.Second.Rendered || pair.Second.Events.Count > 0)
            .Select(pair => $"{pair.First.Name}: {(pair.Second.Rendered ? "" : "not rendered " + pair.Second.Error + "; ")}{string.Join("; ", pair.Second.Events.Select(e => $"{e.Phase} {e.Type}: {e.Message}"))}")
            .ToList();
        Assert.True(cards.Count > 25, $"only {cards.Count} cards");
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_card_is_valid_against_the_Adaptive_Cards_1_5_schema_besides_Teams_own_msteams_width(string kind)
    {
        // "msteams": {"width": "Full"} is Teams' documented extension for a full-width card; the 1.5 schema's
        // AdaptiveCard allows no property it does not list, so the extension is checked here and the rest by the schema.
        var card = JsonNode.Parse(Card(kind).CardJson)!.AsObject();
        Assert.Equal("""{"width":"Full"}""", card["msteams"]!.ToJsonString());
        card.Remove("msteams");

        Assert.Empty(CardSchema.Validate(card.ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_text_on_every_card_has_at_least_4_5_to_1_contrast_under_Teams_light_dark_and_high_contrast(string kind)
    {
        Assert.Empty(CardContrast.Check(Card(kind).CardJson));
    }

    [Fact]
    public async Task Rendered_by_the_official_library_a_hostile_title_shows_exactly_as_given_with_no_backslashes_or_entities()
    {
        var hostile = EveryCard.All().Where(c => c.Name.EndsWith("(hostile)", StringComparison.Ordinal)).ToList();
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));

        var rendered = await OfficialCardRenderer.RenderAsync([.. hostile.Select(c => c.Card.CardJson)], TeamsTheme.Light, Token);
        var png = Path.Combine(shots.FullName, "card-alert-hostile.png");
        File.Delete(png);
        await OfficialCardRenderer.ScreenshotAsync(hostile[0].Card.CardJson, TeamsTheme.Light, png, cancellationToken: Token);

        foreach (var (card, shown) in hostile.Zip(rendered))
        {
            Assert.True(shown.Texts.Any(t => t.Text == EveryCard.HostileTitle), $"{card.Name}: the title is not shown as given:\n{shown.Text}");
            Assert.DoesNotContain(MarkdownEscapes, e => shown.Text!.Contains(e, StringComparison.Ordinal)); // the title's own "\\(a\\)" aside
            Assert.DoesNotContain("&amp;", shown.Text!, StringComparison.Ordinal);
            Assert.DoesNotContain("&lt;", shown.Text!, StringComparison.Ordinal);
        }

        var image = ScreenshotPng.Decode(await File.ReadAllBytesAsync(png, Token));
        Assert.True(image.DistinctColours(step: 5) > 20, "The card screenshot is blank.");
    }

    /// <summary>What escaping markdown would have put before the title's characters.</summary>
    private static readonly string[] MarkdownEscapes = ["\\<", "\\#", "\\*", "\\_", "\\[", "\\]", "\\{", "\\.", "\\-", "\\|", "\\&"];

    internal static TeamsCard Card(string kind) => EveryCard.All().Single(c => c.Name == kind).Card;

    /// <summary>Markdown a Teams client would act on: emphasis, links, code, headings, quotes, lists, HTML, escapes.</summary>
    [GeneratedRegex(@"[*_\[\]`<>\\|~]|^\s*(#|-\s|\+\s|\d+\.\s)")]
    private static partial Regex Markdown();
}
