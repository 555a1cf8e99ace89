using System.Globalization;
using System.Text;

namespace ContinuityHub.Reporting;

/// <summary>How the HTML report writes figures for people: <c>1h 55m</c>, <c>25 Nov 2026</c>, <c>91%</c>.</summary>
internal static class ReportFormat
{
    /// <summary>The two largest units: <c>2d 4h</c>, <c>1h 55m</c>, <c>45m</c>, <c>30s</c>; zero is <c>0m</c>.</summary>
    public static string Human(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Human(value.Duration());
        }

        // The first unit that is not zero, and the next one when it is not zero either.
        ReadOnlySpan<long> amounts = [(long)value.TotalDays, value.Hours, value.Minutes, value < TimeSpan.FromMinutes(1) ? value.Seconds : 0];
        ReadOnlySpan<char> units = ['d', 'h', 'm', 's'];
        for (var i = 0; i < amounts.Length; i++)
        {
            if (amounts[i] == 0)
            {
                continue;
            }

            var first = string.Create(CultureInfo.InvariantCulture, $"{amounts[i]}{units[i]}");
            return i + 1 < amounts.Length && amounts[i + 1] != 0
                ? string.Create(CultureInfo.InvariantCulture, $"{first} {amounts[i + 1]}{units[i + 1]}")
                : first;
        }

        return "0m";
    }

    public static string Human(TimeSpan? value) => value is { } v ? Human(v) : "–";

    public static string Date(DateOnly value) => value.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? value) => value is { } v ? Date(v) : "–";

    public static string ShortDate(DateOnly value) => value.ToString("d MMM", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) => value is { } v ? Time(v) : "–";

    /// <summary>A whole percentage, rounded down so that anything short of all never reads 100%; a dash with nothing to count.</summary>
    public static string Percent(int numerator, int denominator) =>
        denominator == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{numerator * 100L / denominator}%");

    /// <summary>Cuts to at most <paramref name="max"/> characters with an ellipsis, never splitting a surrogate pair.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return new StringBuilder(cut + 1).Append(text, 0, cut).Append('…').ToString();
    }

    public static string Plural(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");
}
