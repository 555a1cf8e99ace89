using System.Globalization;
using System.Text;

namespace ContinuityHub.Notifications;

/// <summary>
/// Making incident and catalogue strings inert in an Adaptive Card: control characters removed, length capped,
/// markdown and the <c>{{DATE(…)}}</c>/<c>{{TIME(…)}}</c> functions neutralised; links only to absolute http(s) URLs.
/// </summary>
internal static class AdaptiveCardText
{
    /// <summary>The characters a TextBlock's markdown gives a meaning to, escaped with a backslash wherever they are.</summary>
    private const string MarkdownSpecials = "\\*_[]()#>~`<!|{}";

    /// <summary>What Teams' renderer puts between two braces so that <c>{{</c> never starts a function.</summary>
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>
    /// The text on one line: control characters (and bidirectional overrides) removed, line breaks and tabs turned
    /// into spaces, runs of white space collapsed, trimmed and cut at <paramref name="max"/> characters with an ellipsis.
    /// </summary>
    public static string Plain(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var b = new StringBuilder(Math.Min(text.Length, max + 1));
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' or '\u2028' or '\u2029' || char.IsWhiteSpace(c))
            {
                space = b.Length > 0;
                continue;
            }

            if (char.IsControl(c) || IsBidiControl(c))
            {
                continue;
            }

            if (char.IsSurrogate(c))
            {
                // Keep whole pairs only: a lone surrogate is not text and breaks UTF-8.
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    if (space)
                    {
                        b.Append(' ');
                        space = false;
                    }

                    b.Append(c).Append(text[i + 1]);
                    i++;
                }

                continue;
            }

            if (space)
            {
                b.Append(' ');
                space = false;
            }

            b.Append(c);
            if (b.Length > max)
            {
                break;
            }
        }

        return HumanText.Truncate(b.ToString(), max);
    }

    /// <summary>The text with control characters, bidirectional overrides and lone surrogates removed; spacing kept.</summary>
    public static string StripControl(string text)
    {
        var b = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b.Append(c).Append(text[++i]);
            }
            else if (!char.IsControl(c) && !IsBidiControl(c) && !char.IsSurrogate(c))
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    /// <summary>
    /// <see cref="Plain"/> text made inert for a TextBlock or FactSet (markdown): every markdown character escaped, a
    /// leading list or heading marker escaped, and no two braces side by side.
    /// </summary>
    public static string Markdown(string? text, int max) => EscapeMarkdown(Plain(text, max));

    /// <summary>Already plain text (one line, no control characters) made inert for markdown.</summary>
    public static string EscapeMarkdown(string plain)
    {
        var b = new StringBuilder(plain.Length + 8);
        for (var i = 0; i < plain.Length; i++)
        {
            var c = plain[i];
            if (MarkdownSpecials.Contains(c, StringComparison.Ordinal))
            {
                b.Append('\\');
            }
            else if (i == 0 && c is '-' or '+' or '=')
            {
                // A list item (- or +) or a setext underline (=) only at the start of a line.
                b.Append('\\');
            }
            else if (c is '.' && IsLeadingNumber(plain, i))
            {
                // "1. " starts an ordered list: "1\. " does not.
                b.Append('\\');
            }

            b.Append(c);
            if (c is '{' or '}' && i + 1 < plain.Length && plain[i + 1] == c)
            {
                b.Append(ZeroWidthSpace);
            }
        }

        return b.ToString();
    }

    /// <summary>A markdown link to <paramref name="url"/> when it is an absolute http(s) URL; the escaped text alone otherwise.</summary>
    public static string MarkdownLink(string text, Uri? url)
    {
        var label = EscapeMarkdown(text);
        return WebUrl(url) is { } href ? $"[{label}]({href})" : label;
    }

    /// <summary>
    /// The URL as it can go into a link or an action: absolute, http or https, at most 2,048 characters, with the
    /// characters that could end a markdown link target percent-encoded. Null for anything else.
    /// </summary>
    public static string? WebUrl(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(url.Host))
        {
            return null;
        }

        var absolute = url.AbsoluteUri;
        var b = new StringBuilder(absolute.Length + 8);
        foreach (var c in absolute)
        {
            if (c is '(' or ')' or '<' or '>' or ' ' or '"' or '\'' or '\\' or '`' or '{' or '}' or '|' or '[' or ']' or '^' || char.IsControl(c))
            {
                b.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.Length <= 2048 ? b.ToString() : null;
    }

    /// <summary><see cref="WebUrl(Uri?)"/> for a URL given as text.</summary>
    public static string? WebUrl(string? url) =>
        url is not null && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) ? WebUrl(parsed) : null;

    private static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    private static bool IsLeadingNumber(string text, int dot)
    {
        if (dot == 0)
        {
            return false;
        }

        for (var i = 0; i < dot; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
