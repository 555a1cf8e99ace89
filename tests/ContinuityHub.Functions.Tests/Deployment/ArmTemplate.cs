using System.Text.Json;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// A compiled ARM template, read the way the assertions need it: every resource, those of the modules (nested
/// deployments) included, with the module that declares it. Resources are read in both layouts Bicep emits (an
/// array, or the symbolic-name object of language version 2.0).
/// </summary>
public sealed class ArmTemplate : IDisposable
{
    private readonly JsonDocument _document;

    public ArmTemplate(JsonDocument document)
    {
        _document = document;
        var resources = new List<ArmResource>();
        Collect(document.RootElement, "main", resources);
        Resources = resources;
    }

    public JsonElement Root => _document.RootElement;

    /// <summary>The whole template as JSON text.</summary>
    public string Text => Root.GetRawText();

    public IReadOnlyList<ArmResource> Resources { get; }

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of <paramref name="type"/>, failing the test when there is not exactly one.</summary>
    public ArmResource Only(string type) => Assert.Single(OfType(type));

    /// <summary>The default value of a parameter of the root template (main.bicep).</summary>
    public JsonElement DefaultOf(string parameter) =>
        Root.GetProperty("parameters").GetProperty(parameter).GetProperty("defaultValue");

    public void Dispose() => _document.Dispose();

    private static void Collect(JsonElement template, string module, List<ArmResource> into)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return;
        }

        var items = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value)
            : resources.EnumerateArray();
        foreach (var resource in items)
        {
            var type = resource.GetProperty("type").GetString() ?? string.Empty;
            into.Add(new ArmResource(module, type, resource));
            if (string.Equals(type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && resource.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var nested))
            {
                Collect(nested, resource.GetProperty("name").GetString() ?? "?", into);
            }
        }
    }
}

/// <summary>One resource of a compiled template; <see cref="Module"/> is the module declaring it (<c>main</c> at the top).</summary>
public sealed record ArmResource(string Module, string Type, JsonElement Element)
{
    /// <summary>The resource's name: a literal, or an ARM expression such as <c>[parameters('name')]</c>.</summary>
    public string Name => Element.GetProperty("name").GetString() ?? string.Empty;

    /// <summary>The explicit scope of an extension resource (a role assignment), null when it has none.</summary>
    public string? Scope => Element.TryGetProperty("scope", out var scope) ? scope.GetString() : null;

    /// <summary>The value at a path of property names under the resource, or null when it is not there.</summary>
    public JsonElement? At(params string[] path)
    {
        var current = Element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The value at a path, failing the test with the path when it is not there.</summary>
    public JsonElement Required(params string[] path) =>
        At(path) ?? throw new InvalidOperationException($"{Type} in module {Module} has no {string.Join('.', path)}.");

    public override string ToString() => $"{Type} {Name} (module {Module})";
}
