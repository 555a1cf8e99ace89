using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>The vendor payload samples in infra/samples, copied beside the tests, and small payloads built from them.</summary>
internal static class Samples
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>Vendors' own published samples (Incidents/Parsing/Samples, with their provenance), copied beside the tests.</summary>
    public static string VendorDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Incidents", "Parsing", "Samples");

    public static string ReadVendor(AliasSource source, string file) =>
        File.ReadAllText(Path.Combine(VendorDirectory, CatalogNames.Name(source), file));

    public static string Read(AliasSource source, string file) =>
        File.ReadAllText(Path.Combine(Directory, CatalogNames.Name(source), file));

    public static Incident Parse(AliasSource source, string file) => IncidentParsers.Parse(source, Read(source, file));

    public static HubValidationException Refuse(AliasSource source, string json) =>
        Assert.Throws<HubValidationException>(() => IncidentParsers.Parse(source, json));

    public static HubValidationException RefuseSample(AliasSource source, string file) => Refuse(source, Read(source, file));

    /// <summary>A sample with one change made to it: <c>Edit(source, file, o => o["state"] = "42")</c>.</summary>
    public static string Edit(AliasSource source, string file, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Read(source, file))!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>The object at a dotted path in a sample being edited (<c>At(o, "event.data")</c>).</summary>
    public static JsonObject At(JsonObject root, string path) =>
        path.Split('.').Aggregate(root, (o, name) => o[name]!.AsObject());

    public static IEnumerable<(AliasSource Source, string File)> All() =>
        from source in Enum.GetValues<AliasSource>()
        from file in System.IO.Directory.EnumerateFiles(Path.Combine(Directory, CatalogNames.Name(source)), "*.json").Order(StringComparer.Ordinal)
        select (source, Path.GetFileName(file));

    /// <summary>Every vendor sample and its source: a source's folder may be absent.</summary>
    public static IEnumerable<(AliasSource Source, string Json)> AllVendor() =>
        from source in Enum.GetValues<AliasSource>()
        let folder = Path.Combine(VendorDirectory, CatalogNames.Name(source))
        where System.IO.Directory.Exists(folder)
        from file in System.IO.Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal)
        select (source, File.ReadAllText(file));
}
