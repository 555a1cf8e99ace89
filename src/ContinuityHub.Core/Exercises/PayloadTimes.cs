using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContinuityHub.Exercises;

/// <summary>
/// Moves every time in a vendor's sample payload by the same amount, so that the latest becomes a chosen moment and
/// the clocks read as they did when the sample was captured: ISO 8601 strings in each vendor's own shape
/// (<c>2026-11-24T09:58:12.4371245Z</c>, <c>…+0000</c>, <c>…+01:00</c>, ServiceNow's <c>2026-11-24 09:58:12</c>) and
/// epoch milliseconds (Opsgenie's and Jira's numbers), each written back in the shape it came in.
/// </summary>
public static partial class PayloadTimes
{
    /// <summary>Epoch milliseconds from 2000 to 2100: a number in this range is taken for a time, smaller ones (ids, counts) are not.</summary>
    private const long MinEpochMs = 946_684_800_000;
    private const long MaxEpochMs = 4_102_444_800_000;

    /// <summary>The payload with its latest time moved to <paramref name="at"/> and every other time by the same amount; unchanged when it holds no time.</summary>
    public static byte[] Rewrite(byte[] json, DateTimeOffset at)
    {
        var root = JsonNode.Parse(json);
        return Latest(root) is { } latest ? Shift(root!, at - latest) : json;
    }

    /// <summary>The payload with every time moved by <paramref name="delta"/>.</summary>
    public static byte[] Shift(JsonNode root, TimeSpan delta)
    {
        foreach (var value in Values(root).ToList())
        {
            if (Read(value) is not { } time)
            {
                continue;
            }

            var moved = time + delta;
            value.ReplaceWith(value.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? JsonValue.Create(moved.ToUnixTimeMilliseconds())
                : JsonValue.Create(Write(value.GetValue<string>(), moved)));
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>The latest time in the payload, or null.</summary>
    public static DateTimeOffset? Latest(JsonNode? root)
    {
        var times = Values(root).Select(Read).OfType<DateTimeOffset>().ToList();
        return times.Count == 0 ? null : times.Max();
    }

    internal static DateTimeOffset? Read(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.Number when value.TryGetValue<long>(out var ms) && ms is >= MinEpochMs and <= MaxEpochMs:
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            // Go's zero time (0001-01-01, Alertmanager's endsAt of a firing alert) stands for "no time": it stays.
            case System.Text.Json.JsonValueKind.String when IsoTime().Match(value.GetValue<string>()) is { Success: true } match
                && !match.Groups["date"].ValueSpan.StartsWith("0001-01-01", StringComparison.Ordinal):
                return Parse(match);
            default:
                return null;
        }
    }

    private static DateTimeOffset? Parse(Match match)
    {
        var text = match.Groups["date"].Value + "T" + match.Groups["time"].Value;
        if (!DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var fraction = match.Groups["frac"].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        return new DateTimeOffset(local.AddTicks(ticks), Offset(match.Groups["zone"].Value));
    }

    private static string Write(string original, DateTimeOffset moved)
    {
        var match = IsoTime().Match(original);
        var zone = match.Groups["zone"].Value;
        var at = moved.ToOffset(Offset(zone));
        var b = new StringBuilder();
        b.Append(at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(match.Groups["sep"].Value);
        b.Append(at.ToString(match.Groups["time"].Value.Length > 5 ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture));
        if (match.Groups["frac"].Value is { Length: > 0 } fraction)
        {
            var digits = (at.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).PadRight(fraction.Length, '0');
            b.Append('.').Append(digits[..fraction.Length]);
        }

        return b.Append(zone).ToString();
    }

    private static TimeSpan Offset(string zone)
    {
        if (zone.Length == 0 || zone == "Z")
        {
            return TimeSpan.Zero;
        }

        var digits = zone[1..].Replace(":", string.Empty, StringComparison.Ordinal);
        var offset = new TimeSpan(int.Parse(digits[..2], CultureInfo.InvariantCulture), int.Parse(digits[2..], CultureInfo.InvariantCulture), 0);
        return zone[0] == '-' ? -offset : offset;
    }

    private static IEnumerable<JsonValue> Values(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Values(p.Value)),
        JsonArray a => a.SelectMany(Values),
        JsonValue v => [v],
        _ => [],
    };

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})(?<sep>[T ])(?<time>\d{2}:\d{2}(?::\d{2})?)(?:\.(?<frac>\d{1,9}))?(?<zone>Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
