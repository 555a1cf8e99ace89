using System.Globalization;

namespace ContinuityHub;

/// <summary>
/// Durations as a continuity manager writes them: a whole number and a unit, <c>30s</c>, <c>90m</c>, <c>4h</c>, <c>2d</c>.
/// </summary>
public static class Durations
{
    public const string Expected = "expected a duration like 30s, 90m, 4h or 2d";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var unit = char.ToLowerInvariant(s[^1]);
        var digits = s[..^1];
        if (digits.Length == 0 || digits.Length > 9 || !digits.All(char.IsAsciiDigit)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        long? unitTicks = unit switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            _ => null,
        };

        // More than a TimeSpan holds (999999999d) is not a duration either.
        if (unitTicks is not { } ticks || n > TimeSpan.MaxValue.Ticks / ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks(n * ticks);
        return true;
    }

    /// <summary>The shortest exact form: <c>2d</c> rather than <c>48h</c>, <c>90m</c> rather than <c>1.5h</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0m";
        }

        var sign = value < TimeSpan.Zero ? "-" : string.Empty;
        var v = value.Duration();
        if (v.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{v.Ticks / TimeSpan.TicksPerDay}d");
        }

        if (v.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{v.Ticks / TimeSpan.TicksPerHour}h");
        }

        if (v.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{v.Ticks / TimeSpan.TicksPerMinute}m");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{sign}{(long)v.TotalSeconds}s");
    }
}
