using ContinuityHub.Catalog;

namespace ContinuityHub.Assessment;

/// <summary>One occurrence of a maintenance window: from when to when (UTC).</summary>
public sealed record MaintenanceOccurrence(MaintenanceWindow Window, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// When maintenance windows hold: a one-off window from its start (inclusive) to its end (exclusive); a weekly one on
/// its days, between its hours on the wall clock of its time zone (or the calendar's), so "Sundays 02:00–04:00
/// Europe/Stockholm" keeps its local hours across daylight-saving changes: on the night the clocks go forward the
/// hour that does not exist is skipped (03:00–04:00), on the night they go back the repeated hour counts twice. A
/// weekly window that names <c>Holidays</c> also begins on each of the calendar's holidays.
/// </summary>
public static class MaintenanceCalendar
{
    /// <summary>The occurrence of <paramref name="window"/> that holds at <paramref name="at"/>, or null.</summary>
    public static MaintenanceOccurrence? At(MaintenanceWindow window, BusinessCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(calendar);
        if (window.Weekly is not { } weekly)
        {
            return window is { Start: { } start, End: { } end } && at >= start && at < end ? new MaintenanceOccurrence(window, start.ToUniversalTime(), end.ToUniversalTime()) : null;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(weekly.TimeZone ?? calendar.TimeZone, out var zone))
        {
            return null;
        }

        // The local day of `at` and the day before (a window past midnight began then).
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var today = DateOnly.FromDateTime(local.DateTime);
        var overnight = weekly.To <= weekly.From;
        foreach (var day in new[] { today, today.AddDays(-1) })
        {
            if (!Recurs(weekly, calendar, day))
            {
                continue;
            }

            var holds = day == today
                ? time >= weekly.From && (overnight || time < weekly.To)
                : overnight && time < weekly.To;
            if (holds)
            {
                var endDay = overnight ? day.AddDays(1) : day;
                return new MaintenanceOccurrence(window, Utc(day, weekly.From, zone), Utc(endDay, weekly.To, zone));
            }
        }

        return null;
    }

    /// <summary>The occurrences of <paramref name="window"/> that start in [<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    public static IEnumerable<MaintenanceOccurrence> Starting(MaintenanceWindow window, BusinessCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(calendar);
        if (window.Weekly is not { } weekly)
        {
            if (window is { Start: { } start, End: { } end } && start >= from && start <= to)
            {
                yield return new MaintenanceOccurrence(window, start.ToUniversalTime(), end.ToUniversalTime());
            }

            yield break;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(weekly.TimeZone ?? calendar.TimeZone, out var zone))
        {
            yield break;
        }

        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!Recurs(weekly, calendar, day))
            {
                continue;
            }

            var start = Utc(day, weekly.From, zone);
            if (start >= from && start <= to)
            {
                yield return new MaintenanceOccurrence(window, start, Utc(weekly.To <= weekly.From ? day.AddDays(1) : day, weekly.To, zone));
            }
        }
    }

    /// <summary>The first window over <paramref name="serviceId"/> that holds at <paramref name="at"/>, or null.</summary>
    public static MaintenanceOccurrence? For(IEnumerable<MaintenanceWindow> windows, string serviceId, BusinessCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return windows.Where(w => w.Services.Contains(serviceId, StringComparer.Ordinal))
            .Select(w => At(w, calendar, at))
            .FirstOrDefault(o => o is not null);
    }

    /// <summary>
    /// Whether <paramref name="occurrence"/> overlaps the calendar's working hours (on a working day that is not a
    /// holiday); false when the calendar declares none.
    /// </summary>
    public static bool DuringWorkingHours(MaintenanceOccurrence occurrence, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        ArgumentNullException.ThrowIfNull(calendar);
        if (calendar.WorkingHours is not { } hours || !TimeZoneInfo.TryFindSystemTimeZoneById(calendar.TimeZone, out var zone))
        {
            return false;
        }

        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrence.Start, zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrence.End, zone).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (hours.Days.Contains(day.DayOfWeek) && !calendar.IsHoliday(day)
                && occurrence.Start < Utc(day, hours.To, zone) && Utc(day, hours.From, zone) < occurrence.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a weekly window begins on <paramref name="day"/>: one of its days, or a holiday when it holds on them.</summary>
    private static bool Recurs(WeeklyWindow weekly, BusinessCalendar calendar, DateOnly day) =>
        weekly.Days.Contains(day.DayOfWeek) || (weekly.OnHolidays && calendar.IsHoliday(day));

    /// <summary>A wall-clock time of a day in a zone as UTC; a time the clocks skipped is taken as the first instant after the gap.</summary>
    private static DateTimeOffset Utc(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous time (the hour repeated when the clocks go back) is taken at its first occurrence.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
