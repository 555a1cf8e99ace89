using System.Security.Cryptography;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Intake;

/// <summary>A delivery from an ITSM tool or the incident queue, already authenticated by its host.</summary>
public sealed record IntakeRequest(AliasSource Source, ReadOnlyMemory<byte> Body, IntakeChannel Channel)
{
    /// <summary>The exercise the delivery is an inject of: the incident is keyed within the run and marked (channel <see cref="IntakeChannel.Exercise"/>).</summary>
    public ExerciseMark? Exercise { get; init; }
}

/// <summary>What the intake did with a delivery.</summary>
public sealed record IntakeResult(string IncidentKey, AssessmentLevel Level, bool Duplicate, string ArchivePath);

/// <summary>A body larger than the intake takes (<see cref="IntakeService.MaxBodyBytes"/>).</summary>
public sealed class PayloadTooLargeException : Exception
{
    public PayloadTooLargeException()
    {
    }

    public PayloadTooLargeException(string message)
        : base(message)
    {
    }

    public PayloadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A delivery the hub could read but could not apply, and never will by trying again (a value storage cannot keep, or
/// a fault of the hub's own): it is archived as rejected with the reason, audited, and logged as an error.
/// </summary>
public sealed class UnprocessableDeliveryException : Exception
{
    public UnprocessableDeliveryException()
    {
    }

    public UnprocessableDeliveryException(string message)
        : base(message)
    {
    }

    public UnprocessableDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The hub's front door, the same for webhooks, the incident queue and re-drives: normalize, upsert the incident
/// idempotently and assess it in one atomic write per incident, then archive the raw body with what became of it
/// (Applied, Duplicate, Rejected) before the delivery is acknowledged. A write that fails or may not have happened
/// leaves the body archived as Received, for a re-drive. Nothing acknowledged is lost (the archive and the incident
/// have it), nothing is counted twice (the delivery key), nothing is half-written (one entity-group transaction), and
/// every archived delivery ends Applied, Duplicate or Rejected, so a re-drive converges.
/// <para>
/// In a storm: deliveries of one incident are applied one at a time in this process (no ETag conflict storms), a
/// retry of a delivery this process applied is answered from memory (no storage at all), and notifications go out
/// after the write through the dispatcher (<see cref="IOutboxDispatcher"/>), which the hosts run off the request path.
/// </para>
/// </summary>
public sealed partial class IntakeService(
    IPayloadArchive archive,
    IIncidentStore store,
    ICatalogProvider catalogs,
    IAuditLog audit,
    TimeProvider time,
    ILogger<IntakeService> logger,
    IOutboxDispatcher? dispatcher = null)
{
    public const int MaxBodyBytes = 1_000_000;
    private const int MaxAttempts = 100;
    private const int MaxArchivePathsOnRow = 20;

    // How long archiving a delivery whose write failed may take, apart from the request's own deadline.
    private static readonly TimeSpan KeepForRedriveWithin = TimeSpan.FromSeconds(3);

    private readonly KeyedGate _gate = new();
    private readonly RecentDeliveries _recent = new();

    /// <summary>Takes a delivery: reads it, applies it, then archives it with its fate (as Received if it could not be applied now).</summary>
    /// <exception cref="PayloadTooLargeException">The body is over 1 MB (1,000,000 bytes); nothing is stored.</exception>
    /// <exception cref="HubValidationException">The payload is invalid; it is archived as rejected and audited.</exception>
    /// <exception cref="UnprocessableDeliveryException">The payload cannot be applied; it is archived as rejected and audited.</exception>
    public async Task<IntakeResult> ReceiveAsync(IntakeRequest request, CancellationToken cancellationToken)
    {
        if (request.Body.Length > MaxBodyBytes)
        {
            throw new PayloadTooLargeException($"The body is {request.Body.Length} bytes; the intake takes at most {MaxBodyBytes} (1 MB).");
        }

        var receivedAt = time.GetUtcNow();
        Incident incoming;
        try
        {
            incoming = IncidentParsers.Parse(request.Source, request.Body.Span);
            if (request.Exercise is { } exercise)
            {
                incoming = exercise.Apply(incoming);
            }
        }
        catch (HubValidationException e)
        {
            // Kept as it came, with why it was refused: one write.
            var problems = Problems(e);
            var rejected = archive.NewPath(request.Source, receivedAt);
            await archive.ArchiveAtAsync(rejected, request.Source, receivedAt, request.Body, request.Channel, ArchiveStatus.Rejected, problems, cancellationToken);
            await RejectedAsync(request.Source, rejected, problems, cancellationToken);
            throw;
        }

        // A sender's retry of a delivery this process applied: nothing to store, its first copy is archived.
        var deliveryKey = DeliveryKey(incoming, request.Body.Span);
        var sourceName = CatalogNames.Name(request.Source);
        if (_recent.TryGet(incoming.Key, deliveryKey, out var level, out var firstPath))
        {
            Log.Duplicate(logger, incoming.Key, sourceName, deliveryKey);
            return new IntakeResult(incoming.Key, level, true, firstPath);
        }

        // Applied first, then archived with what became of it: two writes, not three (an archive, the write, a mark).
        // Whatever stops the write on the way (storage, the deadline, a crash of the write) leaves the body archived
        // as Received, so a re-drive applies it even when the sender never sends it again.
        var path = archive.NewPath(request.Source, receivedAt);
        Task SettleAsync(ArchiveStatus status, string note, CancellationToken token) =>
            archive.ArchiveAtAsync(path, request.Source, receivedAt, request.Body, request.Channel, status, note, token);
        try
        {
            return await ApplyAsync(request.Source, incoming, deliveryKey, request.Channel, path, receivedAt, SettleAsync, cancellationToken);
        }
        catch (Exception e) when (e is not HubValidationException and not UnprocessableDeliveryException)
        {
            await KeepForRedriveAsync(request, sourceName, path, receivedAt, e);
            throw;
        }
    }

    /// <summary>
    /// Archives a delivery whose write failed or may not have happened as Received, within a few seconds of its own
    /// (the request's deadline may be what failed it). If storage refuses this too, the sender's answer (503) is all
    /// there is: it was not acknowledged.
    /// </summary>
    private async Task KeepForRedriveAsync(IntakeRequest request, string sourceName, string path, DateTimeOffset receivedAt, Exception failure)
    {
        using var grace = new CancellationTokenSource(KeepForRedriveWithin, time);
        try
        {
            await archive.ArchiveAtAsync(path, request.Source, receivedAt, request.Body, request.Channel, ArchiveStatus.Received, null, grace.Token);
            Log.KeptForRedrive(logger, failure, sourceName, path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.NotKept(logger, e, sourceName, path, failure.GetType().Name);
        }
    }

    /// <summary>Processes a delivery that is already archived at <paramref name="archivePath"/> (a re-drive).</summary>
    /// <exception cref="HubValidationException">The payload is invalid; it is marked rejected and audited.</exception>
    /// <exception cref="UnprocessableDeliveryException">The payload cannot be applied; it is marked rejected and audited.</exception>
    public async Task<IntakeResult> ProcessAsync(
        AliasSource source,
        ReadOnlyMemory<byte> body,
        IntakeChannel channel,
        string archivePath,
        DateTimeOffset receivedAt,
        CancellationToken cancellationToken)
    {
        Incident incoming;
        try
        {
            incoming = IncidentParsers.Parse(source, body.Span);
        }
        catch (HubValidationException e)
        {
            var problems = Problems(e);
            await archive.MarkAsync(archivePath, ArchiveStatus.Rejected, problems, cancellationToken);
            await RejectedAsync(source, archivePath, problems, cancellationToken);
            throw;
        }

        return await ApplyAsync(
            source,
            incoming,
            DeliveryKey(incoming, body.Span),
            channel,
            archivePath,
            receivedAt,
            (status, note, token) => archive.MarkAsync(archivePath, status, note, token),
            cancellationToken);
    }

    /// <summary>
    /// An exercise's end of outage (a scenario's <c>resolve</c>, or <c>hub exercise end</c>): the incident resolved
    /// now as if its source had said so, its note archived like a delivery (channel Exercise), and the stand-down
    /// delivered as for any incident. An incident already resolved, or not an exercise's, is left as it is (null).
    /// </summary>
    public async Task<IntakeResult?> ResolveExerciseAsync(string incidentKey, string note, CancellationToken cancellationToken)
    {
        var existing = await store.FindAsync(incidentKey, cancellationToken);
        if (existing is not { Incident: { Exercise: not null, IsOpen: true } incident })
        {
            return null;
        }

        var receivedAt = time.GetUtcNow();
        var body = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { exercise = incident.Exercise.ExerciseId, incidentKey, resolved = receivedAt, note }));
        var path = archive.NewPath(incident.Source, receivedAt);
        var resolved = incident with { State = IncidentState.Resolved, ResolvedAt = receivedAt, StateIsImplied = false, EventId = null };
        return await ApplyAsync(
            incident.Source,
            resolved,
            $"exercise-resolve-{receivedAt.UtcTicks}",
            IntakeChannel.Exercise,
            path,
            receivedAt,
            (status, text, token) => archive.ArchiveAtAsync(path, incident.Source, receivedAt, body, IntakeChannel.Exercise, status, text, token),
            cancellationToken);
    }

    /// <summary>
    /// Whether an exception says something about the delivery (it will fail the same way every time) rather than about
    /// storage or the host now: such a delivery is rejected, never retried for ever.
    /// </summary>
    internal static bool IsPoison(Exception exception) =>
        exception is ArgumentException or FormatException or ArithmeticException or NotSupportedException or KeyNotFoundException
            or IndexOutOfRangeException or NullReferenceException or InvalidCastException or System.Text.Json.JsonException
            or (InvalidOperationException and not ObjectDisposedException);

    private static string DeliveryKey(Incident incoming, ReadOnlySpan<byte> body) =>
        incoming.EventId ?? Convert.ToHexStringLower(SHA256.HashData(body));

    private static string Problems(HubValidationException e) => string.Join("; ", e.Problems);

    private async Task<IntakeResult> ApplyAsync(
        AliasSource source,
        Incident parsed,
        string deliveryKey,
        IntakeChannel channel,
        string archivePath,
        DateTimeOffset receivedAt,
        Func<ArchiveStatus, string, CancellationToken, Task> settle,
        CancellationToken cancellationToken)
    {
        var sourceName = CatalogNames.Name(source);
        Applied applied;
        try
        {
            using (await _gate.EnterAsync(parsed.Key, cancellationToken))
            {
                applied = await WriteAsync(sourceName, parsed, deliveryKey, channel, archivePath, receivedAt, cancellationToken);
            }
        }
        catch (HubValidationException e)
        {
            var problems = Problems(e);
            await settle(ArchiveStatus.Rejected, problems, cancellationToken);
            await RejectedAsync(source, archivePath, problems, cancellationToken);
            throw;
        }
        catch (Exception e) when (IsPoison(e))
        {
            Log.Unprocessable(logger, e, sourceName, archivePath);
            var reason = $"The hub could not apply this delivery ({e.GetType().Name}: {e.Message}).";
            await settle(ArchiveStatus.Rejected, reason, cancellationToken);
            await RejectedAsync(source, archivePath, reason, cancellationToken);
            throw new UnprocessableDeliveryException(
                $"The hub could not apply this delivery; it is kept at {archivePath} as rejected and its fault is in the hub's log.", e);
        }

        // Outside the gate: the next delivery of the incident need not wait for this one's archive.
        await settle(applied.Status, applied.Note, cancellationToken);
        _recent.Add(applied.Result.IncidentKey, deliveryKey, archivePath, applied.Result.Level);

        if (applied.Notify && dispatcher is not null)
        {
            await dispatcher.DispatchAsync(applied.Result.IncidentKey, cancellationToken);
        }

        return applied.Result;
    }

    /// <summary>What a write did: the answer, whether it calls for notifications, and the archive status and note it earns.</summary>
    private sealed record Applied(IntakeResult Result, bool Notify, ArchiveStatus Status, string Note);

    private async Task<Applied> WriteAsync(
        string sourceName,
        Incident parsed,
        string deliveryKey,
        IntakeChannel channel,
        string archivePath,
        DateTimeOffset receivedAt,
        CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        var incoming = parsed.Under(catalog.Policy);
        var delivery = new IncidentEvent(deliveryKey, receivedAt, channel, archivePath, incoming.State, incoming.Priority, incoming.Title);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var existing = await store.FindForUpdateAsync(incoming.Key, cancellationToken);
            var now = time.GetUtcNow();
            // A delivery older than the newest one applied (a late re-drive) joins the log but changes nothing else.
            var late = existing?.LastReceivedAt is { } newest && receivedAt < newest;
            var merged = late ? MergeLate(existing!.Incident, incoming) : Merge(existing?.Incident, incoming, receivedAt);
            var assessment = InvocationClock.Assess(merged, catalog, now);
            var document = AssessmentJson.ToDocument(assessment);
            var (notification, alerted) = NotificationPlanner.Plan(incoming.Key, existing?.AlertedLevel ?? AssessmentLevel.None, existing?.Level ?? AssessmentLevel.None, assessment.Level, assessment.Plans, now);
            var stored = new StoredIncident(
                merged,
                assessment.Level,
                document,
                existing?.FirstSeen ?? receivedAt,
                now,
                [.. (existing?.ArchivePaths ?? []).Append(archivePath).TakeLast(MaxArchivePathsOnRow)],
                existing?.ETag)
            {
                LastReceivedAt = late ? existing!.LastReceivedAt : receivedAt,
                AlertedLevel = alerted,
            };
            var entry = existing is null || existing.Level != assessment.Level ? new AssessmentEntry(now, assessment.Level, document) : null;

            switch (await store.WriteAsync(new IncidentWrite(stored, delivery, entry, notification is null ? null : [notification]), cancellationToken))
            {
                case WriteOutcome.Written:
                    Log.Accepted(logger, incoming.Key, sourceName, assessment.Level, existing is null);
                    if (entry is not null && existing is not null)
                    {
                        Log.LevelChanged(logger, incoming.Key, sourceName, existing.Level, assessment.Level);
                    }

                    return new Applied(new IntakeResult(incoming.Key, assessment.Level, false, archivePath), notification is not null, ArchiveStatus.Applied, incoming.Key);

                case WriteOutcome.Duplicate:
                    var level = existing is { ETag: not null } ? existing.Level : (await store.FindAsync(incoming.Key, cancellationToken))?.Level ?? assessment.Level;
                    Log.Duplicate(logger, incoming.Key, sourceName, deliveryKey);
                    return new Applied(new IntakeResult(incoming.Key, level, true, archivePath), false, ArchiveStatus.Duplicate, $"{incoming.Key} (duplicate delivery)");

                default:
                    Log.Conflict(logger, incoming.Key, sourceName, attempt);
                    break;
            }
        }

        throw new ConcurrencyConflictException($"Incident {incoming.Key} kept changing while this delivery was applied ({MaxAttempts} attempts); it is archived at {archivePath} and a re-drive will apply it.");
    }

    private async Task RejectedAsync(AliasSource source, string archivePath, string problems, CancellationToken cancellationToken)
    {
        var sourceName = CatalogNames.Name(source);
        Log.Rejected(logger, sourceName, archivePath, problems);
        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), $"intake:{sourceName}", "PayloadRejected", archivePath, problems), cancellationToken);
    }

    /// <summary>
    /// The incident after a delivery: the source's latest word on state, priority, title and times; the aliases of
    /// every delivery (an update need not repeat them); an estimate kept until the source gives a new one; when either
    /// start is only an event's time (never before the real start), the earlier of the two. A delivery that does not
    /// say the state (<see cref="Incident.StateIsImplied"/>) keeps the known one.
    /// <para>
    /// A reopen (a resolved or closed incident, then a delivery that says it is open) starts a new outage: its start
    /// is the source's reopen time, else the source's start when that is after the last resolve, else when the hub
    /// received the delivery (ServiceNow and Jira repeat the original creation); the earlier outage is kept in
    /// <see cref="Incident.EarlierOutages"/> and the old estimate dropped. Later deliveries that repeat the original
    /// start keep the reopen's.
    /// </para>
    /// </summary>
    internal static Incident Merge(Incident? existing, Incident incoming, DateTimeOffset receivedAt)
    {
        if (existing is null)
        {
            return incoming.IsOpen || incoming.ResolvedAt is not null ? incoming : incoming with { ResolvedAt = receivedAt };
        }

        var state = incoming.StateIsImplied ? existing.State : incoming.State;
        var joined = Join(existing, incoming) with { State = state, StateIsImplied = false, ReopenedAt = null, EarlierOutages = existing.EarlierOutages };
        var open = state is IncidentState.Open or IncidentState.Mitigated;
        if (!existing.IsOpen && open)
        {
            var resolvedAt = existing.ResolvedAt ?? receivedAt;
            var start = incoming.ReopenedAt
                ?? (incoming.StartedAt > resolvedAt && !incoming.StartedAtIsEventTime ? incoming.StartedAt : IncidentTimes.WholeSeconds(receivedAt));
            return joined with
            {
                StartedAt = start,
                StartedAtIsEventTime = false,
                EstimatedRestoreAt = incoming.EstimatedRestoreAt,
                ResolvedAt = null,
                EarlierOutages = [.. existing.EarlierOutages.Append(new Outage(existing.StartedAt, resolvedAt)).TakeLast(Incident.MaxEarlierOutages)],
            };
        }

        var startedAt = existing.EarlierOutages.Count > 0 && incoming.StartedAt < existing.EarlierOutages[^1].End
            ? existing.StartedAt
            : joined.StartedAt;
        return joined with
        {
            StartedAt = startedAt,
            ResolvedAt = open ? null : existing.ResolvedAt ?? incoming.ResolvedAt ?? receivedAt,
        };
    }

    /// <summary>
    /// The incident after a delivery older than the newest one applied (a late re-drive): it adds what it names
    /// (aliases, a link or an estimate the incident lacks) and changes nothing the newer deliveries said.
    /// </summary>
    internal static Incident MergeLate(Incident existing, Incident late) =>
        existing with
        {
            // Before any reopen, a late delivery with the real start corrects a start that was only an event's time.
            StartedAt = existing.EarlierOutages.Count == 0 && (existing.StartedAtIsEventTime || late.StartedAtIsEventTime) && late.StartedAt < existing.StartedAt
                ? late.StartedAt
                : existing.StartedAt,
            StartedAtIsEventTime = existing.StartedAtIsEventTime && (late.StartedAtIsEventTime || existing.EarlierOutages.Count > 0),
            Aliases = [.. existing.Aliases.Concat(late.Aliases).Distinct(StringComparer.OrdinalIgnoreCase)],
            OtherNames = OtherNames(existing, late),
            EstimatedRestoreAt = existing.EstimatedRestoreAt ?? (existing.IsOpen ? late.EstimatedRestoreAt : null),
            Link = existing.Link ?? late.Link,
        };

    /// <summary>The incoming delivery's word with the aliases, other names, link and estimate of both, and the start rule for event times.</summary>
    private static Incident Join(Incident existing, Incident incoming) =>
        incoming with
        {
            Aliases = [.. existing.Aliases.Concat(incoming.Aliases).Distinct(StringComparer.OrdinalIgnoreCase)],
            OtherNames = OtherNames(existing, incoming),
            StartedAt = incoming.StartedAtIsEventTime || existing.StartedAtIsEventTime
                ? (existing.StartedAt < incoming.StartedAt ? existing.StartedAt : incoming.StartedAt)
                : incoming.StartedAt,
            StartedAtIsEventTime = incoming.StartedAtIsEventTime && existing.StartedAtIsEventTime,
            EstimatedRestoreAt = incoming.EstimatedRestoreAt ?? existing.EstimatedRestoreAt,
            Link = incoming.Link ?? existing.Link,
        };

    private static Dictionary<string, string>? OtherNames(Incident first, Incident second)
    {
        Dictionary<string, string>? otherNames = null;
        foreach (var names in new[] { first.OtherNames, second.OtherNames })
        {
            if (names is null)
            {
                continue;
            }

            otherNames ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in names)
            {
                otherNames[k] = v;
            }
        }

        return otherNames;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Incident {IncidentKey} from {Source} accepted at {Level} (new: {IsNew})")]
        public static partial void Accepted(ILogger logger, string incidentKey, string source, AssessmentLevel level, bool isNew);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Incident {IncidentKey} from {Source}: duplicate delivery {DeliveryKey}, nothing changed")]
        public static partial void Duplicate(ILogger logger, string incidentKey, string source, string deliveryKey);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Payload from {Source} archived at {ArchivePath} rejected: {Problems}")]
        public static partial void Rejected(ILogger logger, string source, string archivePath, string problems);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Incident {IncidentKey} from {Source} changed while applying a delivery (attempt {Attempt}); retrying")]
        public static partial void Conflict(ILogger logger, string incidentKey, string source, int attempt);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Incident {IncidentKey} from {Source} level changed from {From} to {To}")]
        public static partial void LevelChanged(ILogger logger, string incidentKey, string source, AssessmentLevel from, AssessmentLevel to);

        [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Delivery from {Source} not acknowledged; archived at {ArchivePath} as received, for a re-drive to finish")]
        public static partial void KeptForRedrive(ILogger logger, Exception exception, string source, string archivePath);

        [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Delivery from {Source} not applied now ({Failure}) and not archived at {ArchivePath} either; the sender was not acknowledged and must send it again")]
        public static partial void NotKept(ILogger logger, Exception exception, string source, string archivePath, string failure);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Payload from {Source} archived at {ArchivePath} could not be applied; it is marked rejected")]
        public static partial void Unprocessable(ILogger logger, Exception exception, string source, string archivePath);
    }
}
