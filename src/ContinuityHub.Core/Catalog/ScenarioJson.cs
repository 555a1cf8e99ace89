using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace ContinuityHub.Catalog;

/// <summary>
/// A scenario as it is stored: a compact JSON array of <c>{"at": "PT45M", "source": "servicenow", "sample": "…",
/// "payload": "…", "resolve": true}</c> (absent keys null or false), each payload kept as its exact text. Its length is
/// what <see cref="MaxChars"/> bounds, so the validator refuses a scenario storage could not keep.
/// </summary>
public static class ScenarioJson
{
    /// <summary>The most a stored scenario may hold, in characters: a few dozen vendor payloads, well inside a table row.</summary>
    public const int MaxChars = 60_000;

    private static readonly JsonWriterOptions _options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyList<ExerciseInject> scenario)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, _options))
        {
            json.WriteStartArray();
            foreach (var inject in scenario)
            {
                json.WriteStartObject();
                json.WriteString("at", XmlConvert.ToString(inject.At));
                if (inject.Source is { } source)
                {
                    json.WriteString("source", CatalogNames.Name(source));
                }

                if (inject.Sample is not null)
                {
                    json.WriteString("sample", inject.Sample);
                }

                if (inject.Payload is not null)
                {
                    json.WriteString("payload", inject.Payload);
                }

                if (inject.Resolve)
                {
                    json.WriteBoolean("resolve", true);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The scenario <see cref="Write"/> wrote; <see cref="FormatException"/> when the text is not one.</summary>
    public static IReadOnlyList<ExerciseInject> Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected a JSON array of injects");
            }

            return [.. document.RootElement.EnumerateArray().Select(Inject)];
        }
        catch (JsonException e)
        {
            throw new FormatException(e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("an inject's value has the wrong JSON type: " + e.Message, e);
        }
    }

    private static ExerciseInject Inject(JsonElement inject)
    {
        if (!inject.TryGetProperty("at", out var at) || at.GetString() is not { } offset)
        {
            throw new FormatException("an inject has no 'at'");
        }

        AliasSource? source = null;
        if (inject.TryGetProperty("source", out var name))
        {
            source = CatalogNames.TryParseSource(name.GetString(), out var parsed)
                ? parsed
                : throw new FormatException($"an inject names an unknown source '{name.GetString()}'");
        }

        return new ExerciseInject(
            XmlConvert.ToTimeSpan(offset),
            source,
            inject.TryGetProperty("payload", out var payload) ? payload.GetString() : null,
            inject.TryGetProperty("sample", out var sample) ? sample.GetString() : null,
            inject.TryGetProperty("resolve", out var resolve) && resolve.GetBoolean());
    }
}
