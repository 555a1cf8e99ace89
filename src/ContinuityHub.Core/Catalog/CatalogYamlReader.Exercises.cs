using System.Text.RegularExpressions;
using ContinuityHub.Outbox;
using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>
/// The catalogue's <c>exercises</c>: schedule and results, findings, and what playing one needs: the scenario's
/// injects, scripted decisions, participants and whether its automations go out for real.
/// </summary>
public static partial class CatalogYamlReader
{
    private static readonly string[] _exerciseKeys =
        ["id", "plan", "type", "scheduled", "completed", "result", "achievedRecovery", "findings", "participants", "liveAutomations", "scenario", "decisions"];

    private static readonly string[] _findingKeys = ["id", "text", "owner", "due", "closed"];
    private static readonly string[] _injectKeys = ["at", "source", "sample", "payload", "resolve"];
    private static readonly string[] _decisionKeys = ["at", "action", "plan", "by"];
    private static readonly string[] _injectContentKeys = ["source", "sample", "payload"];

    private const string OffsetExpected = "expected an offset from the start like 0m, 45m, 3h or 1h10m";

    private sealed partial class Reader
    {
        private (Exercise?, string?) ReadExercise(YamlNode node, string path)
        {
            var map = Mapping(node, path, _exerciseKeys);
            if (map is null)
            {
                return (null, null);
            }

            var before = Problems.Count;
            var id = Scalar(map, "id", path, required: true);
            var plan = Scalar(map, "plan", path, required: true);
            var type = Enum<ExerciseType>(map, "type", path, "exercise type", required: true);
            var scheduled = Date(map, "scheduled", path, required: true);
            var completed = Date(map, "completed", path, required: false);
            var result = Enum<ExerciseResult>(map, "result", path, "exercise result", required: false);
            var achieved = Duration(map, "achievedRecovery", path, required: false);
            var findings = Items(map, "findings", path, "expected a list of findings", ReadFinding);
            var participants = StringList(map, "participants", path) ?? [];
            var live = Bool(map, "liveAutomations", path) ?? false;
            var scenario = Items(map, "scenario", path, "expected a list of injects, e.g. - {at: 0m, source: azuremonitor, sample: samples/alert.json}", ReadInject);
            var decisions = Items(map, "decisions", path, "expected a list of decisions, e.g. - {at: 1h10m, action: Invoke, plan: dr-sql, by: alex@contoso.com}", ReadDecision);
            if (id is null || plan is null || type is null || scheduled is null || findings is null || scenario is null || decisions is null || Problems.Count > before)
            {
                return (null, id);
            }

            return (new Exercise(id, plan, type.Value, scheduled.Value, completed, result, achieved, findings)
            {
                Scenario = scenario,
                Decisions = decisions,
                Participants = participants,
                LiveAutomations = live,
            }, id);
        }

        /// <summary>The list under <paramref name="key"/> read item by item (none when absent); null when it or any item has a problem.</summary>
        private List<T>? Items<T>(Dictionary<string, YamlNode> map, string key, string path, string expected, Func<YamlNode, string, T?> read)
            where T : class
        {
            var items = new List<T>();
            if (!map.TryGetValue(key, out var node) || IsNull(node))
            {
                return items;
            }

            path = Join(path, key);
            if (node is not YamlSequenceNode sequence)
            {
                Problem(path, expected);
                return null;
            }

            var ok = true;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var item = read(sequence.Children[i], $"{path}[{i}]");
                ok &= item is not null;
                if (item is not null)
                {
                    items.Add(item);
                }
            }

            return ok ? items : null;
        }

        private Finding? ReadFinding(YamlNode node, string path)
        {
            var map = Mapping(node, path, _findingKeys);
            if (map is null)
            {
                return null;
            }

            var id = Scalar(map, "id", path, required: true);
            var text = Scalar(map, "text", path, required: true);
            var owner = Scalar(map, "owner", path, required: false) ?? string.Empty;
            var due = Date(map, "due", path, required: true);
            var closed = Date(map, "closed", path, required: false);
            return id is null || text is null || due is null ? null : new Finding(id, text, owner, due.Value, closed);
        }

        /// <summary>
        /// One inject: a <c>source</c> and exactly one of <c>sample</c> (a file, read later by whoever has the file
        /// system) or <c>payload</c> (inline, converted to JSON here); or <c>resolve: true</c> with neither and no source.
        /// The rules across injects (order, one resolve, last) are the validator's.
        /// </summary>
        private ExerciseInject? ReadInject(YamlNode node, string path)
        {
            var before = Problems.Count;
            var map = Mapping(node, path, _injectKeys);
            if (map is null)
            {
                return null;
            }

            var at = Offset(map, "at", path);
            var resolve = Bool(map, "resolve", path) ?? false;
            var sourceName = Scalar(map, "source", path, required: false);
            AliasSource? source = null;
            if (sourceName is not null)
            {
                if (CatalogNames.TryParseSource(sourceName, out var parsed))
                {
                    source = parsed;
                }
                else
                {
                    Problem(Join(path, "source"), $"unknown source '{sourceName}' (expected one of {string.Join(", ", CatalogNames.ToolSourceNames)})");
                }
            }

            var sample = Scalar(map, "sample", path, required: false);
            var hasPayload = map.TryGetValue("payload", out var payloadNode) && !IsNull(payloadNode);
            var payload = hasPayload ? PayloadJson(payloadNode!, Join(path, "payload")) : null;
            if (Problems.Count > before)
            {
                // What the keys say together is judged once each says something readable.
                return null;
            }

            if (resolve)
            {
                foreach (var key in _injectContentKeys.Where(k => map.TryGetValue(k, out var n) && !IsNull(n)))
                {
                    Problem(Join(path, key), "a resolve inject has none: it ends the scenario's outage (every open incident of the exercise resolved)");
                }
            }
            else
            {
                if (sourceName is null)
                {
                    Problem(Join(path, "source"), $"is required (one of {string.Join(", ", CatalogNames.ToolSourceNames)})");
                }

                if (sample is not null && hasPayload)
                {
                    Problem(Join(path, "payload"), "is given beside sample: an inject is either a sample file or an inline payload");
                }
                else if (sample is null && !hasPayload)
                {
                    Problem(path, "needs a sample (a file) or a payload (inline), or resolve: true to end the scenario");
                }
                else if (sample is { Length: 0 })
                {
                    Problem(Join(path, "sample"), "must not be empty");
                }
            }

            return at is null || Problems.Count > before ? null : new ExerciseInject(at.Value, source, payload, sample, resolve);
        }

        private ScriptedDecision? ReadDecision(YamlNode node, string path)
        {
            var map = Mapping(node, path, _decisionKeys);
            if (map is null)
            {
                return null;
            }

            var at = Offset(map, "at", path);
            var action = Enum<DecisionAction>(map, "action", path, "decision action", required: true);
            var plan = Scalar(map, "plan", path, required: true);
            var by = Scalar(map, "by", path, required: true);
            return at is null || action is null || plan is null || by is null ? null : new ScriptedDecision(at.Value, action.Value, plan, by);
        }

        /// <summary>An offset from the exercise's start: a duration (<c>0m</c>, <c>45m</c>, <c>3h</c>) or a few of them in falling units (<c>1h10m</c>).</summary>
        private TimeSpan? Offset(Dictionary<string, YamlNode> map, string key, string path)
        {
            var text = Scalar(map, key, path, required: true);
            if (text is null)
            {
                return null;
            }

            if (TryParseOffset(text, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not an offset ({OffsetExpected})");
            return null;
        }
    }

    /// <summary><c>45m</c>, <c>1h10m</c>, <c>2d3h</c>: each part as <see cref="Durations"/> reads it, in the order d, h, m, s.</summary>
    internal static bool TryParseOffset(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = OffsetPattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        for (var g = 1; g < match.Groups.Count; g++)
        {
            if (match.Groups[g].Success)
            {
                if (!Durations.TryParse(match.Groups[g].Value, out var part) || part > TimeSpan.MaxValue - value)
                {
                    return false;
                }

                value += part;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^(?=.)(\d+[dD])?(\d+[hH])?(\d+[mM])?(\d+[sS])?\z")]
    private static partial Regex OffsetPattern();
}
