using System.Text.Json;
using System.Text.Json.Serialization;
using ContinuityHub.Heartbeats;

namespace ContinuityHub.Reporting;

/// <summary>
/// The RPO clock's part of the report: each service's data exposure against its RPO as the report was built (from its
/// heartbeats), and the RPO incidents the hub raised in the period (from the incident histories).
/// </summary>
/// <param name="Services">One row per catalogued service that declares heartbeats, in catalogue order; empty when the report was built without them (a catalogue file alone).</param>
/// <param name="Events">The RPO incidents of the period, by recovery point.</param>
public sealed record RpoSummary(IReadOnlyList<RpoExposure> Services, IReadOnlyList<RpoEvent> Events)
{
    public static RpoSummary Empty { get; } = new([], []);
}

/// <summary>
/// A service's data exposure now: that of its worst heartbeat, the one with the oldest latest recovery point (paused
/// heartbeats only count when all of the service's are paused: then the state is <see cref="HeartbeatState.Paused"/>).
/// JSON writes the RPO and the exposure in whole seconds (<c>rpoSeconds</c>, <c>exposureSeconds</c>).
/// </summary>
/// <param name="Service">The service id.</param>
/// <param name="Heartbeat">The name of the heartbeat the exposure is that of.</param>
/// <param name="State">That heartbeat's state.</param>
public sealed record RpoExposure(
    string Service,
    string Name,
    [property: JsonPropertyName("rpoSeconds"), JsonConverter(typeof(WholeSecondsConverter))] TimeSpan Rpo,
    [property: JsonPropertyName("exposureSeconds"), JsonConverter(typeof(WholeSecondsConverter))] TimeSpan Exposure,
    string Heartbeat,
    HeartbeatState State)
{
    /// <summary>One row per service of <paramref name="heartbeats"/>, in the order the services first appear: each service's worst heartbeat.</summary>
    public static IReadOnlyList<RpoExposure> PerService(IEnumerable<HeartbeatStatus> heartbeats)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        var order = new List<string>();
        var worst = new Dictionary<string, HeartbeatStatus>(StringComparer.Ordinal);
        foreach (var heartbeat in heartbeats)
        {
            var id = heartbeat.Service.Id;
            if (!worst.TryGetValue(id, out var kept))
            {
                order.Add(id);
                worst[id] = heartbeat;
            }
            else if (Worse(heartbeat, kept))
            {
                worst[id] = heartbeat;
            }
        }

        return [.. order.Select(id => worst[id]).Select(h => new RpoExposure(h.Service.Id, h.Service.Name, h.Service.Rpo, h.Exposure, h.Declaration.Name, h.State))];
    }

    // A watched heartbeat before a paused one, then the larger exposure, then the worse state; the first declared on a tie.
    private static bool Worse(HeartbeatStatus candidate, HeartbeatStatus kept)
    {
        var (pausedCandidate, pausedKept) = (candidate.State == HeartbeatState.Paused, kept.State == HeartbeatState.Paused);
        if (pausedCandidate != pausedKept)
        {
            return pausedKept;
        }

        return candidate.Exposure != kept.Exposure ? candidate.Exposure > kept.Exposure : candidate.State > kept.State;
    }
}

/// <summary>How far an RPO incident went.</summary>
public enum RpoLevel
{
    /// <summary>Assessed at Alert at most: the exposure reached the policy's warning share of the RPO.</summary>
    AtRisk,

    /// <summary>Assessed at RecommendInvocation or above: the exposure reached the RPO.</summary>
    Breached,
}

/// <summary>
/// One RPO incident of the period: a heartbeat's incident (<c>heartbeat~{service}~{heartbeat}</c>) from raise to
/// resolution. A heartbeat's incident key is reused each time its data is at risk again, so one key can give
/// several events, one per time it was raised.
/// </summary>
/// <param name="RecoveryPointAt">The incident's start: the last recovery point when it was raised.</param>
/// <param name="RaisedAt">When the hub raised it (first saw it, or saw it open again).</param>
/// <param name="ResolvedAt">When a fresh recovery point (or a pause) resolved it; null while open.</param>
public sealed record RpoEvent(
    string IncidentKey,
    string Service,
    string Heartbeat,
    RpoLevel Worst,
    DateTimeOffset RecoveryPointAt,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ResolvedAt);

/// <summary>Where the report reads the services' current RPO exposures (implemented over the heartbeats).</summary>
public interface IRpoExposureSource
{
    /// <summary>One row per service that declares heartbeats, as they stand now.</summary>
    Task<IReadOnlyList<RpoExposure>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>A duration as a JSON number of whole seconds (rounded down).</summary>
internal sealed class WholeSecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromSeconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Ticks / TimeSpan.TicksPerSecond);
    }
}
