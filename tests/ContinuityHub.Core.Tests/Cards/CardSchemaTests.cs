using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Core.Tests.Cards;

public class CardSchemaTests
{
    private const string Good = """
        {"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5",
         "body":[{"type":"Container","style":"warning","items":[{"type":"TextBlock","text":"Payments","size":"Large","weight":"Bolder","wrap":true}]},
                 {"type":"FactSet","facts":[{"title":"Tier","value":"1"}]},
                 {"type":"RichTextBlock","inlines":[{"type":"TextRun","text":"Core <ledger>"}]}],
         "actions":[{"type":"Action.OpenUrl","title":"Acknowledge","url":"https://hub.example/ack","style":"positive"}]}
        """;

    [Fact]
    public void A_card_of_known_elements_with_valid_values_has_no_errors()
    {
        Assert.Empty(CardSchema.Validate(Good));
    }

    [Fact]
    public void A_TextBlock_size_outside_the_enumeration_is_an_error_at_that_TextBlock()
    {
        var errors = CardSchema.Validate(Good.Replace("\"size\":\"Large\"", "\"size\":\"Huge\"", StringComparison.Ordinal));

        Assert.Contains(errors, e => e.StartsWith("/body/0/items/0/size:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_element_type_is_an_error_at_that_element()
    {
        var errors = CardSchema.Validate(Good.Replace("\"type\":\"FactSet\"", "\"type\":\"Gauge\"", StringComparison.Ordinal));

        Assert.Contains(errors, e => e.StartsWith("/body/1", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("/body/0", StringComparison.Ordinal));
    }

    [Fact]
    public void An_action_without_its_required_url_is_an_error()
    {
        var errors = CardSchema.Validate(Good.Replace(",\"url\":\"https://hub.example/ack\"", "", StringComparison.Ordinal));

        Assert.Contains(errors, e => e.StartsWith("/actions/0", StringComparison.Ordinal) && e.Contains("url", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_that_is_not_json_is_one_error()
    {
        Assert.StartsWith("not JSON:", Assert.Single(CardSchema.Validate("{\"type\":")), StringComparison.Ordinal);
    }
}
