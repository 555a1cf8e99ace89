using System.Text.Json;
using Json.Schema;

namespace ContinuityHub.Testing.Cards;

/// <summary>
/// Checks a card against the Adaptive Cards 1.5 JSON schema (<c>infra/teams-hostconfig/adaptive-card-1.5.schema.json</c>,
/// draft-06) with JsonSchema.Net. The schema declares <c>"$schema": "http://json-schema.org/draft-06/schema#"</c>, so
/// JsonSchema.Net 8 builds it with its draft-06 dialect, where <c>id</c> (not <c>$id</c>) is the identifier and
/// <c>definitions</c> holds the subschemas; the schema is used as published, nothing is rewritten. It is built once,
/// into a registry of its own, so its <c>id</c> never collides with another build in the same process.
/// </summary>
public static class CardSchema
{
    private static readonly Lazy<JsonSchema> _schema = new(Build);

    /// <summary>
    /// The schema's complaints about <paramref name="cardJson"/>, each "<c>{instance location}: {keyword}: {message} (at
    /// {evaluation path})</c>", from the failing branches only; empty when the card is valid. JSON that does not parse is
    /// one complaint.
    /// </summary>
    public static IReadOnlyList<string> Validate(string cardJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(cardJson);
        }
        catch (JsonException exception)
        {
            return [$"not JSON: {exception.Message}"];
        }

        using (document)
        {
            var results = _schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
            var errors = new List<string>();
            Collect(results, errors);
            return [.. errors.Distinct(StringComparer.Ordinal)];
        }
    }

    // Only the failing branches: an anyOf that passed keeps the errors of its other alternatives, which are no errors.
    private static void Collect(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            errors.Add($"{Location(node.InstanceLocation.ToString())}: {keyword}: {message} (at {node.EvaluationPath})");
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, errors);
        }
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "/" : pointer;

    private static JsonSchema Build()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(File.ReadAllText(CardAssets.SchemaPath), options);
    }
}
