using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>Reading times: ISO 8601 and epoch milliseconds, each held to the times the hub can keep (<see cref="IncidentTimes"/>).</summary>
internal sealed partial class PayloadReader
{
    /// <summary>
    /// An ISO 8601 time with an offset (<c>Z</c>, <c>+01:00</c> or <c>+0100</c>), in the range the hub keeps
    /// (<see cref="IncidentTimes"/>). With <paramref name="utcWithoutOffset"/>, a time without an offset is UTC (for
    /// sources that define their times so), else it is a problem.
    /// </summary>
    public DateTimeOffset? Timestamp(PayloadObject parent, string name, bool required = false, bool utcWithoutOffset = false)
    {
        var text = String(parent, name, required);
        return text is null ? null : Timestamp(text, parent.PathOf(name), utcWithoutOffset);
    }

    public DateTimeOffset? Timestamp(string text, string path, bool utcWithoutOffset = false)
    {
        var m = Iso8601().Match(text);
        var hasOffset = m.Groups["z"].Success || m.Groups["oh"].Success;
        if (m.Success && (hasOffset || utcWithoutOffset))
        {
            // Normalise to one exact shape: seconds present, seven fraction digits, offset with a colon.
            var seconds = m.Groups["s"].Success ? m.Groups["s"].Value : "00";
            var fraction = (m.Groups["f"].Value + "0000000")[..7];
            var offset = m.Groups["oh"].Success ? $"{m.Groups["oh"].Value}:{m.Groups["om"].Value}" : "+00:00";
            var local = $"{m.Groups["d"].Value}T{m.Groups["hm"].Value}:{seconds}.{fraction}";
            if (DateTimeOffset.TryParseExact(local + offset, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return Keepable(time.ToUniversalTime(), path, text);
            }

            // A real date and time whose offset takes it past 0001 or 9999 in UTC.
            if (DateTime.TryParseExact(local, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                Problem(path, IncidentTimes.Outside(HumanText.Truncate(text, QuoteLimit + 1)));
                return null;
            }
        }

        Problem(path, $"expected an ISO 8601 time{(utcWithoutOffset ? string.Empty : " with an offset")}, like 2026-11-24T09:58:12Z, got {Quote(text)}");
        return null;
    }

    /// <summary>A time as milliseconds since the Unix epoch (a JSON integer), in the range the hub keeps.</summary>
    public DateTimeOffset? EpochMilliseconds(PayloadObject parent, string name, bool required = false)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required, out var value))
        {
            return null;
        }

        // A number past any DateTimeOffset is most likely in another unit (seconds, microseconds), not a far-off time.
        if (value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt64(out var ms)
            || ms < DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            Problem(path, "expected epoch milliseconds");
            return null;
        }

        return Keepable(DateTimeOffset.FromUnixTimeMilliseconds(ms), path);
    }

    /// <summary>
    /// The one check of every time a parser reads: <paramref name="time"/> when the hub can keep it
    /// (<see cref="IncidentTimes"/>), else null and a problem at <paramref name="path"/> naming it as sent
    /// (<paramref name="sent"/>) or in UTC.
    /// </summary>
    public DateTimeOffset? Keepable(DateTimeOffset time, string path, string? sent = null)
    {
        if (IncidentTimes.Contains(time))
        {
            return time;
        }

        Problem(path, sent is null ? IncidentTimes.Outside(time) : IncidentTimes.Outside(HumanText.Truncate(sent, QuoteLimit + 1)));
        return null;
    }

    /// <summary>The hub keeps incident times to the second (<see cref="IncidentTimes.WholeSeconds"/>).</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset value) => IncidentTimes.WholeSeconds(value);

    [GeneratedRegex(@"^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?<hm>[0-9]{2}:[0-9]{2})(?::(?<s>[0-9]{2})(?:\.(?<f>[0-9]+))?)?(?:(?<z>[Zz])|(?<oh>[+-][0-9]{2}):?(?<om>[0-9]{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
