using System.Text.Json.Nodes;
using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Core.Tests.Cards;

public class CardContrastTests
{
    [Fact]
    public void Warning_coloured_text_in_a_warning_container_fails_under_light_naming_path_style_colour_and_ratio()
    {
        var card = Card(Container("warning", new JsonObject { ["type"] = "TextBlock", ["text"] = "Degraded", ["color"] = "warning" }));

        var problems = CardContrast.Check(card, TeamsTheme.Light);

        // #f8d22a on #FFE2B2 in microsoft-teams-light.json
        var problem = Assert.Single(problems);
        Assert.StartsWith("light: /body/0/items/0 TextBlock \"Degraded\": warning on warning container, #f8d22a on #ffe2b2 = 1.", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_text_in_a_good_container_passes_under_all_three_host_configs()
    {
        var card = Card(Container("good",
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Recovered" },
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Payments", ["style"] = "heading" },
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(new JsonObject { ["title"] = "Tier", ["value"] = "1" }) },
            new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = "Core <ledger>" }, "plain") }));

        Assert.Empty(CardContrast.Check(card));
    }

    [Fact]
    public void A_TextRun_takes_its_own_colour_not_the_styles_around_it()
    {
        var card = Card(Container("attention", new JsonObject
        {
            ["type"] = "RichTextBlock",
            ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = "Down", ["color"] = "Attention" }),
        }));

        var problems = CardContrast.Check(card);

        Assert.Contains(problems, p => p.StartsWith("light: /body/0/items/0/inlines/0 TextRun \"Down\": attention on attention container", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("dark: /body/0/items/0/inlines/0 TextRun", StringComparison.Ordinal));
    }

    [Fact]
    public void The_nearest_styled_ancestor_decides_and_a_column_without_a_style_inherits_it()
    {
        var subtle = new JsonObject { ["type"] = "TextBlock", ["text"] = "since 09:12", ["color"] = "good" };
        var card = Card(Container("emphasis", new JsonObject
        {
            ["type"] = "ColumnSet",
            ["columns"] = new JsonArray(
                new JsonObject { ["type"] = "Column", ["items"] = new JsonArray(subtle) },
                new JsonObject { ["type"] = "Column", ["style"] = "default", ["items"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "ok" }) }),
        }));

        var problems = CardContrast.Check(card, TeamsTheme.Light);

        Assert.StartsWith("light: /body/0/items/0/columns/0/items/0 TextBlock \"since 09:12\": good on emphasis container", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Subtle_text_blends_its_alpha_over_the_background()
    {
        // Dark host config: default subtle is #bfffffff (75 % white) over #2d2c2c: still above 4.5:1; accent subtle #8b8cc7 is not.
        var card = Card(
            new JsonObject { ["type"] = "TextBlock", ["text"] = "a", ["isSubtle"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = "b", ["isSubtle"] = true, ["color"] = "accent" });

        var problems = CardContrast.Check(card, TeamsTheme.Dark);

        Assert.Contains("accent subtle on default container, #8b8cc7 on #2d2c2c", Assert.Single(problems), StringComparison.Ordinal);
    }

    private static JsonObject Container(string style, params JsonObject[] items) =>
        new() { ["type"] = "Container", ["style"] = style, ["items"] = new JsonArray([.. items]) };

    private static string Card(params JsonObject[] body) =>
        new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5", ["body"] = new JsonArray([.. body]) }.ToJsonString();
}
