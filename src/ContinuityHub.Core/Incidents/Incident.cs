using System.Globalization;
using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents;

public enum IncidentState
{
    Open,
    Mitigated,
    Resolved,
    Closed,
}

/// <summary>The canonical form of anything that came in, whatever tool it came from.</summary>
/// <param name="Key">Unique per source record: <c>{source}~{escaped externalId}</c> (see <see cref="IncidentKey"/>).</param>
/// <param name="Aliases">How the source named the affected things (CIs, services, resource ids, tags), in its order.</param>
/// <param name="EventId">The source's id for this delivery when it has one (PagerDuty event id), for idempotent intake.</param>
/// <param name="OtherNames">
/// Aliases that name the same thing as another alias of the incident (a ServiceNow reference's value and display
/// value, a PagerDuty service's id and summary), each mapped to its partner: one of the two matching is enough.
/// </param>
public sealed record Incident(
    string Key,
    AliasSource Source,
    string ExternalId,
    string Title,
    Priority Priority,
    bool Major,
    IncidentState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? EstimatedRestoreAt,
    IReadOnlyList<string> Aliases,
    string? Link,
    string? EventId = null,
    IReadOnlyDictionary<string, string>? OtherNames = null)
{
    /// <summary>The other name of the thing <paramref name="alias"/> names, if the source gave two.</summary>
    public string? OtherNameOf(string alias) => OtherNames is not null && OtherNames.TryGetValue(alias, out var other) ? other : null;

    public bool IsOpen => State is IncidentState.Open or IncidentState.Mitigated;

    /// <summary>
    /// The source did not say when the incident started, so <see cref="StartedAt"/> is when this delivery's event
    /// happened (an older PagerDuty v3 acknowledged or resolved event): the start of a new incident, never a
    /// replacement for the start already known.
    /// </summary>
    public bool StartedAtIsEventTime { get; init; }
}

/// <summary>
/// Incident keys: <c>{source}~{externalId}</c> with the characters Table Storage keys forbid (and <c>~</c> and
/// <c>%</c> themselves) percent-encoded, so a key is a valid PartitionKey and splits back unambiguously.
/// </summary>
public static class IncidentKey
{
    public static string Create(AliasSource source, string externalId) =>
        $"{CatalogNames.Name(source)}~{Escape(externalId)}";

    public static string Escape(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '~' || char.IsControl(c))
            {
                foreach (var by in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    b.Append('%').Append(by.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    public static string Unescape(string value) => Uri.UnescapeDataString(value);
}
