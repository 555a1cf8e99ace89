using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Heartbeats;

public enum BeatOutcome
{
    /// <summary>Recorded: 200.</summary>
    Recorded,

    /// <summary>Recorded while the heartbeat is paused: 202.</summary>
    Paused,

    /// <summary>The catalogue declares no such heartbeat: 404, nothing created.</summary>
    Undeclared,
}

/// <summary>What a heartbeat call came to, with the heartbeat as it now stands (null when undeclared).</summary>
public sealed record BeatResult(BeatOutcome Outcome, HeartbeatStatus? Status, string Message);

/// <summary>What an RPO check did.</summary>
public sealed record HeartbeatCheckResult(int Heartbeats, int Raised, int Resolved);

/// <summary>
/// The RPO clock (DESIGN "Heartbeats and maintenance"): records the heartbeats backup and replication jobs report
/// (<c>POST /api/heartbeats/{serviceId}/{name}</c>), pauses and resumes them, and — on its timer
/// (<c>%HeartbeatSchedule%</c>) — raises an incident of its own through the intake when a heartbeat's data exposure
/// reaches the policy's share of its service's RPO (<c>heartbeat~{serviceId}~{name}</c>, assessed on the RPO clock:
/// Alert at risk, RecommendInvocation past the RPO), and resolves it when a heartbeat brings a fresh recovery point
/// (or the heartbeat is paused): the crisis team stands down.
/// </summary>
public sealed partial class HeartbeatService(
    IHeartbeatStore store,
    ICatalogProvider catalogs,
    IntakeService intake,
    TimeProvider time,
    ILogger<HeartbeatService> logger)
{
    private const int MaxAttempts = 10;

    /// <summary>How far in the future a reported recovery point may lie (clock skew) before it is refused.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>A job completed: its recovery point (default now) is recorded; a recovery point older than the one kept does not move it back.</summary>
    public async Task<BeatResult> BeatAsync(string serviceId, string name, DateTimeOffset? recoveryPointAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var point = recoveryPointAt ?? now;
        if (point > now + MaxSkew)
        {
            throw new HubValidationException([new ValidationProblem("recoveryPointAt", $"is in the future ({AssessmentJson.Time(point)}; now {AssessmentJson.Time(now)}): a recovery point is secured, not planned")]);
        }

        var (service, declaration, catalog) = await DeclaredAsync(serviceId, name, cancellationToken);
        var policy = catalog.Policy;
        if (service is null || declaration is null)
        {
            return new BeatResult(BeatOutcome.Undeclared, null, Undeclared(serviceId, name));
        }

        var record = await UpdateAsync(serviceId, name, now, r => r with
        {
            LastRecoveryPoint = r.LastRecoveryPoint is { } kept && kept > point ? kept : point,
            LastBeatAt = now,
            Beats = r.Beats + 1,
        }, cancellationToken);
        record = await SettleAsync(catalog, service, declaration, record, now, cancellationToken);
        var status = HeartbeatStatus.Of(service, declaration, record, policy, now);
        Log.Beat(logger, serviceId, name, point, status.State);
        return status.State == HeartbeatState.Paused
            ? new BeatResult(BeatOutcome.Paused, status, $"Recorded; heartbeat {name} of {serviceId} is paused{Until(status.PausedUntil)}: it raises no RPO incident.")
            : new BeatResult(BeatOutcome.Recorded, status, $"Recorded: the last recovery point of {serviceId} ({name}) is {AssessmentJson.Time(record.LastRecoveryPoint!.Value)}.");
    }

    /// <summary>Pauses a heartbeat (until <paramref name="until"/>, or until resumed): it raises no RPO incident, and one open is resolved.</summary>
    public Task<BeatResult> PauseAsync(string serviceId, string name, DateTimeOffset? until, string? reason, CancellationToken cancellationToken) =>
        SetPauseAsync(serviceId, name, paused: true, until, reason, cancellationToken);

    public Task<BeatResult> ResumeAsync(string serviceId, string name, CancellationToken cancellationToken) =>
        SetPauseAsync(serviceId, name, paused: false, null, null, cancellationToken);

    /// <summary>Every heartbeat the catalogue declares, as it stands now (a heartbeat never seen counts from now).</summary>
    public async Task<IReadOnlyList<HeartbeatStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = await catalogs.GetAsync(cancellationToken);
        var records = (await store.ListAsync(cancellationToken)).ToDictionary(r => (r.ServiceId, r.Name));
        return [.. Declared(catalog).Select(d => HeartbeatStatus.Of(d.Service, d.Heartbeat, records.GetValueOrDefault((d.Service.Id, d.Heartbeat.Name)) ?? HeartbeatRecord.New(d.Service.Id, d.Heartbeat.Name, now), catalog.Policy, now))];
    }

    /// <summary>The timer's run: each declared heartbeat's exposure against its RPO, an incident raised or resolved where it crossed.</summary>
    public async Task<HeartbeatCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = await catalogs.GetAsync(cancellationToken);
        var records = (await store.ListAsync(cancellationToken)).ToDictionary(r => (r.ServiceId, r.Name));
        int count = 0, raised = 0, resolved = 0;
        foreach (var (service, declaration) in Declared(catalog))
        {
            count++;
            var record = records.GetValueOrDefault((service.Id, declaration.Name));
            if (record is null)
            {
                // First watched now: the exposure of a job that never reports counts from here.
                record = await UpdateAsync(service.Id, declaration.Name, now, r => r, cancellationToken);
            }

            var wasRaised = record.RaisedAt is not null;
            record = await SettleAsync(catalog, service, declaration, record, now, cancellationToken);
            raised += !wasRaised && record.RaisedAt is not null ? 1 : 0;
            resolved += wasRaised && record.RaisedAt is null ? 1 : 0;
        }

        // A heartbeat the catalogue no longer declares raises nothing more: an incident it left open is resolved.
        var declared = Declared(catalog).Select(d => (d.Service.Id, d.Heartbeat.Name)).ToHashSet();
        foreach (var orphan in records.Values.Where(r => r.RaisedAt is not null && !declared.Contains((r.ServiceId, r.Name))))
        {
            var name = catalog.Services.FirstOrDefault(s => s.Id == orphan.ServiceId)?.Name ?? orphan.ServiceId;
            await ReportAsync(orphan.ServiceId, name, orphan.Name, "Resolved", orphan.RaisedAt!.Value, now, cancellationToken);
            await UpdateAsync(orphan.ServiceId, orphan.Name, now, r => r with { RaisedAt = null }, cancellationToken);
            resolved++;
        }

        return new HeartbeatCheckResult(count, raised, resolved);
    }

    /// <summary>The incident key of a heartbeat's RPO incident.</summary>
    public static string IncidentKeyOf(string serviceId, string name) => Incidents.IncidentKey.Create(AliasSource.Heartbeat, serviceId + "~" + name);

    private async Task<BeatResult> SetPauseAsync(string serviceId, string name, bool paused, DateTimeOffset? until, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (paused && until is { } end && end <= now)
        {
            throw new HubValidationException([new ValidationProblem("until", $"is not in the future ({AssessmentJson.Time(end)}; now {AssessmentJson.Time(now)})")]);
        }

        var (service, declaration, catalog) = await DeclaredAsync(serviceId, name, cancellationToken);
        var policy = catalog.Policy;
        if (service is null || declaration is null)
        {
            return new BeatResult(BeatOutcome.Undeclared, null, Undeclared(serviceId, name));
        }

        var text = string.IsNullOrWhiteSpace(reason) ? null : HumanText.Truncate(reason.Trim(), 500);
        var record = await UpdateAsync(serviceId, name, now, r => r with { Paused = paused, PausedUntil = paused ? until : null, PauseReason = paused ? text : null }, cancellationToken);
        record = await SettleAsync(catalog, service, declaration, record, now, cancellationToken);
        var status = HeartbeatStatus.Of(service, declaration, record, policy, now);
        Log.PauseChanged(logger, serviceId, name, paused, until);
        return new BeatResult(
            paused ? BeatOutcome.Paused : BeatOutcome.Recorded,
            status,
            paused ? $"Heartbeat {name} of {serviceId} is paused{Until(until)}: it raises no RPO incident." : $"Heartbeat {name} of {serviceId} is watched again: {status.State}.");
    }

    /// <summary>
    /// Raises the heartbeat's RPO incident when its exposure reached the warning share (and it is not paused), or
    /// resolves the one open when it no longer has; recorded on the heartbeat once the intake took the report.
    /// </summary>
    private async Task<HeartbeatRecord> SettleAsync(CatalogIndex catalog, BusinessService service, HeartbeatDeclaration declaration, HeartbeatRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = HeartbeatStatus.Of(service, declaration, record, catalog.Policy, now).State;
        var atRisk = state is HeartbeatState.AtRisk or HeartbeatState.Breached;

        // Planned work on the service holds its heartbeats' incidents back until the window ends.
        var maintained = MaintenanceCalendar.For(catalog.Catalog.Maintenance, service.Id, catalog.Policy.Calendar, now) is not null;
        if (atRisk && record.RaisedAt is null && !maintained)
        {
            var point = record.LastRecoveryPoint ?? record.FirstSeen;
            await ReportAsync(service.Id, service.Name, declaration.Name, "Open", point, now, cancellationToken);
            Log.Raised(logger, service.Id, declaration.Name, point);
            return await UpdateAsync(service.Id, declaration.Name, now, r => r with { RaisedAt = point }, cancellationToken);
        }

        if (!atRisk && record.RaisedAt is { } raised)
        {
            await ReportAsync(service.Id, service.Name, declaration.Name, "Resolved", raised, now, cancellationToken);
            Log.Resolved(logger, service.Id, declaration.Name, state);
            return await UpdateAsync(service.Id, declaration.Name, now, r => r with { RaisedAt = null }, cancellationToken);
        }

        return record;
    }

    private async Task ReportAsync(string serviceId, string serviceName, string heartbeat, string state, DateTimeOffset recoveryPoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var title = state == "Open"
            ? $"RPO at risk: {serviceName} ({heartbeat}: last recovery point {HumanText.Time(recoveryPoint)})"
            : $"RPO restored: {serviceName} ({heartbeat})";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Report(serviceId, heartbeat, state, recoveryPoint, title, now), _json);
        await intake.ReceiveAsync(new IntakeRequest(AliasSource.Heartbeat, body, IntakeChannel.Timer), cancellationToken);
    }

    /// <summary>
    /// Reads, changes and writes the heartbeat's record (created when it has none), again while it changed meanwhile.
    /// Returns the record as written without reading it back: every change starts from a fresh read, so no caller
    /// needs its new ETag.
    /// </summary>
    private async Task<HeartbeatRecord> UpdateAsync(string serviceId, string name, DateTimeOffset now, Func<HeartbeatRecord, HeartbeatRecord> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await store.FindAsync(serviceId, name, cancellationToken) ?? HeartbeatRecord.New(serviceId, name, now);
            var changed = change(current);
            if (await store.WriteAsync(changed, cancellationToken) == WriteOutcome.Written)
            {
                return changed with { ETag = null };
            }
        }

        throw new ConcurrencyConflictException($"Heartbeat {name} of {serviceId} kept changing; try again.");
    }

    private async Task<(BusinessService? Service, HeartbeatDeclaration? Declaration, CatalogIndex Catalog)> DeclaredAsync(string serviceId, string name, CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        var service = catalog.Services.FirstOrDefault(s => string.Equals(s.Id, serviceId, StringComparison.Ordinal));
        return (service, service?.Heartbeats.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal)), catalog);
    }

    private static IEnumerable<(BusinessService Service, HeartbeatDeclaration Heartbeat)> Declared(CatalogIndex catalog) =>
        catalog.Services.SelectMany(s => s.Heartbeats.Select(h => (s, h)));

    private static string Undeclared(string serviceId, string name) =>
        $"The catalogue declares no heartbeat '{name}' for service '{serviceId}' (services[].heartbeats[].name); nothing was recorded.";

    private static string Until(DateTimeOffset? until) => until is { } end ? " until " + HumanText.Time(end) : string.Empty;

    // The RPO report the intake reads (HeartbeatParser).
    private sealed record Report(string Service, string Heartbeat, string State, DateTimeOffset RecoveryPointAt, string Title, DateTimeOffset At);

    private static partial class Log
    {
        [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Heartbeat {Name} of {Service}: recovery point {RecoveryPoint}, now {State}")]
        public static partial void Beat(ILogger logger, string service, string name, DateTimeOffset recoveryPoint, HeartbeatState state);

        [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "RPO at risk for {Service}: heartbeat {Name}'s last recovery point is {RecoveryPoint}; incident raised")]
        public static partial void Raised(ILogger logger, string service, string name, DateTimeOffset recoveryPoint);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "RPO of {Service} no longer at risk ({Name} is {State}): incident resolved")]
        public static partial void Resolved(ILogger logger, string service, string name, HeartbeatState state);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Heartbeat {Name} of {Service}: paused {Paused} until {Until}")]
        public static partial void PauseChanged(ILogger logger, string service, string name, bool paused, DateTimeOffset? until);
    }
}
