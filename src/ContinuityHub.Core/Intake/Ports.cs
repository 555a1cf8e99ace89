using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Outbox;

namespace ContinuityHub.Intake;

/// <summary>How a delivery reached the hub.</summary>
public enum IntakeChannel
{
    Http,
    ServiceBus,
    Redrive,

    /// <summary>The hub's own timers: the RPO clock's reports of heartbeats gone late and back.</summary>
    Timer,

    /// <summary>An exercise's inject or its end of outage: never re-driven (it would come back as a real incident).</summary>
    Exercise,
}

/// <summary>What the raw-payload archive knows of a delivery's fate.</summary>
public enum ArchiveStatus
{
    /// <summary>Archived, not yet processed: a crash happened in between, or it is being processed now.</summary>
    Received,

    /// <summary>Applied to its incident (the note names it).</summary>
    Applied,

    /// <summary>Already in its incident's log (the same delivery key came before): nothing changed.</summary>
    Duplicate,

    /// <summary>Refused, for ever: the note says why (the fields, or the fault).</summary>
    Rejected,
}

/// <summary>A delivery as archived: where, from which source, when, by which channel, and what became of it.</summary>
public sealed record ArchivedPayload(string Path, AliasSource Source, DateTimeOffset ReceivedAt, IntakeChannel Channel, ArchiveStatus Status);

/// <summary>
/// The raw payloads (Blob Storage: <c>intake-archive/{yyyy}/{MM}/{dd}/{source}/{id}.json</c>), each written before its
/// delivery is acknowledged, so that nothing acknowledged is ever lost, and each ending Applied, Duplicate or Rejected.
/// </summary>
public interface IPayloadArchive
{
    /// <summary>Stores the body under a new unique name with status Received; returns its path (container/name).</summary>
    Task<string> ArchiveAsync(AliasSource source, DateTimeOffset receivedAt, ReadOnlyMemory<byte> body, IntakeChannel channel, CancellationToken cancellationToken);

    /// <summary>A new unique path (container/name) for a delivery received at <paramref name="receivedAt"/>; nothing is written yet.</summary>
    string NewPath(AliasSource source, DateTimeOffset receivedAt);

    /// <summary>
    /// Stores the body at <paramref name="path"/> (from <see cref="NewPath"/>) with its status and note, in one write:
    /// a delivery whose fate is known when it is archived needs no mark after. A write retried after it succeeded
    /// (the same content there already) is not an error.
    /// </summary>
    Task ArchiveAtAsync(string path, AliasSource source, DateTimeOffset receivedAt, ReadOnlyMemory<byte> body, IntakeChannel channel, ArchiveStatus status, string? note, CancellationToken cancellationToken);

    /// <summary>Records what became of an archived delivery (the incident key, or why it was rejected).</summary>
    Task MarkAsync(string path, ArchiveStatus status, string note, CancellationToken cancellationToken);

    Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Deliveries archived from <paramref name="since"/> to <paramref name="until"/> that are still <see cref="ArchiveStatus.Received"/>.</summary>
    IAsyncEnumerable<ArchivedPayload> ListUnprocessedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>The incident row as stored: the canonical incident, its latest assessment, and where its payloads are.</summary>
/// <param name="ETag">The version read; null for an incident not stored yet.</param>
public sealed record StoredIncident(
    Incident Incident,
    AssessmentLevel Level,
    AssessmentDocument? LatestAssessment,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastUpdated,
    IReadOnlyList<string> ArchivePaths,
    string? ETag)
{
    /// <summary>When the incident last changed, its crisis teams' decisions included (a decision may come after the last delivery).</summary>
    public DateTimeOffset LastChangedWith(IEnumerable<Outbox.PlanAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts.Select(a => a.DecidedAt).Append(LastUpdated).Max() ?? LastUpdated;
    }

    /// <summary>When the newest delivery applied so far was received: an older one (a late re-drive) only adds to the log.</summary>
    public DateTimeOffset? LastReceivedAt { get; init; }

    /// <summary>
    /// The highest level crisis teams have been alerted at since the last stand-down (None: no alert out). The
    /// outbox is planned from it: a rise above it alerts, a fall to None after an alert stands the teams down.
    /// </summary>
    public AssessmentLevel AlertedLevel { get; init; }
}

/// <summary>One delivery in an incident's event log.</summary>
/// <param name="DeliveryKey">The source's event id, else the SHA-256 of the payload: the same delivery twice has the same key.</param>
public sealed record IncidentEvent(
    string DeliveryKey,
    DateTimeOffset ReceivedAt,
    IntakeChannel Channel,
    string ArchivePath,
    IncidentState State,
    Priority Priority,
    string Title);

/// <summary>An assessment recorded in an incident's history (when its level changed, or on the first delivery).</summary>
public sealed record AssessmentEntry(DateTimeOffset At, AssessmentLevel Level, AssessmentDocument Assessment);

/// <summary>An incident with its event log and assessments, oldest first.</summary>
public sealed record IncidentHistory(StoredIncident Incident, IReadOnlyList<IncidentEvent> Events, IReadOnlyList<AssessmentEntry> Assessments);

/// <summary>
/// One atomic change to an incident's partition: the incident row (added when its ETag is null, else replaced if
/// still at that ETag), plus the delivery's event (added; the same delivery key twice is a duplicate), an assessment,
/// and the notification outbox entries the change calls for (added: <c>outbox~…</c> rows).
/// </summary>
public sealed record IncidentWrite(StoredIncident Incident, IncidentEvent? Event, AssessmentEntry? Assessment, IReadOnlyList<Outbox.OutboxEntry>? Outbox = null);


/// <summary>
/// The incident store (DESIGN section 4): one partition per incident key holding the incident row, its event log and
/// its assessments, each write one entity-group transaction.
/// </summary>
public interface IIncidentStore
{
    Task<StoredIncident?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The incident to change and write back conditionally: the store may answer from what this process last wrote
    /// or read of it, or null for a key it has not seen (as if new). A copy that is behind makes the write a
    /// <see cref="WriteOutcome.Conflict"/>, and the next call after a conflict reads the stored row.
    /// </summary>
    Task<StoredIncident?> FindForUpdateAsync(string key, CancellationToken cancellationToken) => FindAsync(key, cancellationToken);

    Task<IncidentHistory?> GetHistoryAsync(string key, CancellationToken cancellationToken);

    /// <exception cref="HubValidationException">The incident has a time outside <see cref="Incidents.IncidentTimes"/>, or a row a time storage cannot keep; nothing is written.</exception>
    Task<WriteOutcome> WriteAsync(IncidentWrite write, CancellationToken cancellationToken);

    /// <summary>Incidents whose state is Open or Mitigated.</summary>
    IAsyncEnumerable<StoredIncident> ListOpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The histories of the incidents that started from <paramref name="startedFrom"/> (inclusive) to
    /// <paramref name="startedBefore"/> (exclusive), whatever their state now; in no particular order.
    /// </summary>
    IAsyncEnumerable<IncidentHistory> ListHistoriesAsync(DateTimeOffset startedFrom, DateTimeOffset startedBefore, CancellationToken cancellationToken);
}

/// <summary>An append-only record of decisions, human actions and refused input.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject, string Detail);

public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);
}
