using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// The parser for each source, and the way in from a request body: malformed or empty bodies become a
/// <see cref="HubValidationException"/> at <c>body</c>, like every other problem with a payload.
/// </summary>
public static partial class IncidentParsers
{
    private static readonly Dictionary<AliasSource, IIncidentParser> _parsers = new IIncidentParser[]
    {
        new ServiceNowParser(),
        new JiraParser(),
        new PagerDutyParser(),
        new OpsgenieParser(),
        new AzureMonitorParser(),
        new GenericParser(),
        new AlertmanagerParser(),
        new HeartbeatParser(),
    }.ToDictionary(p => p.Source);

    public static IReadOnlyCollection<IIncidentParser> All => _parsers.Values;

    public static IIncidentParser For(AliasSource source) =>
        _parsers.TryGetValue(source, out var parser)
            ? parser
            : throw new ArgumentOutOfRangeException(nameof(source), source, "There is no parser for this source.");

    /// <summary>servicenow, jira, pagerduty, opsgenie, azuremonitor, generic or alertmanager, case-insensitive.</summary>
    public static bool TryGetSource(string? name, out AliasSource source) => CatalogNames.TryParseSource(name, out source);

    public static Incident Parse(AliasSource source, string json)
    {
        var parser = For(source);
        var text = json.AsSpan().TrimStart('\uFEFF');
        if (text.IsWhiteSpace())
        {
            throw Empty();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.AsMemory(json.Length - text.Length));
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
        catch (ArgumentException)
        {
            throw new HubValidationException("body", "not valid JSON: the text has an unpaired surrogate character");
        }

        using (document)
        {
            return parser.Parse(document.RootElement);
        }
    }

    public static Incident Parse(AliasSource source, ReadOnlySpan<byte> utf8Json)
    {
        var parser = For(source);
        var bytes = utf8Json.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        if (bytes.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            throw Empty();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.ToArray());
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }

        using (document)
        {
            return parser.Parse(document.RootElement);
        }
    }

    private static HubValidationException Empty() => new("body", "is empty");

    private static HubValidationException NotJson(JsonException e)
    {
        var reason = Position().Replace(e.Message, string.Empty).TrimEnd().TrimEnd('.');
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? $" (line {line + 1}, byte {position + 1})"
            : string.Empty;
        return new HubValidationException("body", $"not valid JSON: {reason}{where}");
    }

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Position();
}
