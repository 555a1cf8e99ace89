namespace ContinuityHub.Catalog;

/// <summary>The words the catalogue file uses for the domain's enumerations, both ways.</summary>
public static class CatalogNames
{
    private static readonly Dictionary<AliasSource, string> _sources = new()
    {
        [AliasSource.ServiceNow] = "servicenow",
        [AliasSource.Jira] = "jira",
        [AliasSource.PagerDuty] = "pagerduty",
        [AliasSource.Opsgenie] = "opsgenie",
        [AliasSource.AzureMonitor] = "azuremonitor",
        [AliasSource.Generic] = "generic",
        [AliasSource.Alertmanager] = "alertmanager",
        [AliasSource.Heartbeat] = "heartbeat",
    };

    public static IEnumerable<string> SourceNames => _sources.Values;

    /// <summary>The sources a catalogue names aliases and policies for: every tool, not the hub's own heartbeat source.</summary>
    public static IEnumerable<string> ToolSourceNames => _sources.Where(s => s.Key != AliasSource.Heartbeat).Select(s => s.Value);

    /// <summary>A tool's source by name (not the hub's own heartbeat source), as a catalogue names it.</summary>
    public static bool TryParseToolSource(string? text, out AliasSource source) => TryParseSource(text, out source) && source != AliasSource.Heartbeat;

    /// <summary>The lowercase name of a source: <c>servicenow</c>, <c>azuremonitor</c>.</summary>
    public static string Name(AliasSource source) => _sources[source];

    public static bool TryParseSource(string? text, out AliasSource source)
    {
        foreach (var (key, name) in _sources)
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                source = key;
                return true;
            }
        }

        source = default;
        return false;
    }

    /// <summary>Exercise types are written in lowercase in the file (walkthrough, simulation, component, full).</summary>
    public static string Name(ExerciseType type) => type.ToString().ToLowerInvariant();

    /// <summary>Automation kinds are written in camelCase in the file (webhook, serviceBus).</summary>
    public static string Name(AutomationKind kind) => CamelCase(kind.ToString());

    public static bool TryParseEnum<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t) || !char.IsLetter(t[0]))
        {
            return false;
        }

        return Enum.TryParse(t, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static string Expected<T>()
        where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Select(n =>
            typeof(T) == typeof(ExerciseType) ? n.ToLowerInvariant()
            : typeof(T) == typeof(AutomationKind) ? CamelCase(n)
            : n));

    /// <summary>
    /// How an alias is compared: trimmed and case-insensitive; an Azure resource-id prefix also loses its trailing slash.
    /// </summary>
    public static string NormalizeAlias(AliasSource source, string alias)
    {
        var a = alias.Trim().ToLowerInvariant();
        return source == AliasSource.AzureMonitor ? a.TrimEnd('/') : a;
    }

    private static string CamelCase(string name) => string.Concat(name[..1].ToLowerInvariant(), name[1..]);
}
