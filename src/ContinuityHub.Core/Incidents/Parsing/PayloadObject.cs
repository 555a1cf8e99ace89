using System.Text.Json;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// A JSON object found in a payload, with its path from the root (<c>event.data</c>); or the place where one
/// was expected and is not (<see cref="Exists"/> false), so fields below it read as absent without further noise.
/// </summary>
internal readonly record struct PayloadObject(JsonElement Element, string Path, bool Exists)
{
    public static PayloadObject Missing(string path) => new(default, path, false);

    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>The field's value when the object exists and has it with a non-null value.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return Exists && Element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
