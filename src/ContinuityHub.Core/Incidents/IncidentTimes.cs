using System.Globalization;

namespace ContinuityHub.Incidents;

/// <summary>
/// The times an incident may carry (its start, its estimated restore): from <see cref="Earliest"/> up to, not
/// including, <see cref="End"/>. Every time a parser reads is checked against them, and the incident store checks
/// again before it writes, so an out-of-range time is a problem with the payload and never a failure of the store.
/// </summary>
public static class IncidentTimes
{
    /// <summary>1601-01-01T00:00:00Z: Azure Table Storage keeps no earlier DateTime (Azurite does, so tests check the bound in code).</summary>
    public static readonly DateTimeOffset Earliest = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 9000-01-01T00:00:00Z. Table Storage keeps times to 9999-12-31, but the hub adds durations to an incident's
    /// start (RTO, MTPD, alert thresholds, reminders) and DateTimeOffset overflows past 9999: ending the range a
    /// thousand years early leaves room for any duration a continuity plan uses, so the sums never overflow.
    /// </summary>
    public static readonly DateTimeOffset End = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The range as a problem message says it.</summary>
    public const string Range = "1601 to 8999";

    public static bool Contains(DateTimeOffset time) => time >= Earliest && time < End;

    /// <summary>The hub keeps incident times to the second (Azure Monitor sends seven fraction digits), in UTC.</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerSecond));
    }

    /// <summary>The problem message for a time outside the range: <c>0001-01-01T00:00:00Z is outside the times the hub can keep (1601 to 8999)</c>.</summary>
    public static string Outside(DateTimeOffset time) =>
        Outside(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>The same, with the time as the sender wrote it.</summary>
    public static string Outside(string time) => $"{time} is outside the times the hub can keep ({Range})";
}
