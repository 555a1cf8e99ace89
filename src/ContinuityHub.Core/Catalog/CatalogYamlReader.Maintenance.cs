using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>The catalogue's <c>maintenance</c>: planned work on some services, one-off or weekly.</summary>
public static partial class CatalogYamlReader
{
    private static readonly string[] _maintenanceKeys = ["id", "services", "start", "end", "weekly", "reason", "approvedBy"];
    private static readonly string[] _weeklyKeys = ["days", "from", "to", "timeZone"];
    private static readonly string[] _workingHoursKeys = ["days", "from", "to"];
    private static readonly string[] _holidayKeys = ["date", "name"];

    private const string TimestampExpected = "expected ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00";

    private sealed partial class Reader
    {
        /// <summary>
        /// One window; whether it is one-off or weekly, and the rules across keys (start before end, days once each),
        /// are the validator's.
        /// </summary>
        private (MaintenanceWindow?, string?) ReadMaintenanceWindow(YamlNode node, string path)
        {
            var map = Mapping(node, path, _maintenanceKeys);
            if (map is null)
            {
                return (null, null);
            }

            var before = Problems.Count;
            var id = Scalar(map, "id", path, required: true);
            var services = StringList(map, "services", path) ?? [];
            var start = Timestamp(map, "start", path);
            var end = Timestamp(map, "end", path);
            var weekly = map.TryGetValue("weekly", out var weeklyNode) && !IsNull(weeklyNode) ? ReadWeekly(weeklyNode, Join(path, "weekly")) : null;
            var reason = Scalar(map, "reason", path, required: true);
            var approvedBy = Scalar(map, "approvedBy", path, required: true);
            return id is null || reason is null || approvedBy is null || Problems.Count > before
                ? (null, id)
                : (new MaintenanceWindow(id, services, start, end, weekly, reason, approvedBy), id);
        }

        private WeeklyWindow? ReadWeekly(YamlNode node, string path)
        {
            var map = Mapping(node, path, _weeklyKeys);
            if (map is null)
            {
                return null;
            }

            var days = WeeklyDays(map, path);
            var from = TimeOfDay(map, "from", path);
            var to = TimeOfDay(map, "to", path);
            var zone = Scalar(map, "timeZone", path, required: false);
            return days is not var (list, holidays) || from is null || to is null ? null : new WeeklyWindow(list, from.Value, to.Value, zone) { OnHolidays = holidays };
        }

        /// <summary>A weekly window's <c>days</c>: day names, and <c>Holidays</c> for the calendar's holidays.</summary>
        private (List<DayOfWeek> Days, bool Holidays)? WeeklyDays(Dictionary<string, YamlNode> map, string path)
        {
            if (StringList(map, "days", path) is not { } names)
            {
                if (!map.TryGetValue("days", out var daysNode) || IsNull(daysNode))
                {
                    Problem($"{path}.days", "is required: a list of day names, e.g. [Sunday] or [Sunday, Holidays]");
                }

                return null;
            }

            if (TryParseWeeklyDays(names, out var days, out var holidays, out var bad))
            {
                return (days, holidays);
            }

            Problem($"{path}.days[{bad}]", UnknownWeeklyDay(names[bad]));
            return null;
        }

        /// <summary><c>{days: [Mon, Tue, Wed, Thu, Fri], from: "08:00", to: "17:00"}</c>: a day's hours, not past midnight.</summary>
        private WorkingHours? ReadWorkingHours(YamlNode node, string path)
        {
            var map = Mapping(node, path, _workingHoursKeys);
            if (map is null)
            {
                return null;
            }

            List<DayOfWeek>? days = null;
            if (StringList(map, "days", path) is { } names)
            {
                days = [];
                for (var i = 0; i < names.Count && days is not null; i++)
                {
                    if (TryParseDay(names[i], out var day))
                    {
                        days.Add(day);
                    }
                    else
                    {
                        Problem($"{path}.days[{i}]", $"unknown day '{names[i]}' (expected Monday..Sunday, or Mon..Sun)");
                        days = null;
                    }
                }
            }
            else if (!map.TryGetValue("days", out var daysNode) || IsNull(daysNode))
            {
                Problem($"{path}.days", "is required: a list of day names, e.g. [Mon, Tue, Wed, Thu, Fri]");
            }

            var from = TimeOfDay(map, "from", path);
            var to = TimeOfDay(map, "to", path);
            return days is null || from is null || to is null ? null : new WorkingHours(days, from.Value, to.Value);
        }

        /// <summary><c>[2026-12-25, {date: 2026-12-26, name: Boxing Day}]</c>.</summary>
        private List<Holiday> ReadHolidays(YamlNode node, string path)
        {
            var holidays = new List<Holiday>();
            if (node is not YamlSequenceNode sequence)
            {
                Problem(path, "expected a list of dates (yyyy-MM-dd), or of {date, name}");
                return holidays;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var at = $"{path}[{i}]";
                var item = sequence.Children[i];
                if (item is YamlScalarNode { Value: { } text })
                {
                    if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        holidays.Add(new Holiday(date, null));
                    }
                    else
                    {
                        Problem(at, $"'{text}' is not a date (expected yyyy-MM-dd, e.g. 2026-12-25)");
                    }

                    continue;
                }

                var map = Mapping(item, at, _holidayKeys);
                if (map is not null && Date(map, "date", at, required: true) is { } day)
                {
                    holidays.Add(new Holiday(day, Scalar(map, "name", at, required: false)));
                }
            }

            return holidays;
        }

        /// <summary>An ISO 8601 date and time that names its offset (<c>Z</c> or <c>+01:00</c>): a wall clock alone is ambiguous.</summary>
        private DateTimeOffset? Timestamp(Dictionary<string, YamlNode> map, string key, string path)
        {
            var text = Scalar(map, key, path, required: false);
            if (text is null)
            {
                return null;
            }

            if (TryParseTimestamp(text, out var value))
            {
                return value;
            }

            Problem(Join(path, key), NotATimestamp(text));
            return null;
        }

        private TimeOnly? TimeOfDay(Dictionary<string, YamlNode> map, string key, string path)
        {
            var text = Scalar(map, key, path, required: true);
            if (text is null)
            {
                return null;
            }

            if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not a time of day (expected HH:mm, e.g. 02:00)");
            return null;
        }
    }

    /// <summary>English day names, case-insensitive, in full or their first three letters.</summary>
    public static bool TryParseDay(string text, out DayOfWeek day)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var candidate in System.Enum.GetValues<DayOfWeek>())
        {
            var name = candidate.ToString();
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase) || string.Equals(text, name[..3], StringComparison.OrdinalIgnoreCase))
            {
                day = candidate;
                return true;
            }
        }

        day = default;
        return false;
    }

    /// <summary>
    /// A weekly window's day names (<see cref="TryParseDay"/>), and <c>Holidays</c> (or <c>Holiday</c>) for the
    /// calendar's holidays; false with the index of the first name that is neither.
    /// </summary>
    public static bool TryParseWeeklyDays(IReadOnlyList<string> names, out List<DayOfWeek> days, out bool holidays, out int bad)
    {
        ArgumentNullException.ThrowIfNull(names);
        days = [];
        holidays = false;
        for (bad = 0; bad < names.Count; bad++)
        {
            if (string.Equals(names[bad], WeeklyWindow.HolidaysDay, StringComparison.OrdinalIgnoreCase) || string.Equals(names[bad], "Holiday", StringComparison.OrdinalIgnoreCase))
            {
                holidays = true;
            }
            else if (TryParseDay(names[bad], out var day))
            {
                days.Add(day);
            }
            else
            {
                return false;
            }
        }

        bad = -1;
        return true;
    }

    /// <summary>The problem of a name <see cref="TryParseWeeklyDays"/> refused.</summary>
    public static string UnknownWeeklyDay(string name) => $"unknown day '{name}' (expected Monday..Sunday, Mon..Sun, or Holidays)";

    /// <summary>An ISO 8601 date and time that names its offset (<c>Z</c> or <c>+01:00</c>), kept at that offset.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        return TimestampPattern().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>What <see cref="TryParseTimestamp"/> refused, as the catalogue says it.</summary>
    public static string NotATimestamp(string text) => $"'{text}' is not a date and time with an offset ({TimestampExpected})";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:\d\d)\z")]
    private static partial Regex TimestampPattern();
}
