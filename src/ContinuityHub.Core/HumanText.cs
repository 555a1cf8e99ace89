using System.Globalization;

namespace ContinuityHub;

/// <summary>
/// Figures written for people, the same in cards, previews, e-mails, reasons and the report: durations in their two
/// largest units (<c>8 d 21 h</c>, <c>1 h 20 min</c>, <c>45 min</c>, <c>30 s</c>), times in UTC
/// (<c>3 Dec 2026 11:25 UTC</c>), and text cut to a length without splitting a surrogate pair.
/// Settings and the catalogue keep their own compact form (<see cref="Durations"/>: <c>90m</c>, <c>2d</c>).
/// </summary>
public static class HumanText
{
    private static readonly string[] Units = ["d", "h", "min", "s"];

    /// <summary>The two largest units that are not zero: <c>8 d 21 h</c>, <c>1 h 20 min</c>, <c>2 d</c>; zero is <c>0 min</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Duration(value.Duration());
        }

        // Seconds only count under a minute: "1 h 20 min", never "1 h 20 min 5 s".
        ReadOnlySpan<long> amounts = [(long)value.TotalDays, value.Hours, value.Minutes, value < TimeSpan.FromMinutes(1) ? value.Seconds : 0];
        for (var i = 0; i < amounts.Length; i++)
        {
            if (amounts[i] == 0)
            {
                continue;
            }

            var first = string.Create(CultureInfo.InvariantCulture, $"{amounts[i]} {Units[i]}");
            return i + 1 < amounts.Length && amounts[i + 1] != 0
                ? string.Create(CultureInfo.InvariantCulture, $"{first} {amounts[i + 1]} {Units[i + 1]}")
                : first;
        }

        return "0 min";
    }

    /// <summary><see cref="Duration(TimeSpan)"/>, or a dash for nothing.</summary>
    public static string Duration(TimeSpan? value) => value is { } v ? Duration(v) : "–";

    /// <summary>A moment in UTC, to the minute: <c>3 Dec 2026 11:25 UTC</c>.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary><see cref="Time(DateTimeOffset)"/>, or a dash for nothing.</summary>
    public static string Time(DateTimeOffset? value) => value is { } v ? Time(v) : "–";

    /// <summary>
    /// Cuts to at most <paramref name="max"/> characters, the last an ellipsis, never splitting a surrogate pair and
    /// never leaving a space before the ellipsis (<c>Core ledger…</c>, not <c>Core ledger …</c>).
    /// </summary>
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }
}
