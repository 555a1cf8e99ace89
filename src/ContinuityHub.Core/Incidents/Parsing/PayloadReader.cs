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

    /// <summary>
    /// An ISO 8601 time with an offset (<c>Z</c>, <c>+01:00</c> or <c>+0100</c>), in the range the hub keeps
    /// (<see cref="IncidentTimes"/>). With <paramref name="utcWithoutOffset"/>, a time without an offset is UTC (for
    /// sources that define their times so), else it is a problem.
    /// </summary>
    public DateTimeOffset? Timestamp(PayloadObject parent, string name, bool required = false, bool utcWithoutOffset = false)
    {
        var text = String(parent, name, required);
        return text is null ? null : Timestamp(text, parent.PathOf(name), utcWithoutOffset);
    }

    public DateTimeOffset? Timestamp(string text, string path, bool utcWithoutOffset = false)
    {
        var m = Iso8601().Match(text);
        var hasOffset = m.Groups["z"].Success || m.Groups["oh"].Success;
        if (m.Success && (hasOffset || utcWithoutOffset))
        {
            // Normalise to one exact shape: seconds present, seven fraction digits, offset with a colon.
            var seconds = m.Groups["s"].Success ? m.Groups["s"].Value : "00";
            var fraction = (m.Groups["f"].Value + "0000000")[..7];
            var offset = m.Groups["oh"].Success ? $"{m.Groups["oh"].Value}:{m.Groups["om"].Value}" : "+00:00";
            var local = $"{m.Groups["d"].Value}T{m.Groups["hm"].Value}:{seconds}.{fraction}";
            if (DateTimeOffset.TryParseExact(local + offset, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return Keepable(time.ToUniversalTime(), path, text);
            }

            // A real date and time whose offset takes it past 0001 or 9999 in UTC.
            if (DateTime.TryParseExact(local, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                Problem(path, IncidentTimes.Outside(HumanText.Truncate(text, QuoteLimit + 1)));
                return null;
            }
        }

        Problem(path, $"expected an ISO 8601 time{(utcWithoutOffset ? string.Empty : " with an offset")}, like 2026-11-24T09:58:12Z, got {Quote(text)}");
        return null;
    }

    /// <summary>A time as milliseconds since the Unix epoch (a JSON integer), in the range the hub keeps.</summary>
    public DateTimeOffset? EpochMilliseconds(PayloadObject parent, string name, bool required = false)
    {
        var path = parent.PathOf(name);
        if (!Find(parent, name, required, out var value))
        {
            return null;
        }

        // A number past any DateTimeOffset is most likely in another unit (seconds, microseconds), not a far-off time.
        if (value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt64(out var ms)
            || ms < DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            Problem(path, "expected epoch milliseconds");
            return null;
        }

        return Keepable(DateTimeOffset.FromUnixTimeMilliseconds(ms), path);
    }

    /// <summary>
    /// The one check of every time a parser reads: <paramref name="time"/> when the hub can keep it
    /// (<see cref="IncidentTimes"/>), else null and a problem at <paramref name="path"/> naming it as sent
    /// (<paramref name="sent"/>) or in UTC.
    /// </summary>
    public DateTimeOffset? Keepable(DateTimeOffset time, string path, string? sent = null)
    {
        if (IncidentTimes.Contains(time))
        {
            return time;
        }

        Problem(path, sent is null ? IncidentTimes.Outside(time) : IncidentTimes.Outside(HumanText.Truncate(sent, QuoteLimit + 1)));
        return null;
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
            || draft.Priority is not { } priority
            || draft.StartedAt is not { } startedAt)
        {
            // Every parser reports the required fields it could not find; the fallback message is a safety net.
            throw new HubValidationException(_problems.Count > 0 ? _problems : [new ValidationProblem("body", "is not a complete incident")]);
        }

        // A parser that reads a time itself rather than through Timestamp or Keepable is held to the same range here.
        var outside = new[] { ("startedAt", (DateTimeOffset?)startedAt), ("estimatedRestoreAt", draft.EstimatedRestoreAt) }
            .Where(t => t.Item2 is { } time && !IncidentTimes.Contains(time))
            .Select(t => new ValidationProblem("body", $"the incident's {t.Item1}: {IncidentTimes.Outside(t.Item2!.Value)}"))
            .ToList();
        if (outside.Count > 0)
        {
            throw new HubValidationException(outside);
        }

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
            OtherNames(draft.SameThing));
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

    /// <summary>The hub keeps incident times to the second (Azure Monitor sends seven fraction digits), in UTC.</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerSecond));
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

    [GeneratedRegex(@"^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?<hm>[0-9]{2}:[0-9]{2})(?::(?<s>[0-9]{2})(?:\.(?<f>[0-9]+))?)?(?:(?<z>[Zz])|(?<oh>[+-][0-9]{2}):?(?<om>[0-9]{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
