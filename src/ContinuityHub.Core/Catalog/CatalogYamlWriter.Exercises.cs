using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ContinuityHub.Catalog;

/// <summary>
/// The catalogue's exercises as YAML. The keys for playing one are written only when they say something (a scenario,
/// decisions, participants, <c>liveAutomations: true</c>), so a catalogue without them exports as it did before they
/// existed. An inject read from a sample writes its <c>sample:</c>, not the payload; an inline one its payload as a JSON
/// flow mapping on one line (valid YAML, read back to the same JSON).
/// </summary>
public static partial class CatalogYamlWriter
{
    private static void WriteExercises(StringBuilder w, IReadOnlyList<Exercise> exercises)
    {
        w.Append(exercises.Count == 0 ? "exercises: []\n" : "exercises:\n");
        foreach (var e in exercises)
        {
            w.Append("  - id: ").Append(Quote(e.Id)).Append('\n');
            Line(w, 2, "plan", Quote(e.Plan));
            Line(w, 2, "type", CatalogNames.Name(e.Type));
            Line(w, 2, "scheduled", Date(e.Scheduled));
            if (e.Completed is { } completed)
            {
                Line(w, 2, "completed", Date(completed));
            }

            if (e.Result is { } result)
            {
                Line(w, 2, "result", result.ToString());
            }

            if (e.AchievedRecovery is { } achieved)
            {
                Line(w, 2, "achievedRecovery", Durations.Format(achieved));
            }

            if (e.Participants.Count > 0)
            {
                Line(w, 2, "participants", Flow(e.Participants));
            }

            if (e.LiveAutomations)
            {
                Line(w, 2, "liveAutomations", "true");
            }

            WriteFindings(w, e.Findings);
            WriteScenario(w, e.Scenario);
            if (e.Decisions.Count > 0)
            {
                w.Append("    decisions:\n");
                foreach (var d in e.Decisions)
                {
                    w.Append("      - {at: ").Append(Offset(d.At))
                        .Append(", action: ").Append(d.Action.ToString())
                        .Append(", plan: ").Append(Quote(d.Plan))
                        .Append(", by: ").Append(Quote(d.By)).Append("}\n");
                }
            }
        }
    }

    private static void WriteFindings(StringBuilder w, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        w.Append("    findings:\n");
        foreach (var f in findings)
        {
            w.Append("      - id: ").Append(Quote(f.Id)).Append('\n');
            Line(w, 4, "text", Quote(f.Text));
            if (f.Owner.Length > 0)
            {
                Line(w, 4, "owner", Quote(f.Owner));
            }

            Line(w, 4, "due", Date(f.Due));
            if (f.Closed is { } closed)
            {
                Line(w, 4, "closed", Date(closed));
            }
        }
    }

    private static void WriteScenario(StringBuilder w, IReadOnlyList<ExerciseInject> scenario)
    {
        if (scenario.Count == 0)
        {
            return;
        }

        w.Append("    scenario:\n");
        foreach (var inject in scenario)
        {
            w.Append("      - at: ").Append(Offset(inject.At)).Append('\n');
            if (inject.Source is { } source)
            {
                Line(w, 4, "source", CatalogNames.Name(source));
            }

            if (inject.Sample is not null)
            {
                Line(w, 4, "sample", Quote(inject.Sample));
            }
            else if (inject.Payload is not null)
            {
                Line(w, 4, "payload", FlowJson(inject.Payload));
            }

            if (inject.Resolve)
            {
                Line(w, 4, "resolve", "true");
            }
        }
    }

    /// <summary>An offset in falling units: <c>0m</c>, <c>45m</c>, <c>1h10m</c>, <c>2d3h</c>.</summary>
    internal static string Offset(TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return Durations.Format(value);
        }

        var text = new StringBuilder();
        void Part(long n, char unit)
        {
            if (n > 0)
            {
                text.Append(n.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(value.Ticks / TimeSpan.TicksPerDay, 'd');
        Part(value.Hours, 'h');
        Part(value.Minutes, 'm');
        Part(value.Seconds, 's');
        return text.ToString();
    }

    /// <summary>
    /// JSON text as a one-line flow mapping that is both JSON and YAML: strings double-quoted with the escapes both
    /// share, numbers as written. Text that is not JSON (never so after validation) is written as a quoted string.
    /// </summary>
    internal static string FlowJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var b = new StringBuilder(json.Length);
            FlowJson(b, document.RootElement);
            return b.ToString();
        }
        catch (JsonException)
        {
            return QuoteAlways(json);
        }
    }

    private static void FlowJson(StringBuilder b, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                b.Append('{');
                var firstProperty = true;
                foreach (var property in value.EnumerateObject())
                {
                    b.Append(firstProperty ? string.Empty : ", ").Append(JsonQuote(property.Name)).Append(": ");
                    FlowJson(b, property.Value);
                    firstProperty = false;
                }

                b.Append('}');
                break;
            case JsonValueKind.Array:
                b.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    b.Append(firstItem ? string.Empty : ", ");
                    FlowJson(b, item);
                    firstItem = false;
                }

                b.Append(']');
                break;
            case JsonValueKind.String:
                b.Append(JsonQuote(value.GetString()!));
                break;
            default:
                b.Append(value.GetRawText());
                break;
        }
    }

    /// <summary>Double-quoted with only the escapes JSON and YAML both read; line and paragraph separators escaped so no YAML reader folds them.</summary>
    private static string JsonQuote(string value)
    {
        var b = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
                    {
                        b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }
}
