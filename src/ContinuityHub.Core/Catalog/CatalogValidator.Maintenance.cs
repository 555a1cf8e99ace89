using System.Globalization;
using System.Text.RegularExpressions;

namespace ContinuityHub.Catalog;

/// <summary>
/// The rules of maintenance windows: an id unique in the catalogue, known services, a reason and an approver, and
/// either a one-off span of at most 7 days or a weekly one on known days in a known time zone. No rule reads the clock:
/// a window in the past is history, not a mistake.
/// </summary>
public static partial class CatalogValidator
{
    private static readonly TimeSpan _maxMaintenanceWindow = TimeSpan.FromDays(7);

    private static void ValidateMaintenance(IReadOnlyList<MaintenanceWindow> windows, BusinessCalendar calendar, HashSet<string> serviceIds, CatalogLayout? layout, Action<string, string> problem)
    {
        string M(int i) => $"maintenance[{(layout is null ? i : layout.Maintenance[i])}]";

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            var path = M(i);
            if (!MaintenanceIdPattern().IsMatch(w.Id))
            {
                problem($"{path}.id", $"'{w.Id}' is not a valid maintenance window id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)");
            }
            else if (!first.TryAdd(w.Id, i))
            {
                problem($"{path}.id", $"duplicate id '{w.Id}' (also {M(first[w.Id])})");
            }

            CheckWindowServices(w.Services, $"{path}.services", serviceIds, problem);
            CheckRequired(w.Reason, $"{path}.reason", problem);
            CheckRequired(w.ApprovedBy, $"{path}.approvedBy", problem);

            var oneOff = w.Start is not null || w.End is not null;
            if (oneOff && w.Weekly is not null)
            {
                problem($"{path}.weekly", "give start and end (a one-off window) or weekly, not both");
            }
            else if (w.Weekly is { } weekly)
            {
                CheckWeekly(weekly, calendar, $"{path}.weekly", problem);
            }
            else if (!oneOff)
            {
                problem(path, "give start and end (a one-off window) or weekly (a weekly one)");
            }
            else
            {
                CheckOneOff(w, path, problem);
            }
        }
    }

    private static void CheckWindowServices(IReadOnlyList<string> services, string path, HashSet<string> serviceIds, Action<string, string> problem)
    {
        if (services.Count == 0)
        {
            problem(path, "must name at least one service");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < services.Count; j++)
        {
            if (!serviceIds.Contains(services[j]))
            {
                problem($"{path}[{j}]", $"unknown service '{services[j]}'");
            }
            else if (!seen.Add(services[j]))
            {
                problem($"{path}[{j}]", $"'{services[j]}' is listed twice");
            }
        }
    }

    private static void CheckOneOff(MaintenanceWindow w, string path, Action<string, string> problem)
    {
        if (w.Start is not { } start)
        {
            problem($"{path}.start", "is required with end (a one-off window)");
        }
        else if (w.End is not { } end)
        {
            problem($"{path}.end", "is required with start (a one-off window)");
        }
        else if (end <= start)
        {
            problem($"{path}.end", "must be after start");
        }
        else if (end - start > _maxMaintenanceWindow)
        {
            problem($"{path}.end", $"{Durations.Format(end - start)} after start: a window of more than 7 days is not maintenance");
        }
    }

    private static void CheckWeekly(WeeklyWindow weekly, BusinessCalendar calendar, string path, Action<string, string> problem)
    {
        if (weekly.Days.Count == 0 && !weekly.OnHolidays)
        {
            problem($"{path}.days", "must name at least one day");
        }

        CheckDays(weekly.Days, $"{path}.days", problem);
        if (weekly.OnHolidays && calendar.Holidays.Count == 0)
        {
            problem($"{path}.days", "names Holidays, but policy.calendar.holidays lists none");
        }

        CheckWholeMinutes(weekly.From, $"{path}.from", problem);
        CheckWholeMinutes(weekly.To, $"{path}.to", problem);
        if (weekly.From == weekly.To)
        {
            problem($"{path}.to", "is the same as from: a window needs some length (a 'to' before 'from' ends the next day)");
        }

        if (weekly.TimeZone is { } zone)
        {
            CheckTimeZone(zone, $"{path}.timeZone", problem);
        }
    }

    private static void CheckDays(IReadOnlyList<DayOfWeek> days, string path, Action<string, string> problem)
    {
        var seen = new HashSet<DayOfWeek>();
        for (var d = 0; d < days.Count; d++)
        {
            if (!Enum.IsDefined(days[d]))
            {
                problem($"{path}[{d}]", "unknown day (expected Monday..Sunday)");
            }
            else if (!seen.Add(days[d]))
            {
                problem($"{path}[{d}]", $"{days[d]} is listed twice");
            }
        }
    }

    /// <summary>The policy's calendar: a known zone, a working day's hours (not past midnight), each holiday once.</summary>
    private static void ValidateCalendar(BusinessCalendar calendar, Action<string, string> problem)
    {
        const string path = "policy.calendar";
        CheckTimeZone(calendar.TimeZone, $"{path}.timeZone", problem);
        if (calendar.WorkingHours is { } hours)
        {
            if (hours.Days.Count == 0)
            {
                problem($"{path}.workingHours.days", "must name at least one day");
            }

            CheckDays(hours.Days, $"{path}.workingHours.days", problem);
            CheckWholeMinutes(hours.From, $"{path}.workingHours.from", problem);
            CheckWholeMinutes(hours.To, $"{path}.workingHours.to", problem);
            if (hours.To <= hours.From)
            {
                problem($"{path}.workingHours.to", $"{hours.To.ToString("HH:mm", CultureInfo.InvariantCulture)} is not after from ({hours.From.ToString("HH:mm", CultureInfo.InvariantCulture)}): working hours end the day they start");
            }
        }

        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < calendar.Holidays.Count; i++)
        {
            if (!seen.Add(calendar.Holidays[i].Date))
            {
                problem($"{path}.holidays[{i}]", $"{calendar.Holidays[i].Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is listed twice");
            }
        }
    }

    private static void CheckWholeMinutes(TimeOnly time, string path, Action<string, string> problem)
    {
        if (time.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            problem(path, "must be whole minutes (HH:mm)");
        }
    }

    private static void CheckRequired(string value, string path, Action<string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problem(path, "is required");
        }
    }

    /// <summary>An IANA id the system knows (on Windows too, through ICU): <c>Europe/Stockholm</c>, <c>UTC</c>.</summary>
    private static void CheckTimeZone(string zone, string path, Action<string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(zone))
        {
            problem(path, "must not be empty (an IANA time zone id, e.g. Europe/Stockholm)");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            problem(path, $"'{zone}' is not a known time zone (expected an IANA id, e.g. Europe/Stockholm)");
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex MaintenanceIdPattern();
}
