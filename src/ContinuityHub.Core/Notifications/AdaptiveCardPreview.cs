using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

using static ContinuityHub.Notifications.CardMarkdownHtml;

namespace ContinuityHub.Notifications;

/// <summary>
/// Draws an Adaptive Card as one self-contained HTML page: the local Teams sink's preview and the e-mail fallback body.
/// Inline styles only (mail clients drop style sheets), no script, no external resource, a strict
/// Content-Security-Policy; every string from the card HTML-escaped and links only to absolute http(s) URLs.
/// </summary>
internal static class AdaptiveCardPreview
{
    private const string Font = "font-family:'Segoe UI',-apple-system,Helvetica,Arial,sans-serif";
    private const string Button = "display:inline-block;margin:4px 8px 4px 0;padding:6px 14px;border:1px solid #0f6cbd;border-radius:4px;font-weight:600;text-decoration:none;";

    /// <summary>Escapes the HTML-sensitive characters (and anything not safe in a page); letters of every script stay as they are.</summary>

    public static string Write(string? cardJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(cardJson ?? string.Empty, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return Unreadable();
        }

        using (document)
        {
            var card = document.RootElement;
            if (card.ValueKind != JsonValueKind.Object)
            {
                return Unreadable();
            }

            try
            {
                var body = new StringBuilder(8 * 1024);
                Card(body, card);
                return Page(Title(card), body.ToString());
            }
            catch (InvalidOperationException)
            {
                // A string with an escaped lone surrogate cannot be read as text.
                return Unreadable();
            }
        }
    }

    private static string Unreadable() => Page(
        "Card could not be read",
        $"<p style=\"margin:0;{Font};font-size:14px;color:#c50f1f;font-weight:600\">The card could not be read.</p>"
        + $"<p style=\"margin:8px 0 0;{Font};font-size:14px;color:#616161\">Its JSON is not a valid Adaptive Card. The alert itself is in the hub's incident history.</p>");

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="ContinuityHub">
        <title>{E(title)}</title>
        </head>
        <body style="margin:0;padding:16px;background:#f0f0f0;{Font};color:#242424">
        <div style="max-width:720px;margin:0 auto;padding:16px 20px;background:#ffffff;border:1px solid #d1d1d1;border-radius:6px">
        {body}
        </div>
        </body>
        </html>

        """;

    /// <summary>The first TextBlock's text, for the page title.</summary>
    private static string Title(JsonElement card)
    {
        if (Array(card, "body") is { } items)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (FirstText(item, 0) is { } text)
                {
                    return AdaptiveCardText.Plain(Unescape(text), 120);
                }
            }
        }

        return "Adaptive Card";
    }

    private static string? FirstText(JsonElement element, int depth)
    {
        if (depth > 8 || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (Str(element, "type") == "TextBlock" && Str(element, "text") is { Length: > 0 } text)
        {
            return text;
        }

        foreach (var children in new[] { Array(element, "items"), Array(element, "columns") })
        {
            if (children is { } list)
            {
                foreach (var child in list.EnumerateArray())
                {
                    if (FirstText(child, depth + 1) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }

    private static void Card(StringBuilder html, JsonElement card)
    {
        if (Array(card, "body") is { } body)
        {
            Elements(html, body);
        }

        if (Array(card, "actions") is { } actions)
        {
            Actions(html, actions);
        }
    }

    private static void Elements(StringBuilder html, JsonElement items)
    {
        var first = true;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Bool(item, "isVisible") == false)
            {
                continue;
            }

            Element(html, item, first);
            first = false;
        }
    }

    private static void Element(StringBuilder html, JsonElement item, bool first)
    {
        var top = first ? "0" : Spacing(Str(item, "spacing"));
        var separator = Bool(item, "separator") == true && !first ? "border-top:1px solid #e0e0e0;padding-top:8px;" : string.Empty;
        var box = $"margin:{top} 0 0;{separator}";
        switch (Str(item, "type"))
        {
            case "TextBlock":
                html.Append(CultureInfo.InvariantCulture, $"<p style=\"{box}{TextStyle(item)}\">").Append(Markdown(Str(item, "text"))).Append("</p>\n");
                break;
            case "RichTextBlock":
                RichText(html, item, box);
                break;
            case "FactSet":
                Facts(html, item, box);
                break;
            case "ColumnSet":
                Columns(html, item, box);
                break;
            case "Container":
                var background = Background(Str(item, "style"));
                var padding = background.Length > 0 ? "padding:10px 12px;border-radius:4px;" : string.Empty;
                Block(html, $"<div style=\"{box}{background}{padding}\">\n", Array(item, "items"), Elements, "</div>\n");
                break;
            case "ActionSet":
                Block(html, $"<div style=\"{box}\">\n", Array(item, "actions"), Buttons, "</div>\n");
                break;
            case "Image":
                // No external resources: the image is named, not loaded.
                var alt = Str(item, "altText");
                html.Append(CultureInfo.InvariantCulture, $"<p style=\"{box}{Font};font-size:12px;color:#616161\">[image{(string.IsNullOrEmpty(alt) ? string.Empty : ": " + Text(alt))}]</p>\n");
                break;
        }
    }

    private static void Block(StringBuilder html, string open, JsonElement? children, Action<StringBuilder, JsonElement> write, string close)
    {
        html.Append(open);
        if (children is { } items)
        {
            write(html, items);
        }

        html.Append(close);
    }

    private static void RichText(StringBuilder html, JsonElement item, string box)
    {
        html.Append(CultureInfo.InvariantCulture, $"<p style=\"{box}{Font};font-size:14px\">");
        foreach (var inline in Items(Array(item, "inlines")))
        {
            if (inline.ValueKind == JsonValueKind.String)
            {
                html.Append(Text(inline.GetString()));
            }
            else if (Str(inline, "text") is { } run)
            {
                html.Append(CultureInfo.InvariantCulture, $"<span style=\"{TextStyle(inline)}\">").Append(Text(run)).Append("</span>");
            }
        }

        html.Append("</p>\n");
    }

    private static void Facts(StringBuilder html, JsonElement item, string box)
    {
        html.Append(CultureInfo.InvariantCulture, $"<table role=\"presentation\" style=\"{box}border-collapse:collapse;{Font};font-size:14px\">\n");
        foreach (var fact in Items(Array(item, "facts")))
        {
            html.Append("<tr><th scope=\"row\" style=\"text-align:left;vertical-align:top;padding:2px 16px 2px 0;font-weight:600;white-space:nowrap\">")
                .Append(Markdown(Str(fact, "title")))
                .Append("</th><td style=\"vertical-align:top;padding:2px 0\">")
                .Append(Markdown(Str(fact, "value")))
                .Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Columns(StringBuilder html, JsonElement item, string box)
    {
        html.Append(CultureInfo.InvariantCulture, $"<table role=\"presentation\" style=\"{box}width:100%;border-collapse:collapse\"><tr>\n");
        foreach (var column in Items(Array(item, "columns")))
        {
            if (column.ValueKind == JsonValueKind.Object && Bool(column, "isVisible") != false)
            {
                Block(html, $"<td style=\"vertical-align:top;padding:0 12px 0 0;{Background(Str(column, "style"))}\">\n", Array(column, "items"), Elements, "</td>\n");
            }
        }

        html.Append("</tr></table>\n");
    }

    private static void Actions(StringBuilder html, JsonElement actions)
    {
        html.Append("<div style=\"margin:16px 0 0;padding-top:8px;border-top:1px solid #e0e0e0\">\n");
        Buttons(html, actions);
        html.Append("</div>\n");
    }

    private static void Buttons(StringBuilder html, JsonElement actions)
    {
        foreach (var action in actions.EnumerateArray())
        {
            if (action.ValueKind != JsonValueKind.Object || Bool(action, "isVisible") == false)
            {
                continue;
            }

            var title = Text(Str(action, "title") is { Length: > 0 } t ? t : "Open");
            var href = Str(action, "type") == "Action.OpenUrl" ? AdaptiveCardText.WebUrl(Str(action, "url")) : null;
            if (href is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<a href=\"{E(href)}\" style=\"{Button}background:#0f6cbd;color:#ffffff;{Font};font-size:14px\">{title}</a>\n");
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $"<span style=\"{Button}border-color:#d1d1d1;background:#f5f5f5;color:#616161;{Font};font-size:14px\">{title}</span>\n");
            }
        }
    }

    private static string TextStyle(JsonElement item)
    {
        var size = Str(item, "size") switch
        {
            "Small" or "small" => 12,
            "Medium" or "medium" => 16,
            "Large" or "large" => 20,
            "ExtraLarge" or "extraLarge" => 24,
            _ => 14,
        };
        var weight = Str(item, "weight") switch
        {
            "Bolder" or "bolder" => 600,
            "Lighter" or "lighter" => 300,
            _ => 400,
        };
        var color = (Str(item, "color") ?? "Default").ToUpperInvariant() switch
        {
            "ACCENT" => "#0f6cbd",
            "GOOD" => "#0e700e",
            "WARNING" => "#8a3707",
            "ATTENTION" => "#c50f1f",
            "LIGHT" => "#8a8a8a",
            _ => Bool(item, "isSubtle") == true ? "#616161" : "#242424",
        };
        var italic = Bool(item, "italic") == true ? "font-style:italic;" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{Font};font-size:{size}px;font-weight:{weight};color:{color};{italic}line-height:1.4;overflow-wrap:anywhere");
    }

    private static string Background(string? style) => (style ?? string.Empty).ToUpperInvariant() switch
    {
        "EMPHASIS" => "background:#f5f5f5;",
        "GOOD" => "background:#f1faf1;border-left:4px solid #0e700e;",
        "ATTENTION" => "background:#fdf3f4;border-left:4px solid #c50f1f;",
        "WARNING" => "background:#fff9f5;border-left:4px solid #da3b01;",
        "ACCENT" => "background:#ebf3fc;border-left:4px solid #0f6cbd;",
        _ => string.Empty,
    };

    private static string Spacing(string? spacing) => (spacing ?? string.Empty).ToUpperInvariant() switch
    {
        "NONE" => "0",
        "SMALL" => "4px",
        "MEDIUM" => "12px",
        "LARGE" => "16px",
        "EXTRALARGE" => "24px",
        "PADDING" => "12px",
        _ => "8px",
    };

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static JsonElement[] Items(JsonElement? array) => array is { } items ? [.. items.EnumerateArray()] : [];

    private static JsonElement? Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : null;
}
