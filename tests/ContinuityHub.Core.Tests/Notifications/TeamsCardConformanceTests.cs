using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContinuityHub.Notifications;

namespace ContinuityHub.Core.Tests.Notifications;

/// <summary>Every kind of card the hub sends (<see cref="EveryCard"/>), ordinary, hostile and oversized, checked as Teams takes them.</summary>
public partial class TeamsCardConformanceTests
{
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

    internal static TeamsCard Card(string kind) => EveryCard.All().Single(c => c.Name == kind).Card;

    /// <summary>Markdown a Teams client would act on: emphasis, links, code, headings, quotes, lists, HTML, escapes.</summary>
    [GeneratedRegex(@"[*_\[\]`<>\\|~]|^\s*(#|-\s|\+\s|\d+\.\s)")]
    private static partial Regex Markdown();
}
