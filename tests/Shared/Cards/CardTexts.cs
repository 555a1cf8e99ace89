using System.Text.Json.Nodes;

namespace ContinuityHub.Testing.Cards;

/// <summary>
/// A text of a card: where it is (a JSON pointer), its kind (TextBlock, TextRun, FactTitle, FactValue), the container
/// styles from the card down to it (the last is its effective style) and the colour, subtlety and text style it sets itself.
/// </summary>
internal sealed record CardText(string Path, string Kind, string Text, IReadOnlyList<string> Styles, string? Colour, bool? IsSubtle, string? TextStyle);

/// <summary>Walks a card's elements (body, items, columns, rows, cells, inlines, facts, ShowCard cards) for its texts.</summary>
internal static class CardTexts
{
    private static readonly string[] _children = ["body", "items", "columns", "rows", "cells", "actions"];

    public static List<CardText> Of(JsonObject card, string showCardStyle)
    {
        var texts = new List<CardText>();
        Walk(card, "", ["default"], showCardStyle, texts);
        return texts;
    }

    private static void Walk(JsonObject element, string path, List<string> styles, string showCardStyle, List<CardText> texts)
    {
        var type = CardContrast.Text(element["type"]);
        if (CardContrast.SetsStyle(type) && CardContrast.ContainerStyle(element["style"]) is { } own)
        {
            styles = [.. styles, own];
        }

        switch (type)
        {
            case "TextBlock":
                texts.Add(new CardText(path, "TextBlock", CardContrast.Text(element["text"]) ?? "", styles,
                    CardContrast.Text(element["color"]), CardContrast.Bool(element["isSubtle"]), CardContrast.Text(element["style"])));
                break;
            case "RichTextBlock":
                foreach (var (inline, at) in Items(element["inlines"], path + "/inlines"))
                {
                    texts.Add(inline is JsonObject run
                        ? new CardText(at, "TextRun", CardContrast.Text(run["text"]) ?? "", styles, CardContrast.Text(run["color"]), CardContrast.Bool(run["isSubtle"]), null)
                        : new CardText(at, "TextRun", CardContrast.Text(inline) ?? "", styles, null, null, null));
                }

                break;
            case "FactSet":
                foreach (var (fact, at) in Items(element["facts"], path + "/facts"))
                {
                    texts.Add(new CardText(at + "/title", "FactTitle", CardContrast.Text(fact?["title"]) ?? "", styles, null, null, null));
                    texts.Add(new CardText(at + "/value", "FactValue", CardContrast.Text(fact?["value"]) ?? "", styles, null, null, null));
                }

                break;
            case "Action.ShowCard" when element["card"] is JsonObject shown:
                Walk(shown, path + "/card", [.. styles, CardContrast.ContainerStyle(shown["style"]) ?? showCardStyle], showCardStyle, texts);
                return;
        }

        foreach (var key in _children)
        {
            foreach (var (child, at) in Items(element[key], path + "/" + key))
            {
                if (child is JsonObject childElement)
                {
                    Walk(childElement, at, styles, showCardStyle, texts);
                }
            }
        }
    }

    private static IEnumerable<(JsonNode? Item, string Path)> Items(JsonNode? array, string path) =>
        (array as JsonArray ?? []).Select((item, i) => (item, $"{path}/{i}"));
}
