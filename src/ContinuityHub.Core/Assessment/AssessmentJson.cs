using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Assessment;

/// <summary>
/// The assessment as JSON, the shape `hub simulate --json` prints and the HTTP API returns: camelCase, durations
/// ISO 8601 (<c>PT4H</c>), times ISO 8601 UTC (<c>2026-11-24T10:30:00Z</c>), enumerations by name.
/// </summary>
public static class AssessmentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(IncidentAssessment assessment) => JsonSerializer.Serialize(ToDocument(assessment), Options);

    public static AssessmentDocument ToDocument(IncidentAssessment a) => new(
        a.Level.ToString(),
        ToDocument(a.Incident),
        Time(a.At),
        a.ImpactedServices.Select(s => new ServiceClockDocument(
            s.Id,
            s.Name,
            s.Tier,
            s.Direct,
            s.Via,
            Duration(s.Elapsed),
            Duration(s.Projected),
            Duration(s.Rto),
            Duration(s.Mtpd),
            Time(s.LatestSafeInvocation),
            s.Plan,
            s.Level.ToString())).ToList(),
        a.Plans,
        a.UnknownAliases,
        a.Reasons);

    public static IncidentDocument ToDocument(Incident i) => new(
        i.Key,
        CatalogNames.Name(i.Source),
        i.ExternalId,
        i.Title,
        i.Priority.ToString(),
        i.Major,
        i.State.ToString(),
        Time(i.StartedAt),
        i.EstimatedRestoreAt is { } eta ? Time(eta) : null,
        i.Aliases,
        i.Link)
    {
        SourcePriority = i.SourcePriority,
        ResolvedAt = i.ResolvedAt is { } resolved ? Time(resolved) : null,
        EarlierOutages = i.EarlierOutages.Count > 0 ? [.. i.EarlierOutages.Select(o => new OutageDocument(Time(o.Start), Time(o.End)))] : null,
    };

    public static string Duration(TimeSpan value) => XmlConvert.ToString(value);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

public sealed record AssessmentDocument(
    string Level,
    IncidentDocument Incident,
    string At,
    IReadOnlyList<ServiceClockDocument> ImpactedServices,
    IReadOnlyList<string> Plans,
    IReadOnlyList<string> UnknownAliases,
    IReadOnlyList<string> Reasons);

public sealed record IncidentDocument(
    string Key,
    string Source,
    string ExternalId,
    string Title,
    string Priority,
    bool Major,
    string State,
    string StartedAt,
    string? EstimatedRestoreAt,
    IReadOnlyList<string> Aliases,
    string? Link)
{
    /// <summary>The priority or severity as the source named it, when it named one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SourcePriority { get; init; }

    /// <summary>When the current outage was resolved; absent while the incident is open.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResolvedAt { get; init; }

    /// <summary>The outages before the incident was reopened, oldest first; absent when it never was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OutageDocument>? EarlierOutages { get; init; }
}

/// <summary>An earlier outage of a reopened incident (ISO 8601 UTC).</summary>
public sealed record OutageDocument(string Start, string End);

public sealed record ServiceClockDocument(
    string Id,
    string Name,
    int Tier,
    bool Direct,
    string? Via,
    string Elapsed,
    string Projected,
    string Rto,
    string Mtpd,
    string LatestSafeInvocation,
    string? Plan,
    string Level);
