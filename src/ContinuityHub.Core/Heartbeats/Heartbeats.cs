using ContinuityHub.Catalog;

namespace ContinuityHub.Heartbeats;

/// <summary>
/// What the hub keeps of one declared heartbeat (the Heartbeats table: PartitionKey the service id, RowKey the name):
/// its latest recovery point, the last beat, the pause, and whether an RPO incident is open for it.
/// </summary>
/// <param name="FirstSeen">When the hub first watched it: the exposure of a heartbeat that never beat counts from then.</param>
/// <param name="LastRecoveryPoint">The newest recovery point any beat reported; null before the first beat.</param>
/// <param name="PausedUntil">While paused: until when (null: until resumed).</param>
/// <param name="RaisedAt">The recovery point of the RPO incident open for it (<c>heartbeat~{service}~{name}</c>); null when none is open.</param>
/// <param name="ETag">The version read; null for a new record.</param>
public sealed record HeartbeatRecord(
    string ServiceId,
    string Name,
    DateTimeOffset FirstSeen,
    DateTimeOffset? LastRecoveryPoint,
    DateTimeOffset? LastBeatAt,
    int Beats,
    bool Paused,
    DateTimeOffset? PausedUntil,
    string? PauseReason,
    DateTimeOffset? RaisedAt,
    string? ETag)
{
    public static HeartbeatRecord New(string serviceId, string name, DateTimeOffset now) =>
        new(serviceId, name, now, null, null, 0, false, null, null, null, null);

    /// <summary>Paused at <paramref name="now"/>: paused, and the pause has not run out.</summary>
    public bool IsPausedAt(DateTimeOffset now) => Paused && (PausedUntil is not { } until || until > now);
}

/// <summary>The heartbeats' records. Implemented on Table Storage by <c>TableHeartbeatStore</c>.</summary>
public interface IHeartbeatStore
{
    Task<HeartbeatRecord?> FindAsync(string serviceId, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<HeartbeatRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds (ETag null) or replaces at its ETag: Written, or Conflict when it changed (or exists) meanwhile.</summary>
    Task<WriteOutcome> WriteAsync(HeartbeatRecord record, CancellationToken cancellationToken);
}

/// <summary>Where a heartbeat stands.</summary>
public enum HeartbeatState
{
    /// <summary>Within its interval (and grace).</summary>
    Ok,

    /// <summary>Past its interval and grace, the exposure still short of the RPO's warning share.</summary>
    Late,

    /// <summary>The exposure reached <see cref="Policy.RpoWarnFraction"/> of the service's RPO.</summary>
    AtRisk,

    /// <summary>The exposure reached the RPO: data since the last recovery point would be lost.</summary>
    Breached,

    Paused,
}

/// <summary>One declared heartbeat as it stands at <see cref="At"/>.</summary>
/// <param name="LastRecoveryPoint">Null when it never beat.</param>
/// <param name="Exposure">Now − the last recovery point (or, never beaten, − when the hub first watched it).</param>
public sealed record HeartbeatStatus(
    BusinessService Service,
    HeartbeatDeclaration Declaration,
    HeartbeatState State,
    DateTimeOffset At,
    DateTimeOffset? LastRecoveryPoint,
    DateTimeOffset? LastBeatAt,
    TimeSpan Exposure,
    DateTimeOffset? PausedUntil,
    string? PauseReason)
{
    /// <summary>Where a heartbeat stands at <paramref name="now"/> for its service's RPO and the policy's warning share.</summary>
    public static HeartbeatStatus Of(BusinessService service, HeartbeatDeclaration declaration, HeartbeatRecord record, Policy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(policy);
        var since = record.LastRecoveryPoint ?? record.FirstSeen;
        var exposure = now > since ? now - since : TimeSpan.Zero;
        var due = (record.LastBeatAt ?? record.FirstSeen) + declaration.Every + declaration.Grace;
        var state = record.IsPausedAt(now) ? HeartbeatState.Paused
            : exposure >= service.Rpo ? HeartbeatState.Breached
            : exposure.Ticks >= (long)(service.Rpo.Ticks * policy.RpoWarnFraction) ? HeartbeatState.AtRisk
            : now > due ? HeartbeatState.Late
            : HeartbeatState.Ok;
        return new HeartbeatStatus(service, declaration, state, now, record.LastRecoveryPoint, record.LastBeatAt, exposure, record.IsPausedAt(now) ? record.PausedUntil : null, record.IsPausedAt(now) ? record.PauseReason : null);
    }
}
