using System.Globalization;

namespace ContinuityHub.Reporting;

/// <summary>How the HTML report writes dates and counts for people: <c>25 Nov 2026</c>, <c>91%</c>, <c>3 plans</c> (durations and times: <see cref="HumanText"/>).</summary>
internal static class ReportFormat
{
    public static string Date(DateOnly value) => value.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? value) => value is { } v ? Date(v) : "–";

    public static string ShortDate(DateOnly value) => value.ToString("d MMM", CultureInfo.InvariantCulture);

    /// <summary>A whole percentage, rounded down so that anything short of all never reads 100%; a dash with nothing to count.</summary>
    public static string Percent(int numerator, int denominator) =>
        denominator == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{numerator * 100L / denominator}%");

    public static string Plural(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");
}
