using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// The reading the parsers share. Every problem is collected with its JSON path from the payload root
/// (<c>event.data.created_at: is required</c>), so a payload's problems are reported together; a payload with any
/// problem never yields an incident. Only <see cref="HubValidationException"/> leaves it.
/// </summary>
internal sealed partial class PayloadReader
{
    /// <summary>P1..P5, as PagerDuty, Opsgenie and the generic schema write them.</summary>
    public static readonly (string Name, Priority Value)[] PriorityNames =
        [("P1", Priority.P1), ("P2", Priority.P2), ("P3", Priority.P3), ("P4", Priority.P4), ("P5", Priority.P5)];

    private const int QuoteLimit = 60;

    /// <summary>The longest id the hub takes from a source: vendors' ids are tens to a few hundred characters.</summary>
    public const int MaxExternalIdChars = 4096;

    private readonly List<ValidationProblem> _problems = [];

    private PayloadReader()
    {
    }

    /// <summary>Checks the payload is an object of readable text, lets <paramref name="read"/> draft the incident, then completes it.</summary>
    public static Incident Read(JsonElement root, AliasSource source, Func<PayloadReader, PayloadObject, IncidentDraft> read)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new HubValidationException("body", "expected a JSON object");
        }

        var reader = new PayloadReader();
        reader.CheckText(root, string.Empty);
        if (reader._problems.Count > 0)
        {
            throw new HubValidationException(reader._problems);
        }

        var draft = read(reader, new PayloadObject(root, string.Empty, true));
        return reader.Complete(source, draft);
    }

    public void Problem(string path, string message) => _problems.Add(new ValidationProblem(path, message));

    public void WrongType(string path, JsonElement value, string expected) =>
        Problem(path, $"expected {expected}, found {Describe(value.ValueKind)}");

    /// <summary>Whether the object has the field with a non-null value (of any type).</summary>
    public static bool Has(PayloadObject parent, string name) => parent.TryGet(name, out _);

    public PayloadObject Object(PayloadObject parent, string name, bool required = false)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required, out var value))
        {
            return PayloadObject.Missing(path);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            WrongType(path, value, "an object");
            return PayloadObject.Missing(path);
        }

        return new PayloadObject(value, path, true);
    }

    /// <summary>A string, trimmed; null when absent, null or blank (a problem if required) or not a string (a problem).</summary>
    public string? String(PayloadObject parent, string name, bool required = false)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            WrongType(path, value, "a string");
            return null;
        }

        var text = Text(value);
        if (text is null && required)
        {
            Problem(path, "is empty");
        }

        return text;
    }

    public bool? Boolean(PayloadObject parent, string name)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            WrongType(path, value, "true or false");
            return null;
        }

        return value.ValueKind == JsonValueKind.True;
    }

    /// <summary>An absolute http(s) URL; null when absent or not one (a problem).</summary>
    public string? Url(PayloadObject parent, string name)
    {
        var text = String(parent, name);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            Problem(parent.PathOf(name), $"expected an absolute http(s) URL, got {Quote(text)}");
            return null;
        }

        return text;
    }

    /// <summary>The strings of an array, in order; null items are skipped, other items and a non-array are problems.</summary>
    public IReadOnlyList<string> Strings(PayloadObject parent, string name)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required: false, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            WrongType(path, value, "an array of strings");
            return [];
        }

        var strings = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                if (Text(item) is { } text)
                {
                    strings.Add(text);
                }
            }
            else if (item.ValueKind != JsonValueKind.Null)
            {
                WrongType($"{path}[{i}]", item, "a string");
            }

            i++;
        }

        return strings;
    }

    /// <summary>The objects of an array, each with its path (<c>issue.fields.components[1]</c>); other items are problems.</summary>
    public IReadOnlyList<PayloadObject> Objects(PayloadObject parent, string name)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required: false, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            WrongType(path, value, "an array of objects");
            return [];
        }

        var objects = new List<PayloadObject>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{i}]";
            if (item.ValueKind == JsonValueKind.Object)
            {
                objects.Add(new PayloadObject(item, itemPath, true));
            }
            else if (item.ValueKind != JsonValueKind.Null)
            {
                WrongType(itemPath, item, "an object");
            }

            i++;
        }

        return objects;
    }

    /// <summary>A string field that must be one of <paramref name="choices"/> (case-insensitive); <paramref name="what"/> names it in the message.</summary>
    public T? Choice<T>(PayloadObject parent, string name, string what, IReadOnlyList<(string Name, T Value)> choices, bool required = false)
        where T : struct
    {
        var text = String(parent, name, required);
        return text is null ? null : Choice(text, parent.PathOf(name), what, choices);
    }

    /// <summary>Looks <paramref name="text"/> up in <paramref name="choices"/> (case-insensitive); an unknown value is a problem at <paramref name="path"/>.</summary>
    public T? Choice<T>(string text, string path, string what, IReadOnlyList<(string Name, T Value)> choices)
        where T : struct
    {
        if (TryChoose(text, choices, out var value))
        {
            return value;
        }

        Problem(path, $"unknown {what} {Quote(text)} (expected {string.Join(", ", choices.Select(c => c.Name).Distinct())})");
        return null;
    }

    public static bool TryChoose<T>(string? text, IReadOnlyList<(string Name, T Value)> choices, out T value)
        where T : struct
    {
        var t = text?.Trim();
        foreach (var (name, v) in choices)
        {
            if (string.Equals(name, t, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary><paramref name="text"/> in quotes, shortened when long, for a message.</summary>
    public static string Quote(string text) =>
        $"'{HumanText.Truncate(text, QuoteLimit + 1)}'";

    private bool Find(PayloadObject parent, string name, bool required, out JsonElement value)
    {
        if (parent.TryGet(name, out value))
        {
            return true;
        }

        // An absent parent was reported where it was read (or was optional); its fields add nothing.
        if (required && parent.Exists)
        {
            Problem(parent.PathOf(name), "is required");
        }

        return false;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A string element's text, trimmed; null when blank. Only called after <see cref="CheckText"/>.</summary>
    private static string? Text(JsonElement value)
    {
        var text = value.GetString()?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>
    /// Reads every property name and string once: System.Text.Json accepts invalid UTF-8 and lone surrogate escapes
    /// when parsing and only throws <see cref="InvalidOperationException"/> when they are read (even by a lookup of
    /// another property). Finding them here turns them into problems with a path.
    /// </summary>
    private void CheckText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        Problem(path.Length == 0 ? "body" : path, "has a property name that is not valid Unicode text");
                        continue;
                    }

                    CheckText(property.Value, path.Length == 0 ? name : $"{path}.{name}");
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckText(item, $"{path}[{i++}]");
                }

                break;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                }
                catch (InvalidOperationException)
                {
                    Problem(path, "is not valid Unicode text");
                }

                break;
        }
    }

    private Incident Complete(AliasSource source, IncidentDraft draft)
    {
        if (_problems.Count > 0
            || draft.ExternalId is not { } externalId
            || draft.Title is not { } title
            || draft.StartedAt is not { } startedAt)
        {
            // Every parser reports the required fields it could not find; the fallback message is a safety net.
            throw new HubValidationException(_problems.Count > 0 ? _problems : [new ValidationProblem("body", "is not a complete incident")]);
        }

        if (externalId.Length > MaxExternalIdChars)
        {
            throw new HubValidationException(
                draft.ExternalIdPath ?? "body",
                string.Create(CultureInfo.InvariantCulture, $"is {externalId.Length:N0} characters; an incident id may have at most {MaxExternalIdChars:N0}"));
        }

        // A parser that reads a time itself rather than through Timestamp or Keepable is held to the same range here.
        var outside = new[]
            {
                ("startedAt", (DateTimeOffset?)startedAt), ("estimatedRestoreAt", draft.EstimatedRestoreAt),
                ("reopenedAt", draft.ReopenedAt), ("resolvedAt", draft.ResolvedAt),
            }
            .Where(t => t.Item2 is { } time && !IncidentTimes.Contains(time))
            .Select(t => new ValidationProblem("body", $"the incident's {t.Item1}: {IncidentTimes.Outside(t.Item2!.Value)}"))
            .ToList();
        if (outside.Count > 0)
        {
            throw new HubValidationException(outside);
        }

        var priority = draft.Priority ?? Priority.None;
        return new Incident(
            IncidentKey.Create(source, externalId),
            source,
            externalId,
            title,
            priority,
            draft.Major || priority == Priority.P1,
            draft.State,
            WholeSeconds(startedAt),
            draft.EstimatedRestoreAt is { } eta ? WholeSeconds(eta) : null,
            DistinctAliases(draft.Aliases),
            draft.Link,
            draft.EventId,
            OtherNames(draft.SameThing))
        {
            SourcePriority = draft.SourcePriority?.Trim() is { Length: > 0 } named ? named : null,
            Markers = DistinctAliases(draft.Markers),
            StateIsImplied = draft.StateIsImplied,
            StartedAtIsEventTime = draft.StartedAtIsEventTime,
            ReopenedAt = draft.ReopenedAt is { } reopened ? WholeSeconds(reopened) : null,
            ResolvedAt = draft.ResolvedAt is { } resolved ? WholeSeconds(resolved) : null,
        };
    }

    private static Dictionary<string, string>? OtherNames(IEnumerable<(string? Value, string? Display)> pairs)
    {
        Dictionary<string, string>? names = null;
        foreach (var (value, display) in pairs)
        {
            var v = value?.Trim();
            var d = display?.Trim();
            if (!string.IsNullOrEmpty(v) && !string.IsNullOrEmpty(d) && !string.Equals(v, d, StringComparison.OrdinalIgnoreCase))
            {
                names ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                names.TryAdd(v, d);
                names.TryAdd(d, v);
            }
        }

        return names;
    }

    /// <summary>Trimmed, empty ones dropped, duplicates (case-insensitive) dropped, first occurrence's order kept.</summary>
    private static string[] DistinctAliases(IEnumerable<string?> aliases)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var list = new List<string>();
        foreach (var alias in aliases)
        {
            var a = alias?.Trim();
            if (!string.IsNullOrEmpty(a) && seen.Add(a))
            {
                list.Add(a);
            }
        }

        return [.. list];
    }
}
