using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>
/// Reads the catalogue file. Every problem is collected with its path (<c>services[3].rto</c>) so the continuity
/// manager sees all of them at once; a file with any problem never yields a catalogue.
/// </summary>
public static partial class CatalogYamlReader
{
    private static readonly string[] _topKeys = ["policy", "services", "plans", "exercises", "maintenance"];
    private static readonly string[] _serviceKeys = ["id", "name", "tier", "owner", "rto", "rpo", "mtpd", "dependsOn", "aliases", "biaReviewed", "heartbeats"];
    private static readonly string[] _planKeys = ["id", "title", "type", "version", "status", "owner", "services", "recoveryTime", "autoInvoke", "lastReviewed", "nextReview", "crisisTeam", "documents", "automations"];
    private static readonly string[] _teamKeys = ["teamId", "channelId", "escalationDelay", "tiers"];
    private static readonly string[] _documentKeys = ["path", "sha256"];

    /// <summary>How a problem with the file as a whole is named.</summary>
    public const string RootPath = "(root)";

    private const int MaxDepth = 64;

    /// <summary>Reads and validates a catalogue; throws <see cref="HubValidationException"/> listing every problem.</summary>
    public static ContinuityCatalog Read(string yaml)
    {
        var reader = new Reader();
        var (catalog, layout) = reader.Parse(yaml);
        var problems = reader.Problems;
        if (catalog is not null)
        {
            problems.AddRange(CatalogValidator.Validate(catalog, layout));
        }

        if (problems.Count > 0)
        {
            throw new HubValidationException(problems);
        }

        return catalog!;
    }

    private sealed partial class Reader
    {
        /// <summary>Where the items stood in the file, and what the model cannot tell (a Service Bus topic from a queue).</summary>
        private readonly CatalogLayout _layout = new();

        public List<ValidationProblem> Problems { get; } = [];

        private void Problem(string path, string message) => Problems.Add(new ValidationProblem(path, message));

        public (ContinuityCatalog? Catalog, CatalogLayout Layout) Parse(string yaml)
        {
            var stream = new YamlStream();
            try
            {
                // YamlDotNet builds the tree recursively: refuse absurd nesting before it can overflow the stack.
                if (TooDeep(yaml) is { } deep)
                {
                    Problem($"line {deep.Line}, column {deep.Column}", $"nested deeper than {MaxDepth} levels; a catalogue needs a handful");
                    return (null, _layout);
                }

                stream.Load(new StringReader(yaml));
            }
            catch (YamlException e)
            {
                var message = Regex.Replace(e.InnerException?.Message ?? e.Message, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", string.Empty);
                Problem($"line {e.Start.Line}, column {e.Start.Column}", $"not valid YAML: {message}");
                return (null, _layout);
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                Problem(RootPath, "the catalogue is empty: expected 'services', 'plans' and 'exercises'");
                return (null, _layout);
            }

            if (stream.Documents.Count > 1)
            {
                Problem(RootPath, "expected one YAML document, found " + stream.Documents.Count.ToString(CultureInfo.InvariantCulture));
                return (null, _layout);
            }

            var root = Mapping(stream.Documents[0].RootNode, RootPath, _topKeys);
            if (root is null)
            {
                return (null, _layout);
            }

            var policy = root.TryGetValue("policy", out var policyNode) ? ReadPolicy(policyNode, "policy") : Policy.Default;
            var services = ReadList(root, "services", "services", ReadService, _layout.Services, _layout.OtherServiceIds);
            var plans = ReadList(root, "plans", "plans", ReadPlan, _layout.Plans, _layout.OtherPlanIds);
            var exercises = ReadList(root, "exercises", "exercises", ReadExercise, _layout.Exercises, []);
            var maintenance = ReadList(root, "maintenance", "maintenance", ReadMaintenanceWindow, _layout.Maintenance, []);
            return (new ContinuityCatalog(policy ?? Policy.Default, services, plans, exercises) { Maintenance = maintenance }, _layout);
        }

        private List<T> ReadList<T>(
            Dictionary<string, YamlNode> map,
            string key,
            string path,
            Func<YamlNode, string, (T? Item, string? Id)> read,
            List<int> positions,
            HashSet<string> droppedIds)
            where T : class
        {
            var items = new List<T>();
            if (!map.TryGetValue(key, out var node) || IsNull(node))
            {
                return items;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Problem(path, "expected a list");
                return items;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var before = Problems.Count;
                var (item, id) = read(sequence.Children[i], $"{path}[{i}]");
                if (item is not null && Problems.Count == before)
                {
                    items.Add(item);
                    positions.Add(i);
                }
                else if (id is not null)
                {
                    droppedIds.Add(id);
                }
            }

            return items;
        }

        private (BusinessService?, string?) ReadService(YamlNode node, string path)
        {
            var map = Mapping(node, path, _serviceKeys);
            if (map is null)
            {
                return (null, null);
            }

            var id = Scalar(map, "id", path, required: true);
            var name = Scalar(map, "name", path, required: true);
            var tier = Int(map, "tier", path, required: true);
            var owner = Scalar(map, "owner", path, required: false) ?? string.Empty;
            var rto = Duration(map, "rto", path, required: true);
            var rpo = Duration(map, "rpo", path, required: true);
            var mtpd = Duration(map, "mtpd", path, required: true);
            var dependsOn = StringList(map, "dependsOn", path) ?? [];
            var aliases = ReadAliases(map, path);
            var reviewed = Date(map, "biaReviewed", path, required: false);
            var heartbeats = ReadHeartbeats(map, path);
            if (id is null || name is null || tier is null || rto is null || rpo is null || mtpd is null || aliases is null || heartbeats is null)
            {
                return (null, id);
            }

            return (new BusinessService(id, name, tier.Value, rto.Value, rpo.Value, mtpd.Value, owner, dependsOn, aliases, reviewed)
            {
                Heartbeats = heartbeats,
            }, id);
        }

        private Dictionary<AliasSource, IReadOnlyList<string>>? ReadAliases(Dictionary<string, YamlNode> map, string path)
        {
            var aliases = new Dictionary<AliasSource, IReadOnlyList<string>>();
            if (!map.TryGetValue("aliases", out var node) || IsNull(node))
            {
                return aliases;
            }

            path += ".aliases";
            if (node is not YamlMappingNode mapping)
            {
                Problem(path, "expected a mapping of source system to aliases, e.g. servicenow: [CI0012345]");
                return null;
            }

            var ok = true;
            foreach (var (keyNode, value) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    Problem(path, "expected a source name as each key, e.g. servicenow: [CI0012345]");
                    ok = false;
                    continue;
                }

                if (!CatalogNames.TryParseToolSource(key, out var source))
                {
                    Problem($"{path}.{key}", $"unknown alias source '{key}' (expected one of {string.Join(", ", CatalogNames.ToolSourceNames)})");
                    ok = false;
                    continue;
                }

                if (aliases.ContainsKey(source))
                {
                    Problem($"{path}.{key}", $"alias source '{CatalogNames.Name(source)}' is listed twice");
                    ok = false;
                    continue;
                }

                var list = StringListNode(value, $"{path}.{key}");
                if (list is null)
                {
                    ok = false;
                    continue;
                }

                aliases[source] = list;
            }

            return ok ? aliases : null;
        }

        private (ContinuityPlan?, string?) ReadPlan(YamlNode node, string path)
        {
            var map = Mapping(node, path, _planKeys);
            if (map is null)
            {
                return (null, null);
            }

            var id = Scalar(map, "id", path, required: true);
            var title = Scalar(map, "title", path, required: true);
            var type = Enum<PlanType>(map, "type", path, "plan type", required: true);
            var version = Scalar(map, "version", path, required: true);
            var status = Enum<PlanStatus>(map, "status", path, "plan status", required: true);
            var owner = Scalar(map, "owner", path, required: false) ?? string.Empty;
            var services = StringList(map, "services", path) ?? [];
            var recovery = Duration(map, "recoveryTime", path, required: true);
            var autoInvoke = Bool(map, "autoInvoke", path) ?? false;
            var lastReviewed = Date(map, "lastReviewed", path, required: false);
            var nextReview = Date(map, "nextReview", path, required: false);
            CrisisTeam? team = null;
            var teamOk = true;
            if (map.TryGetValue("crisisTeam", out var teamNode) && !IsNull(teamNode))
            {
                team = ReadTeam(teamNode, $"{path}.crisisTeam");
                teamOk = team is not null;
            }

            var documents = new List<PlanDocument>();
            var documentsOk = true;
            if (map.TryGetValue("documents", out var docsNode) && !IsNull(docsNode))
            {
                if (docsNode is YamlSequenceNode docs)
                {
                    for (var i = 0; i < docs.Children.Count; i++)
                    {
                        var doc = ReadDocument(docs.Children[i], $"{path}.documents[{i}]");
                        documentsOk &= doc is not null;
                        if (doc is not null)
                        {
                            documents.Add(doc);
                        }
                    }
                }
                else
                {
                    Problem($"{path}.documents", "expected a list of documents, e.g. - path: documents/runbook.md");
                    documentsOk = false;
                }
            }

            var automations = ReadAutomations(map, path);
            if (id is null || title is null || type is null || version is null || status is null || recovery is null || !teamOk || !documentsOk || automations is null)
            {
                return (null, id);
            }

            return (new ContinuityPlan(id, title, type.Value, version, status.Value, owner, services, recovery.Value, autoInvoke, lastReviewed, nextReview, team, documents)
            {
                Automations = automations,
            }, id);
        }

        private CrisisTeam? ReadTeam(YamlNode node, string path)
        {
            var map = Mapping(node, path, _teamKeys);
            if (map is null)
            {
                return null;
            }

            var teamId = Scalar(map, "teamId", path, required: true);
            var channelId = Scalar(map, "channelId", path, required: true);
            var delay = Duration(map, "escalationDelay", path, required: true);
            var tiers = new List<IReadOnlyList<string>>();
            var tiersOk = true;
            if (!map.TryGetValue("tiers", out var tiersNode) || IsNull(tiersNode))
            {
                Problem($"{path}.tiers", "is required: a list of tiers, each a list of user principal names");
                tiersOk = false;
            }
            else if (tiersNode is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var tier = StringListNode(sequence.Children[i], $"{path}.tiers[{i}]");
                    tiersOk &= tier is not null;
                    if (tier is not null)
                    {
                        tiers.Add(tier);
                    }
                }
            }
            else
            {
                Problem($"{path}.tiers", "expected a list of tiers, each a list of user principal names");
                tiersOk = false;
            }

            return teamId is null || channelId is null || delay is null || !tiersOk ? null : new CrisisTeam(teamId, channelId, delay.Value, tiers);
        }

        private PlanDocument? ReadDocument(YamlNode node, string path)
        {
            if (node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            {
                return new PlanDocument(scalar.Value.Trim(), null);
            }

            var map = Mapping(node, path, _documentKeys);
            if (map is null)
            {
                return null;
            }

            var docPath = Scalar(map, "path", path, required: true);
            var sha = Scalar(map, "sha256", path, required: false);
            if (sha is not null && !Sha256Pattern().IsMatch(sha))
            {
                Problem($"{path}.sha256", "expected 64 hexadecimal characters");
                return null;
            }

            return docPath is null ? null : new PlanDocument(docPath, sha?.ToLowerInvariant());
        }

        private Dictionary<string, YamlNode>? Mapping(YamlNode node, string path, string[] allowed)
        {
            if (node is not YamlMappingNode mapping)
            {
                Problem(path, $"expected a mapping with keys {string.Join(", ", allowed)}");
                return null;
            }

            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                var keyPath = Join(path, key);
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    var suggestion = Suggest(key, allowed);
                    Problem(keyPath, suggestion is null
                        ? $"unknown key (expected one of {string.Join(", ", allowed)})"
                        : $"unknown key; did you mean '{suggestion}'?");
                    continue;
                }

                result[key] = value;
            }

            return result;
        }

        private string? Scalar(Dictionary<string, YamlNode> map, string key, string path, bool required)
        {
            var keyPath = Join(path, key);
            if (!map.TryGetValue(key, out var node) || IsNull(node))
            {
                if (required)
                {
                    Problem(keyPath, "is required");
                }

                return null;
            }

            if (node is not YamlScalarNode scalar)
            {
                Problem(keyPath, "expected a single value, not a list or mapping");
                return null;
            }

            var value = scalar.Value!.Trim();
            if (value.Length == 0 && required)
            {
                Problem(keyPath, "must not be empty");
                return null;
            }

            return value;
        }

        private int? Int(Dictionary<string, YamlNode> map, string key, string path, bool required)
        {
            var text = Scalar(map, key, path, required);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not a whole number");
            return null;
        }

        private bool? Bool(Dictionary<string, YamlNode> map, string key, string path)
        {
            var text = Scalar(map, key, path, required: false);
            if (text is null)
            {
                return null;
            }

            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not true or false");
            return null;
        }

        private TimeSpan? Duration(Dictionary<string, YamlNode> map, string key, string path, bool required)
        {
            var text = Scalar(map, key, path, required);
            if (text is null)
            {
                return null;
            }

            if (Durations.TryParse(text, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not a duration ({Durations.Expected})");
            return null;
        }

        private DateOnly? Date(Dictionary<string, YamlNode> map, string key, string path, bool required)
        {
            var text = Scalar(map, key, path, required);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"'{text}' is not a date (expected ISO 8601, e.g. 2026-03-31)");
            return null;
        }

        private T? Enum<T>(Dictionary<string, YamlNode> map, string key, string path, string what, bool required)
            where T : struct, Enum
        {
            var text = Scalar(map, key, path, required);
            if (text is null)
            {
                return null;
            }

            if (CatalogNames.TryParseEnum<T>(text, out var value))
            {
                return value;
            }

            Problem(Join(path, key), $"unknown {what} '{text}' (expected one of {CatalogNames.Expected<T>()})");
            return null;
        }

        private List<string>? StringList(Dictionary<string, YamlNode> map, string key, string path) =>
            map.TryGetValue(key, out var node) && !IsNull(node) ? StringListNode(node, Join(path, key)) : null;

        private List<string>? StringListNode(YamlNode node, string path)
        {
            if (node is YamlScalarNode single && !IsNull(single))
            {
                Problem(path, $"expected a list, e.g. [{single.Value}]");
                return null;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Problem(path, "expected a list");
                return null;
            }

            var values = new List<string>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (sequence.Children[i] is YamlScalarNode { Value: { } v } && v.Trim().Length > 0)
                {
                    values.Add(v.Trim());
                }
                else
                {
                    Problem($"{path}[{i}]", "expected a non-empty single value");
                    return null;
                }
            }

            return values;
        }

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
            && (s.Value is null || s.Value.Length == 0 || s.Value == "~" || s.Value.Equals("null", StringComparison.OrdinalIgnoreCase));

        private static string Join(string path, string key) => path.Length == 0 || path == RootPath ? key : $"{path}.{key}";

        private static (long Line, long Column)? TooDeep(string yaml)
        {
            var parser = new Parser(new StringReader(yaml));
            var depth = 0;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart:
                        if (++depth > MaxDepth)
                        {
                            return (parser.Current.Start.Line, parser.Current.Start.Column);
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }

            return null;
        }

        private static string? Suggest(string key, string[] allowed) =>
            allowed.Select(a => (a, d: EditDistance.Between(key, a)))
                .Where(x => x.d <= Math.Max(1, Math.Min(2, x.a.Length / 3)))
                .OrderBy(x => x.d)
                .Select(x => x.a)
                .FirstOrDefault();
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}

/// <summary>Where each item of a parsed catalogue stood in its file, so problems name the file's own positions.</summary>
public sealed class CatalogLayout
{
    /// <summary>The file index of each kept service, plan, exercise and maintenance window.</summary>
    public List<int> Services { get; } = [];

    public List<int> Plans { get; } = [];

    public List<int> Exercises { get; } = [];

    public List<int> Maintenance { get; } = [];

    /// <summary>Ids of items left out for problems of their own: references to them are not reported again.</summary>
    public HashSet<string> OtherServiceIds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> OtherPlanIds { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The automations (by path, <c>plans[4].automations[0]</c>) whose Service Bus entity the file gives as
    /// <c>topic:</c>; the model holds queue and topic alike as <see cref="PlanAutomation.Entity"/>.
    /// </summary>
    public HashSet<string> TopicEntities { get; } = new(StringComparer.Ordinal);
}
