using System.Text.Json.Nodes;
using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>The vendor payload samples in infra/samples, copied beside the tests.</summary>
internal static class IntakeSamples
{
    /// <summary>The samples each source's parser refuses.</summary>
    public static readonly IReadOnlyDictionary<AliasSource, string> Invalid = new Dictionary<AliasSource, string>
    {
        [AliasSource.ServiceNow] = "incident-invalid.json",
        [AliasSource.Jira] = "issue-created-invalid.json",
        [AliasSource.PagerDuty] = "incident-annotated.json",
        [AliasSource.Opsgenie] = "alert-invalid.json",
        [AliasSource.AzureMonitor] = "metric-alert-legacy-schema.json",
        [AliasSource.Generic] = "incident-invalid.json",
        [AliasSource.Alertmanager] = "invalid.json",
        [AliasSource.Heartbeat] = "invalid.json",
    };

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "samples");

    public static string Read(AliasSource source, string file) =>
        File.ReadAllText(Path.Combine(Directory, CatalogNames.Name(source), file));

    /// <summary>Every sample the source's parser takes.</summary>
    public static IEnumerable<(AliasSource Source, string File)> Valid() =>
        from source in Enum.GetValues<AliasSource>()
        from path in System.IO.Directory.EnumerateFiles(Path.Combine(Directory, CatalogNames.Name(source)), "*.json").Order(StringComparer.Ordinal)
        let file = Path.GetFileName(path)
        where Invalid[source] != file
        select (source, file);

    /// <summary>A sample with the string at a dotted path set to <paramref name="value"/>.</summary>
    public static string With(AliasSource source, string file, string path, string value)
    {
        var root = JsonNode.Parse(Read(source, file))!.AsObject();
        var names = path.Split('.');
        var parent = names[..^1].Aggregate(root, (o, name) => o[name]!.AsObject());
        parent[names[^1]] = value;
        return root.ToJsonString();
    }

    /// <summary>A generic-schema delivery of incident <paramref name="id"/> on the payments service.</summary>
    public static string Generic(string id, string title, string state = "Open", string priority = "P2") =>
        new JsonObject
        {
            ["id"] = id,
            ["title"] = title,
            ["priority"] = priority,
            ["state"] = state,
            ["startedAt"] = "2026-11-24T09:58:00Z",
            ["services"] = new JsonArray("payments"),
        }.ToJsonString();
}
