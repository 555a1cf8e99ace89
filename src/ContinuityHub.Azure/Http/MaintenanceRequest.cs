using System.Globalization;
using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// The body of <c>POST /api/maintenance</c>: the catalogue YAML's keys as JSON. Only the shape is checked here (every
/// problem at once, by field name); what a window must be is the catalogue's validator's.
/// </summary>
internal static class MaintenanceRequest
{
    private static readonly string[] _keys = ["id", "services", "start", "end", "weekly", "reason", "approvedBy"];
    private static readonly string[] _weeklyKeys = ["days", "from", "to", "timeZone"];

    public static MaintenanceWindow Parse(JsonElement root)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string path, string message) => problems.Add(new ValidationProblem(path, message));

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new HubValidationException(string.Empty, "expected a JSON object, e.g. {\"id\": \"mw-db-patching\", \"services\": [\"payments-db\"], \"start\": \"…\", \"end\": \"…\", \"reason\": \"…\", \"approvedBy\": \"…\"}");
        }

        Unknown(root, string.Empty, _keys, Problem);
        var id = Text(root, "id", "id", required: true, Problem);
        var services = Strings(root, "services", "services", Problem) ?? [];
        var start = Timestamp(root, "start", Problem);
        var end = Timestamp(root, "end", Problem);
        var weekly = root.TryGetProperty("weekly", out var node) && node.ValueKind != JsonValueKind.Null ? Weekly(node, Problem) : null;
        var reason = Text(root, "reason", "reason", required: true, Problem);
        var approvedBy = Text(root, "approvedBy", "approvedBy", required: true, Problem);
        return problems.Count > 0
            ? throw new HubValidationException(problems)
            : new MaintenanceWindow(id!, services, start, end, weekly, reason!, approvedBy!);
    }

    private static WeeklyWindow? Weekly(JsonElement node, Action<string, string> problem)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            problem("weekly", "expected an object, e.g. {\"days\": [\"Sunday\"], \"from\": \"02:00\", \"to\": \"04:00\"}");
            return null;
        }

        Unknown(node, "weekly.", _weeklyKeys, problem);
        var names = Strings(node, "days", "weekly.days", problem);
        if (names is null && !node.TryGetProperty("days", out _))
        {
            problem("weekly.days", "is required: a list of day names, e.g. [\"Sunday\"] or [\"Sunday\", \"Holidays\"]");
        }

        List<DayOfWeek>? days = null;
        var holidays = false;
        if (names is not null && !CatalogYamlReader.TryParseWeeklyDays(names, out days, out holidays, out var bad))
        {
            problem($"weekly.days[{bad}]", CatalogYamlReader.UnknownWeeklyDay(names[bad]));
            days = null;
        }

        var from = TimeOfDay(node, "from", problem);
        var to = TimeOfDay(node, "to", problem);
        var zone = Text(node, "timeZone", "weekly.timeZone", required: false, problem);
        return days is null || from is null || to is null ? null : new WeeklyWindow(days, from.Value, to.Value, zone) { OnHolidays = holidays };
    }

    private static void Unknown(JsonElement map, string prefix, string[] keys, Action<string, string> problem)
    {
        foreach (var property in map.EnumerateObject().Where(p => !keys.Contains(p.Name, StringComparer.Ordinal)))
        {
            problem(prefix + property.Name, $"unknown field (expected {string.Join(", ", keys)})");
        }
    }

    private static string? Text(JsonElement map, string key, string path, bool required, Action<string, string> problem)
    {
        if (!map.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problem(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problem(path, $"expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }

        return value.GetString();
    }

    private static List<string>? Strings(JsonElement map, string key, string path, Action<string, string> problem)
    {
        if (!map.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            problem(path, "expected a list of strings");
            return null;
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static DateTimeOffset? Timestamp(JsonElement map, string key, Action<string, string> problem)
    {
        var text = Text(map, key, key, required: false, problem);
        if (text is null)
        {
            return null;
        }

        if (CatalogYamlReader.TryParseTimestamp(text, out var at))
        {
            return at;
        }

        problem(key, CatalogYamlReader.NotATimestamp(HumanText.Truncate(text, 60)));
        return null;
    }

    private static TimeOnly? TimeOfDay(JsonElement map, string key, Action<string, string> problem)
    {
        var path = "weekly." + key;
        var text = Text(map, key, path, required: true, problem);
        if (text is null)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value;
        }

        problem(path, $"'{HumanText.Truncate(text, 60)}' is not a time of day (expected HH:mm, e.g. 02:00)");
        return null;
    }
}
