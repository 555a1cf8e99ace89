using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>
/// The catalogue's <c>policy</c>: thresholds (the RPO warning's among them), how each source's priorities and major
/// markers are read, the ServiceNow fields the write-back sets, and the business calendar.
/// </summary>
public static partial class CatalogYamlReader
{
    private static readonly string[] _policyKeys = ["alertFraction", "assessPriorities", "reassessEvery", "biaReviewInterval", "priorities", "majorMarkers", "serviceNowFields", "rpoWarnFraction", "calendar", "postIncidentReviewDue"];
    private static readonly string[] _calendarKeys = ["timeZone", "workingHours", "holidays"];

    private const string PriorityExpected = "expected one of P1, P2, P3, P4, P5";

    private sealed partial class Reader
    {
        private Policy? ReadPolicy(YamlNode node, string path)
        {
            var map = Mapping(node, path, _policyKeys);
            if (map is null)
            {
                return null;
            }

            var d = Policy.Default;
            var fraction = Fraction(map, "alertFraction", path, d.AlertFraction);

            var priorities = d.AssessPriorities;
            if (StringList(map, "assessPriorities", path) is { } names)
            {
                var parsed = new List<Priority>();
                for (var i = 0; i < names.Count; i++)
                {
                    if (TryParsePriority(names[i], out var p))
                    {
                        parsed.Add(p);
                    }
                    else
                    {
                        Problem($"{path}.assessPriorities[{i}]", $"unknown priority '{names[i]}' ({PriorityExpected})");
                    }
                }

                priorities = parsed;
            }

            var reassess = Duration(map, "reassessEvery", path, required: false) ?? d.ReassessEvery;
            var bia = Duration(map, "biaReviewInterval", path, required: false) ?? d.BiaReviewInterval;
            return new Policy(fraction, priorities, reassess, bia)
            {
                Priorities = PerSource<IReadOnlyDictionary<string, Priority>>(map, "priorities", path, "a mapping of the source's priority names to P1..P5, e.g. jira: {Blocker: P1, Major: P2}", PriorityNames),
                MajorMarkers = PerSource<IReadOnlyList<string>>(map, "majorMarkers", path, "a list of tags, labels or types, e.g. opsgenie: [major-incident]", StringListNode),
                ServiceNowFields = ServiceNowFields(map, path),
                RpoWarnFraction = Fraction(map, "rpoWarnFraction", path, Policy.DefaultRpoWarnFraction),
                PostIncidentReviewDue = Duration(map, "postIncidentReviewDue", path, required: false) ?? Policy.DefaultPostIncidentReviewDue,
                Calendar = Calendar(map, path),
            };
        }

        /// <summary>
        /// <c>calendar: {timeZone: Europe/Stockholm, workingHours: {…}, holidays: […]}</c>; UTC, no working hours and
        /// no holidays when absent (whether the zone is known is the validator's).
        /// </summary>
        private BusinessCalendar Calendar(Dictionary<string, YamlNode> policy, string path)
        {
            if (!policy.TryGetValue("calendar", out var node) || IsNull(node))
            {
                return BusinessCalendar.Default;
            }

            path = Join(path, "calendar");
            var map = Mapping(node, path, _calendarKeys);
            if (map is null)
            {
                return BusinessCalendar.Default;
            }

            return new BusinessCalendar(Scalar(map, "timeZone", path, required: false) ?? BusinessCalendar.Default.TimeZone)
            {
                WorkingHours = map.TryGetValue("workingHours", out var hours) && !IsNull(hours) ? ReadWorkingHours(hours, Join(path, "workingHours")) : null,
                Holidays = map.TryGetValue("holidays", out var holidays) && !IsNull(holidays) ? ReadHolidays(holidays, Join(path, "holidays")) : [],
            };
        }

        /// <summary>A number (its range is the validator's); <paramref name="fallback"/> when absent, or unreadable and named as a problem.</summary>
        private double Fraction(Dictionary<string, YamlNode> map, string key, string path, double fallback)
        {
            if (Scalar(map, key, path, required: false) is not { } text)
            {
                return fallback;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not a number");
            return fallback;
        }

        /// <summary><c>{major_incident_state: accepted, u_continuity_level: "{level}"}</c>: each field once, a single value each (the validator checks names and lengths).</summary>
        private Dictionary<string, string> ServiceNowFields(Dictionary<string, YamlNode> map, string path)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!map.TryGetValue("serviceNowFields", out var node) || IsNull(node))
            {
                return fields;
            }

            path = Join(path, "serviceNowFields");
            if (node is not YamlMappingNode mapping)
            {
                Problem(path, "expected a mapping of ServiceNow incident field names to values, e.g. {major_incident_state: accepted}");
                return fields;
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value?.Trim();
                if (string.IsNullOrEmpty(name))
                {
                    Problem(path, "expected a ServiceNow field name as each key");
                    continue;
                }

                var at = $"{path}.{name}";
                if (fields.ContainsKey(name))
                {
                    Problem(at, "is listed twice");
                }
                else if (value is not YamlScalarNode scalar)
                {
                    Problem(at, "expected a single value, not a list or mapping");
                }
                else if (IsNull(scalar))
                {
                    Problem(at, "expected a value (quote an empty one: \"\")");
                }
                else
                {
                    fields[name] = scalar.Value!.Trim();
                }
            }

            return fields;
        }

        /// <summary><c>{jira: {Blocker: P1, "Sev 2": P2}}</c>: each source's names, each once (case-insensitive).</summary>
        private IReadOnlyDictionary<string, Priority>? PriorityNames(YamlNode node, string path)
        {
            if (node is not YamlMappingNode mapping)
            {
                Problem(path, "expected a mapping of priority names to P1..P5, e.g. {Blocker: P1, Major: P2}");
                return null;
            }

            var names = new Dictionary<string, Priority>(StringComparer.OrdinalIgnoreCase);
            var ok = true;
            foreach (var (keyNode, value) in mapping.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value?.Trim();
                if (string.IsNullOrEmpty(name))
                {
                    Problem(path, "expected a priority name as each key");
                    ok = false;
                    continue;
                }

                var at = $"{path}.{name}";
                if (names.ContainsKey(name))
                {
                    Problem(at, "is listed twice (names are matched without regard to case)");
                    ok = false;
                }
                else if (value is YamlScalarNode { Value: { } text } && TryParsePriority(text.Trim(), out var priority))
                {
                    names[name] = priority;
                }
                else
                {
                    Problem(at, $"unknown priority '{(value as YamlScalarNode)?.Value}' ({PriorityExpected})");
                    ok = false;
                }
            }

            return ok ? names : null;
        }

        /// <summary>A mapping of source names (as aliases are keyed) to what <paramref name="read"/> reads for each.</summary>
        private Dictionary<AliasSource, T> PerSource<T>(
            Dictionary<string, YamlNode> map,
            string key,
            string path,
            string example,
            Func<YamlNode, string, T?> read)
            where T : class
        {
            var result = new Dictionary<AliasSource, T>();
            if (!map.TryGetValue(key, out var node) || IsNull(node))
            {
                return result;
            }

            path = Join(path, key);
            if (node is not YamlMappingNode mapping)
            {
                Problem(path, $"expected a mapping of source name to {example}");
                return result;
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!CatalogNames.TryParseToolSource(name, out var source))
                {
                    Problem($"{path}.{name}", $"unknown source '{name}' (expected one of {string.Join(", ", CatalogNames.ToolSourceNames)})");
                }
                else if (result.ContainsKey(source))
                {
                    Problem($"{path}.{name}", $"source '{CatalogNames.Name(source)}' is listed twice");
                }
                else if (read(value, $"{path}.{name}") is { } item)
                {
                    result[source] = item;
                }
            }

            return result;
        }

        /// <summary>P1..P5 only: <see cref="Priority.None"/> is what a source without a priority gives, not a policy value.</summary>
        private static bool TryParsePriority(string text, out Priority priority) =>
            CatalogNames.TryParseEnum(text, out priority) && priority != Priority.None;
    }
}
