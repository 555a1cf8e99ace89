using System.Globalization;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// The page's links and offsets: a link goes only to a file inside the output directory (a relative path of plain
/// segments, forward slashes, no <c>..</c>, no scheme or drive) or to an absolute http(s) URL; anything else is shown as
/// text, never as a link.
/// </summary>
internal static class DemoLinks
{
    /// <summary>The <c>href</c> for <paramref name="target"/> (not yet HTML-encoded), or null when it may not be linked.</summary>
    public static string? Href(string target)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && target.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            return uri.AbsoluteUri;
        }

        return Segments(target) is { } segments ? string.Join('/', segments.Select(Uri.EscapeDataString)) : null;
    }

    /// <summary>The full path of <paramref name="relativePath"/> in <paramref name="outputDirectory"/>, or null when it is not a plain relative path.</summary>
    public static string? InsideOutput(string outputDirectory, string relativePath) =>
        Segments(relativePath) is { } segments ? Path.Combine([outputDirectory, .. segments]) : null;

    /// <summary>From the run's start to <paramref name="at"/>: <c>+0 s</c>, <c>+45 s</c>, <c>+4 h 10 min</c>; before it, <c>-5 min</c>.</summary>
    public static string Offset(DateTimeOffset start, DateTimeOffset at)
    {
        var offset = at - start;
        return offset == TimeSpan.Zero ? "+0 s"
            : offset > TimeSpan.Zero ? "+" + HumanText.Duration(offset)
            : HumanText.Duration(offset);
    }

    /// <summary><paramref name="count"/> and the noun, plural unless one: <c>1 card</c>, <c>3 cards</c>.</summary>
    public static string Count(int count, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural)}");

    private static string[]? Segments(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal) || path.StartsWith('/'))
        {
            return null;
        }

        var segments = path.Split('/');
        return segments.All(s => s.Length > 0 && s is not "." and not ".." && !s.Any(char.IsControl)) ? segments : null;
    }
}
