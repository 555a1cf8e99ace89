using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace ContinuityHub.Notifications;

/// <summary>
/// The Adaptive Card elements the hub's cards are built of. Text that comes from an incident or the catalogue goes
/// into <see cref="Rich"/> as <see cref="Run"/>s: a TextRun's text is never parsed as markdown, on any Teams client,
/// so it shows exactly as given — no escaping, no backslashes on mobile. TextBlocks and FactSets (whose text Teams
/// parses as markdown) carry the hub's own words only: headings, labels, counts, durations and times.
/// </summary>
internal static class AdaptiveCardElements
{
    /// <summary>How a card's JSON is written: letters of every script as they are; the HTML-sensitive characters (&lt; &gt; &amp; ' ") as \u escapes.</summary>
    internal static readonly JsonSerializerOptions CardJson = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
    };

    /// <summary>A TextBlock of the hub's own words (never incident or catalogue text: Teams parses it as markdown).</summary>
    internal static JsonObject Text(string hubText, string? size = null, string? weight = null, bool subtle = false, string? spacing = null, bool separator = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = hubText, ["wrap"] = true };
        Style(block, size, weight, subtle);
        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        if (separator)
        {
            block["separator"] = true;
        }

        return block;
    }

    internal static JsonObject Heading(string hubText) => Text(hubText, weight: "Bolder", separator: true, spacing: "Medium");

    /// <summary>A fact of the hub's own words: its title and value are rendered as markdown by Teams.</summary>
    internal static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    internal static JsonObject Facts(IEnumerable<JsonObject> facts, string? spacing = "Small")
    {
        var set = new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray([.. facts]) };
        if (spacing is not null)
        {
            set["spacing"] = spacing;
        }

        return set;
    }

    /// <summary>
    /// A RichTextBlock of runs. Each run's text is cleaned (<see cref="AdaptiveCardText.Plain"/> already applied by the
    /// caller) and split wherever two braces meet, so no run holds <c>{{</c> or <c>}}</c> and no <c>{{DATE(…)}}</c>
    /// function can ever be evaluated; the split is invisible.
    /// </summary>
    internal static JsonObject Rich(IEnumerable<Run> runs, string? spacing = null)
    {
        var inlines = new JsonArray();
        foreach (var run in runs)
        {
            foreach (var piece in Pieces(run.Text))
            {
                inlines.Add(TextRun(run, piece));
            }
        }

        var block = new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = inlines };
        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        return block;
    }

    internal static JsonObject Rich(Run run, string? spacing = null) => Rich([run], spacing);

    internal static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text cut wherever <c>{{</c> or <c>}}</c> would form: "a{{b" gives "a{" and "{b".</summary>
    internal static IEnumerable<string> Pieces(string text)
    {
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] is '{' or '}' && text[i - 1] == text[i])
            {
                yield return text[start..i];
                start = i;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static JsonObject TextRun(Run run, string text)
    {
        var inline = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        Style(inline, run.Size, run.Bold ? "Bolder" : null, run.Subtle);
        if (run.Link is not null)
        {
            inline["selectAction"] = new JsonObject { ["type"] = "Action.OpenUrl", ["url"] = run.Link };
        }

        return inline;
    }

    private static void Style(JsonObject element, string? size, string? weight, bool subtle)
    {
        if (size is not null)
        {
            element["size"] = size;
        }

        if (weight is not null)
        {
            element["weight"] = weight;
        }

        if (subtle)
        {
            element["isSubtle"] = true;
        }
    }
}

/// <summary>A piece of text in a <see cref="AdaptiveCardElements.Rich"/> block: shown as given, never as markdown.</summary>
/// <param name="Link">An http(s) URL already checked by <see cref="AdaptiveCardText.WebUrl(Uri?)"/>: the run opens it.</param>
internal readonly record struct Run(string Text, bool Bold = false, bool Subtle = false, string? Size = null, string? Link = null);

/// <summary>How much of each list and text a card shows; a card over the size limit is rendered again with the next, tighter set.</summary>
internal sealed record CardLimits(int Services, int Reasons, int Documents, int Tiers, int People, int Title, int Name, int Reason, int Note);
