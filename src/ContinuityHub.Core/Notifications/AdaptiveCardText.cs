using System.Globalization;
using System.Text;

namespace ContinuityHub.Notifications;

/// <summary>
/// Cleaning incident and catalogue strings for an Adaptive Card: control characters and bidirectional overrides
/// removed, one line, length capped; links only to absolute http(s) URLs. The text is then shown as a TextRun, which
/// no Teams client parses as markdown (see <see cref="AdaptiveCardElements.Rich"/>), so nothing is escaped.
/// </summary>
internal static class AdaptiveCardText
{
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
}
