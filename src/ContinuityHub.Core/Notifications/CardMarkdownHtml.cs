using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace ContinuityHub.Notifications;

/// <summary>The card's Markdown subset (bold, italics, links, escapes) as HTML for the preview and e-mails, every text encoded.</summary>
internal static class CardMarkdownHtml
{
    private static readonly HtmlEncoder _html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// TextBlock markdown, drawn as far as the hub's cards use it: backslash escapes and <c>[text](url)</c> links (a
    /// link only to an absolute http(s) URL); everything else as literal, escaped text.
    /// </summary>
    public static string Markdown(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var html = new StringBuilder(text.Length + 16);
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]) == false && text[i + 1] < 128 && !char.IsWhiteSpace(text[i + 1]))
            {
                literal.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '[' && TryLink(text, i, out var label, out var url, out var end))
            {
                html.Append(Text(literal.ToString()));
                literal.Clear();
                var href = AdaptiveCardText.WebUrl(url);
                html.Append(href is null
                    ? Text(Unescape(label))
                    : $"<a href=\"{E(href)}\" style=\"color:#0f6cbd\">{Text(Unescape(label))}</a>");
                i = end;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        html.Append(Text(literal.ToString()));
        return html.ToString();
    }

    /// <summary>A markdown link starting at <paramref name="start"/>: <c>[label](url)</c> with escaped brackets inside the label.</summary>
    private static bool TryLink(string text, int start, out string label, out string url, out int end)
    {
        label = url = string.Empty;
        end = start;
        var i = start + 1;
        while (i < text.Length && text[i] != ']')
        {
            i += text[i] == '\\' && i + 1 < text.Length ? 2 : 1;
        }

        if (i + 1 >= text.Length || text[i] != ']' || text[i + 1] != '(')
        {
            return false;
        }

        var close = text.IndexOf(')', i + 2);
        if (close < 0)
        {
            return false;
        }

        label = text[(start + 1)..i];
        url = text[(i + 2)..close];
        if (url.Any(char.IsWhiteSpace))
        {
            return false;
        }

        end = close + 1;
        return true;
    }

    /// <summary>Markdown backslash escapes removed.</summary>
    public static string Unescape(string text)
    {
        var b = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] < 128 && !char.IsAsciiLetterOrDigit(text[i + 1]) && !char.IsWhiteSpace(text[i + 1]))
            {
                i++;
            }

            b.Append(text[i]);
        }

        return b.ToString();
    }

    /// <summary>Text for the page: control characters removed (line breaks kept as breaks), HTML-escaped.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var b = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (b.Length > 0)
            {
                b.Append("<br>");
            }

            b.Append(E(AdaptiveCardText.StripControl(line)));
        }

        return b.ToString();
    }

    public static string E(string text) => _html.Encode(text);
}
