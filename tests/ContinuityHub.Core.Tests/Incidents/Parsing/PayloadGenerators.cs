using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using CsCheck;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>Generators of incident payloads (random JSON near the parsers' fields, mutated samples, extreme times, bytes) and the check that a parse returns a normalised incident or throws only <see cref="HubValidationException"/>.</summary>
internal static class PayloadGenerators
{
    /// <summary>Every field name the six parsers read, so random objects hit real fields with wrong types and values.</summary>
    internal static readonly string[] s_fieldNames =
    [
        "event", "data", "id", "type", "title", "status", "urgency", "priority", "summary", "service", "created_at", "html_url", "event_type",
        "action", "alert", "alertId", "message", "tags", "entity", "createdAt",
        "schemaId", "essentials", "alertRule", "severity", "monitorCondition", "firedDateTime", "alertTargetIDs", "configurationItems", "investigationLink",
        "issue", "key", "self", "fields", "created", "name", "status", "statusCategory", "components", "labels",
        "result", "sys_id", "number", "short_description", "state", "opened_at", "cmdb_ci", "business_service", "major_incident_state", "value", "display_value",
        "startedAt", "services", "major", "estimatedRestoreAt", "link",
    ];

    /// <summary>Values near the ones the parsers look for: known and unknown enum names, times right and wrong, odd text.</summary>
    internal static readonly string[] s_strings =
    [
        string.Empty, " ", "P1", "p5", "P7", "Sev0", "sev4", "Sev9", "high", "low", "medium", "Close", "Create", "Fired", "Resolved", "done",
        "incident", "incident_note", "incident.resolved", "resolved", "Highest", "Lowest", "Urgent", "1", "1 - Critical", "0", "42", "6", "Canceled",
        "accepted", "azureMonitorCommonAlertSchema", "AzureMonitorMetricAlert", "2026-11-24T09:58:12Z", "2026-11-24T09:58:12.000+0000",
        "2026-11-24 09:58:12", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-11-24T09:58:12.1234567891234Z", "not a date",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1600-12-31T23:59:59Z", "1601-01-01T00:00:00Z", "8999-12-31T23:59:59Z", "9000-01-01T00:00:00Z",
        "2026-11-24T09:58:12.4371245", "0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "1600-12-31 23:59:59",
        "https://contoso.atlassian.net/rest/api/2/issue/1", "http://[::1", "/subscriptions/7c1d9e42", "\uD800", "x\uDC00", "\u0000", "a\"b\\c", "😀",
    ];

    internal static readonly string[] s_numbers =
    [
        "0", "-1", "1.5", "1e400", "-0", "1795514292000", "1795514292118000000", "9223372036854775808", "253402300800000", "-62135596800001",
        "-62135596800000", "253402300799999", "-11644473600001", "-11644473600000", "221845392000000", "221845391999999", "1e20", "99999999999999999999",
    ];

    /// <summary>The fields the parsers read times from (ServiceNow's opened_at holds them in value).</summary>
    internal static readonly HashSet<string> s_timeFields =
        ["firedDateTime", "resolvedDateTime", "startedAt", "estimatedRestoreAt", "created_at", "created", "createdAt", "opened_at", "value"];

    /// <summary>What to put where a time is: extreme and malformed times, as text and as numbers, and wrong types.</summary>
    internal static readonly Gen<string> s_extremeTime = Gen.Frequency(
        (4, Gen.OneOfConst(s_strings).Where(t => t.Length > 0 && char.IsAsciiDigit(t[0])).Select(JsonString)),
        (2, Gen.OneOfConst(s_numbers)),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Int[-9999, 99999].Select(y => JsonString($"{y:D4}-12-31T23:59:59Z"))),
        (1, Gen.Const("null")),
        (1, Gen.Const("{}")));

    internal static readonly Gen<string> s_scalar = Gen.Frequency(
        (2, Gen.Const("null")),
        (1, Gen.Bool.Select(b => b ? "true" : "false")),
        (2, Gen.OneOfConst(s_numbers)),
        (1, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0")),
        (5, Gen.OneOfConst(s_strings).Select(JsonString)),
        (2, Gen.String[0, 12].Select(JsonString)));

    internal static readonly Gen<string> s_name = Gen.Frequency(
        (9, Gen.OneOfConst(s_fieldNames)),
        (1, Gen.String[0, 6]));

    /// <summary>Any JSON value, nested a few levels, with objects built from real field names.</summary>
    internal static readonly Gen<string> s_value = Gen.Recursive<string>((depth, value) => depth >= 4
        ? s_scalar
        : Gen.Frequency(
            (4, s_scalar),
            (2, value.Array[0, 4].Select(items => $"[{string.Join(",", items)}]")),
            (3, Gen.Select(s_name, value).Array[0, 6].Select(Object))));

    internal static readonly Gen<string> s_object = Gen.Select(s_name, s_value).Array[0, 8].Select(Object);

    internal static readonly Gen<AliasSource> s_source = Gen.Enum<AliasSource>();

    /// <summary>The samples in infra/samples and the vendors' own, each with its count of JSON nodes.</summary>
    internal static readonly Lazy<(AliasSource Source, string Json, int Nodes)[]> s_samples = new(() =>
    [
        .. Samples.All().Select(s => (s.Source, Samples.Read(s.Source, s.File))).Concat(Samples.AllVendor()).Select(s =>
        {
            using var document = JsonDocument.Parse(s.Item2);
            return (s.Source, s.Item2, CountNodes(document.RootElement));
        }),
    ]);

    /// <summary>Parses both ways; a refusal must name at least one problem, and an incident must be normalised.</summary>
    internal static void ParseOrRefuse(AliasSource source, string json)
    {
        ParseOrRefuse(() => IncidentParsers.Parse(source, json));
        if (!json.Any(char.IsSurrogate))
        {
            ParseOrRefuse(source, Encoding.UTF8.GetBytes(json));
        }
    }

    internal static void ParseOrRefuse(AliasSource source, byte[] utf8) => ParseOrRefuse(() => IncidentParsers.Parse(source, utf8));

    internal static void ParseOrRefuse(Func<Incident> parse)
    {
        Incident incident;
        try
        {
            incident = parse();
        }
        catch (HubValidationException e)
        {
            Assert.NotEmpty(e.Problems);
            return;
        }

        Assert.Equal(IncidentKey.Create(incident.Source, incident.ExternalId), incident.Key);
        Assert.False(string.IsNullOrWhiteSpace(incident.ExternalId));
        Assert.False(string.IsNullOrWhiteSpace(incident.Title));
        Assert.Equal(TimeSpan.Zero, incident.StartedAt.Offset);
        Assert.True(IncidentTimes.Contains(incident.StartedAt), $"started at {incident.StartedAt:O}");
        Assert.True(incident.EstimatedRestoreAt is not { } eta || IncidentTimes.Contains(eta), $"restore at {incident.EstimatedRestoreAt:O}");
        Assert.True(incident.Priority != Priority.P1 || incident.Major);
        Assert.All(incident.Aliases, a => Assert.Equal(a.Trim(), a));
        Assert.DoesNotContain(string.Empty, incident.Aliases);
        Assert.Equal(incident.Aliases.Count, incident.Aliases.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    internal static string Object(IEnumerable<(string Name, string Value)> properties) =>
        $"{{{string.Join(",", properties.Select(p => $"{JsonString(p.Name)}:{p.Value}"))}}}";

    /// <summary>A JSON string literal; control characters, quotes and every surrogate (even a lone one) as \u escapes.</summary>
    internal static string JsonString(string text)
    {
        var b = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\' || c < ' ' || char.IsSurrogate(c))
            {
                b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                b.Append(c);
            }
        }

        return b.Append('"').ToString();
    }

    internal static int CountNodes(JsonElement element) => 1 + element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Sum(p => CountNodes(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Sum(CountNodes),
        _ => 0,
    };

    /// <summary>
    /// Rewrites a sample with the nodes at the given pre-order positions replaced by other JSON (or, for a null
    /// change, removed when they are a property and made null otherwise).
    /// </summary>
    internal static string Mutate(string json, (int Node, string? Replacement)[] changes)
    {
        var byNode = new Dictionary<int, string?>();
        foreach (var (node, replacement) in changes)
        {
            byNode[node] = replacement;
        }

        using var document = JsonDocument.Parse(json);
        var b = new StringBuilder();
        var index = 0;
        Write(document.RootElement, isProperty: false);
        return b.Length == 0 ? "null" : b.ToString();

        bool Write(JsonElement element, bool isProperty)
        {
            if (byNode.TryGetValue(index, out var replacement))
            {
                index += CountNodes(element);
                if (replacement is null && isProperty)
                {
                    return false;
                }

                b.Append(replacement ?? "null");
                return true;
            }

            index++;
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    b.Append('{');
                    var first = true;
                    foreach (var property in element.EnumerateObject())
                    {
                        var mark = b.Length;
                        b.Append(first ? string.Empty : ",").Append(JsonString(property.Name)).Append(':');
                        if (Write(property.Value, isProperty: true))
                        {
                            first = false;
                        }
                        else
                        {
                            b.Length = mark;
                        }
                    }

                    b.Append('}');
                    break;
                case JsonValueKind.Array:
                    b.Append('[');
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        b.Append(i++ == 0 ? string.Empty : ",");
                        Write(item, isProperty: false);
                    }

                    b.Append(']');
                    break;
                default:
                    b.Append(element.GetRawText());
                    break;
            }

            return true;
        }
    }

    /// <summary>The sample with each string or number under a time field's name replaced by the next of <paramref name="times"/> (raw JSON).</summary>
    internal static string ReplaceTimes(string json, string[] times)
    {
        var root = JsonNode.Parse(json)!;
        var next = 0;
        Walk(root);
        return root.ToJsonString();

        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var name in o.Select(p => p.Key).ToList())
                    {
                        if (s_timeFields.Contains(name) && o[name] is JsonValue)
                        {
                            o[name] = JsonNode.Parse(times[next++ % times.Length]);
                        }
                        else
                        {
                            Walk(o[name]);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }

    internal static byte[] Splice(byte[] bytes, int at, byte[] insert) =>
        [.. bytes.AsSpan(0, Math.Min(at, bytes.Length)), .. insert, .. bytes.AsSpan(Math.Min(at, bytes.Length))];
}
