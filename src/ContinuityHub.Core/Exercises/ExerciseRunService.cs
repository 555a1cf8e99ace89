using System.Globalization;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Exercises;

public enum ExerciseStartOutcome
{
    Started,
    UnknownExercise,

    /// <summary>The exercise has no scenario to play.</summary>
    NoScenario,

    /// <summary>A run of it is still going: end it first.</summary>
    AlreadyRunning,
}

public sealed record ExerciseStartResult(ExerciseStartOutcome Outcome, ExerciseRun? Run);

public enum ExerciseEndOutcome
{
    /// <summary>The end is recorded; the exercise timer ends the run at its next tick.</summary>
    Requested,
    UnknownExercise,
    NotRunning,
}

public sealed record ExerciseEndResult(ExerciseEndOutcome Outcome, ExerciseRun? Run);

/// <summary>What one tick of the exercise timer did.</summary>
public sealed record ExerciseTickResult(int Runs, int InjectsPlayed, int Ended, int SummariesPosted);

/// <summary>
/// Exercises played on the hub itself, in real time or accelerated: <see cref="StartAsync"/> records a run,
/// <see cref="TickAsync"/> (the <c>PlayExercises</c> timer; <c>hub serve</c> runs it too) plays each inject through
/// the real intake once it is due, and when the scenario's <c>resolve</c> comes or someone asks for the end
/// (<see cref="RequestEndAsync"/>) resolves what is still open, writes the after-action report to
/// <c>exercise-reports/{planId}/{exerciseId}/</c>, records the result on the run (the catalogue's exercise reads it from
/// there) and posts the summary card to the continuity channel. A run that fails is logged and tried again at the next
/// tick; it never holds up the others.
/// </summary>
public sealed partial class ExerciseRunService(
    ICatalogProvider catalogs,
    IExerciseRunStore runs,
    IntakeService intake,
    IIncidentStore incidents,
    IAlertStore alerts,
    IExerciseReportStore reports,
    ExerciseAnnouncer announcer,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ExerciseRunService> logger)
{
    /// <summary>The fastest a scenario plays: an hour a second.</summary>
    public const int MaxSpeed = 3600;

    public async Task<ExerciseStartResult> StartAsync(string exerciseId, int speed, string startedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        if (speed is < 1 or > MaxSpeed)
        {
            throw new HubValidationException("speed", string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 (real time) to {MaxSpeed}, not {speed}"));
        }

        var by = string.IsNullOrWhiteSpace(startedBy) ? "unknown" : startedBy.Trim();
        var exercise = (await catalogs.GetAsync(cancellationToken)).Catalog.Exercises.FirstOrDefault(e => e.Id == exerciseId);
        if (exercise is null)
        {
            return new ExerciseStartResult(ExerciseStartOutcome.UnknownExercise, null);
        }

        if (exercise.Scenario.Count == 0)
        {
            return new ExerciseStartResult(ExerciseStartOutcome.NoScenario, null);
        }

        var now = time.GetUtcNow();
        var run = new ExerciseRun(exercise.Id, ExercisePlayer.RunIdOf(now), exercise.Plan, now, speed, by);
        if (!await runs.StartAsync(run, cancellationToken))
        {
            var running = (await runs.ListAsync(exercise.Id, cancellationToken)).FirstOrDefault(r => r.State == ExerciseRunState.Running);
            return new ExerciseStartResult(ExerciseStartOutcome.AlreadyRunning, running);
        }

        await audit.AppendAsync(new AuditEntry(now, by, "exercise-start", exercise.Id, string.Create(CultureInfo.InvariantCulture, $"run {run.RunId} of plan {exercise.Plan} at {speed}x")), cancellationToken);
        Log.Started(logger, exercise.Id, run.RunId, speed, by);
        return new ExerciseStartResult(ExerciseStartOutcome.Started, (await runs.ListAsync(exercise.Id, cancellationToken)).FirstOrDefault(r => r.RunId == run.RunId) ?? run);
    }

    /// <summary>Asks for the end of the exercise's running run: the next tick resolves what is open and writes the report.</summary>
    public async Task<ExerciseEndResult> RequestEndAsync(string exerciseId, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        var by = string.IsNullOrWhiteSpace(requestedBy) ? "unknown" : requestedBy.Trim();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var all = await runs.ListAsync(exerciseId, cancellationToken);
            if (all.FirstOrDefault(r => r.State == ExerciseRunState.Running) is not { } running)
            {
                var known = all.Count > 0 || (await catalogs.GetAsync(cancellationToken)).Catalog.Exercises.Any(e => e.Id == exerciseId);
                return new ExerciseEndResult(known ? ExerciseEndOutcome.NotRunning : ExerciseEndOutcome.UnknownExercise, all.Count > 0 ? all[0] : null);
            }

            if (running.EndRequestedAt is not null)
            {
                return new ExerciseEndResult(ExerciseEndOutcome.Requested, running);
            }

            var now = time.GetUtcNow();
            if (await runs.UpdateAsync(running with { EndRequestedAt = now, EndRequestedBy = by }, cancellationToken) is { } updated)
            {
                await audit.AppendAsync(new AuditEntry(now, by, "exercise-end", exerciseId, $"run {running.RunId}"), cancellationToken);
                return new ExerciseEndResult(ExerciseEndOutcome.Requested, updated);
            }
        }

        throw new ConcurrencyConflictException($"The run of exercise '{exerciseId}' kept changing while its end was asked for; ask again.");
    }

    /// <summary>The runs of an exercise, the latest first.</summary>
    public Task<IReadOnlyList<ExerciseRun>> ListAsync(string exerciseId, CancellationToken cancellationToken) => runs.ListAsync(exerciseId, cancellationToken);

    /// <summary>Plays what is due in every running run, ends those whose end came, and posts summary cards still pending.</summary>
    public async Task<ExerciseTickResult> TickAsync(CancellationToken cancellationToken)
    {
        var active = await runs.ListActiveAsync(cancellationToken);
        if (active.Count == 0)
        {
            return new ExerciseTickResult(0, 0, 0, 0);
        }

        var catalog = (await catalogs.GetAsync(cancellationToken)).Catalog;
        int played = 0, ended = 0, posted = 0;
        foreach (var run in active)
        {
            try
            {
                var step = await AdvanceAsync(run, catalog, cancellationToken);
                played += step.Played;
                ended += step.Ended ? 1 : 0;
                posted += step.Posted ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One run's trouble (storage, a payload) waits for the next tick; the other runs go on.
                Log.RunFailed(logger, run.ExerciseId, run.RunId, e);
            }
        }

        return new ExerciseTickResult(active.Count, played, ended, posted);
    }

    private async Task<(int Played, bool Ended, bool Posted)> AdvanceAsync(ExerciseRun run, ContinuityCatalog catalog, CancellationToken cancellationToken)
    {
        var exercise = catalog.Exercises.FirstOrDefault(e => e.Id == run.ExerciseId);
        if (run.State == ExerciseRunState.Ended)
        {
            return exercise is null ? (0, false, false) : (0, false, await AnnounceAsync(run, exercise, catalog, cancellationToken));
        }

        if (exercise is null)
        {
            // Removed from the catalogue while it ran: nothing to judge it against; it ends without a result.
            Log.ExerciseGone(logger, run.ExerciseId, run.RunId);
            await runs.UpdateAsync(run with { State = ExerciseRunState.Ended, EndedAt = time.GetUtcNow() }, cancellationToken);
            return (0, true, false);
        }

        var mark = ExercisePlayer.MarkOf(exercise, run.StartedAt);
        var player = new ExercisePlayer(intake);
        var current = run;
        var played = 0;
        for (var index = run.Played.Count; index < exercise.Scenario.Count; index++)
        {
            var inject = exercise.Scenario[index];
            if (current.DueAt(inject.At) > time.GetUtcNow())
            {
                break;
            }

            if (inject.Resolve)
            {
                var finished = await FinishAsync(current, exercise, catalog, index, cancellationToken);
                return (played, finished, finished);
            }

            // Played, then recorded: a tick that stops between the two plays it again, and the intake takes the
            // same payload twice as a duplicate.
            var outcome = await player.PlayAsync(exercise, mark, current.StartedAt, index, current.Speed, cancellationToken);
            var next = await runs.UpdateAsync(current with { Played = [.. current.Played, new PlayedInject(index, outcome.At, outcome.IncidentKeys, outcome.Text)] }, cancellationToken);
            if (next is null)
            {
                // Changed meanwhile (another instance of the timer, or an end asked for): the next tick goes on from what is stored.
                return (played + 1, false, false);
            }

            current = next;
            played++;
            Log.InjectPlayed(logger, exercise.Id, current.RunId, index, outcome.Text);
        }

        if (current.EndRequestedAt is not null)
        {
            var finished = await FinishAsync(current, exercise, catalog, null, cancellationToken);
            return (played, finished, finished);
        }

        return (played, false, false);
    }

    /// <summary>The end of outage: resolves what is open, writes the report, records the result, posts the summary.</summary>
    private async Task<bool> FinishAsync(ExerciseRun run, Exercise exercise, ContinuityCatalog catalog, int? resolveIndex, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var note = resolveIndex is null ? $"the exercise ended by {run.EndRequestedBy}" : "the scenario's end of outage";
        var resolved = new List<string>();
        foreach (var key in run.Played.SelectMany(p => p.IncidentKeys).Distinct(StringComparer.Ordinal))
        {
            if (await intake.ResolveExerciseAsync(key, note, cancellationToken) is not null)
            {
                resolved.Add(key);
            }
        }

        var text = resolveIndex is null
            ? string.Create(CultureInfo.InvariantCulture, $"Ended by {run.EndRequestedBy}: {resolved.Count} incident(s) resolved")
            : resolved.Count == 0 ? "End of outage: no incident of the exercise was still open"
            : string.Create(CultureInfo.InvariantCulture, $"End of outage: {resolved.Count} incident(s) resolved");
        var ended = run with
        {
            State = ExerciseRunState.Ended,
            EndedAt = now,
            Played = [.. run.Played, new PlayedInject(resolveIndex ?? -1, now, resolved, text)],
        };
        var report = await BuildAsync(ended, exercise, catalog, cancellationToken);
        foreach (var file in AfterActionFiles.Render(report))
        {
            await reports.WriteAsync(exercise.Plan, exercise.Id, file, cancellationToken);
        }

        var stored = await runs.UpdateAsync(
            ended with
            {
                Result = report.Result,
                AchievedRecovery = run.Speed == 1 ? report.AchievedRecovery : null,
                ReportFolder = report.Folder,
                Summary = ExerciseSummaryState.Pending,
                Figures = new RunFigures(report.TimeToFirstAlert, report.Rto, report.AchievedRecovery, report.Decisions),
            },
            cancellationToken);
        if (stored is null)
        {
            return false;
        }

        Log.Ended(logger, exercise.Id, run.RunId, report.Result, report.Folder);
        await AnnounceAsync(stored, exercise, catalog, cancellationToken);
        return true;
    }

    /// <summary>Posts an ended run's summary card when it is still pending; true when it went out now.</summary>
    private async Task<bool> AnnounceAsync(ExerciseRun run, Exercise exercise, ContinuityCatalog catalog, CancellationToken cancellationToken)
    {
        if (run.Summary != ExerciseSummaryState.Pending)
        {
            return false;
        }

        var report = await BuildAsync(run, exercise, catalog, cancellationToken);
        var state = await announcer.AnnounceAsync(report, run, cancellationToken);
        if (state != ExerciseSummaryState.Pending)
        {
            await runs.UpdateAsync(run with { Summary = state }, cancellationToken);
        }

        return state == ExerciseSummaryState.Posted;
    }

    /// <summary>The after-action report of a run, from what the hub stored of its incidents.</summary>
    private async Task<AfterActionReport> BuildAsync(ExerciseRun run, Exercise exercise, ContinuityCatalog catalog, CancellationToken cancellationToken)
    {
        var stored = new List<ExerciseIncident>();
        foreach (var key in run.Played.SelectMany(p => p.IncidentKeys).Distinct(StringComparer.Ordinal))
        {
            if (await incidents.GetHistoryAsync(key, cancellationToken) is { } history)
            {
                stored.Add(new ExerciseIncident(
                    history,
                    await alerts.ListAlertsAsync(key, cancellationToken),
                    await alerts.ListRunsAsync(key, cancellationToken),
                    await alerts.ListTokensAsync(key, cancellationToken)));
            }
        }

        var injects = run.Played.Select(p => new InjectOutcome(
            p.Index,
            p.At,
            p.Index >= 0 && p.Index < exercise.Scenario.Count ? exercise.Scenario[p.Index] : new ExerciseInject(p.At - run.StartedAt, null, null, null, Resolve: true),
            p.IncidentKeys,
            p.Text)).ToList();
        var report = AfterActionReports.Build(exercise, catalog, run.StartedAt, run.EndedAt ?? time.GetUtcNow(), injects, stored);
        return run.Speed == 1
            ? report
            : report with
            {
                ResultReasons = [.. report.ResultReasons, string.Create(CultureInfo.InvariantCulture, $"Played at {run.Speed}x: the scenario's offsets were divided by {run.Speed} while the hub's clock ran in real time: a rehearsal, so neither its result nor its recovery time is recorded on the exercise.")],
            };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Exercise {ExerciseId} run {RunId} started at {Speed}x by {By}")]
        public static partial void Started(ILogger logger, string exerciseId, string runId, int speed, string by);

        [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Exercise {ExerciseId} run {RunId}: inject {Index} played: {Text}")]
        public static partial void InjectPlayed(ILogger logger, string exerciseId, string runId, int index, string text);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Exercise {ExerciseId} run {RunId} ended: {Result}; after-action report in {Folder}")]
        public static partial void Ended(ILogger logger, string exerciseId, string runId, ExerciseResult result, string folder);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Exercise {ExerciseId} run {RunId} could not go on; the next tick tries again")]
        public static partial void RunFailed(ILogger logger, string exerciseId, string runId, Exception exception);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Exercise {ExerciseId} is no longer in the catalogue; its run {RunId} ends without a result")]
        public static partial void ExerciseGone(ILogger logger, string exerciseId, string runId);
    }
}
