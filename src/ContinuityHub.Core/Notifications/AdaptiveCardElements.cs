using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using ContinuityHub.Assessment;

namespace ContinuityHub.Notifications;

/// <summary>The Adaptive Card elements the alert card is built of, every text escaped on the way in.</summary>
internal static class AdaptiveCardElements
{
    internal static string Escaped(string? text, int max) => AdaptiveCardText.Markdown(text, max);

    internal static JsonObject Heading(string text) => Text(AdaptiveCardText.EscapeMarkdown(text), weight: "Bolder", separator: true, spacing: "Medium");

    internal static JsonObject Fact(string title, string value) => new() { ["title"] = AdaptiveCardText.EscapeMarkdown(title), ["value"] = value };

    /// <summary>A TextBlock; <paramref name="markdown"/> is already escaped (or built by the hub).</summary>
    internal static JsonObject Text(string markdown, string? size = null, string? weight = null, string? color = null, bool subtle = false, string? spacing = null, bool separator = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = markdown, ["wrap"] = true };
        if (size is not null)
        {
            block["size"] = size;
        }

        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (color is not null)
        {
            block["color"] = color;
        }

        if (subtle)
        {
            block["isSubtle"] = true;
        }

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

    internal static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How much of each list and text a card shows; a card over the size limit is rendered again with the next, tighter set.</summary>
internal sealed record CardLimits(int Services, int Reasons, int Documents, int Tiers, int People, int Title, int Name, int Reason, int Note);
