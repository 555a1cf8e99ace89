using ContinuityHub.Catalog;
using ContinuityHub.Reporting;

namespace ContinuityHub.Exercises;

/// <summary>Where a playing of an exercise on the hub stands.</summary>
public enum ExerciseRunState
{
    /// <summary>Its injects are played as they fall due (by the <c>PlayExercises</c> timer).</summary>
    Running,

    /// <summary>Its end of outage came (the scenario's <c>resolve</c> or <c>hub exercise end</c>): result recorded, report written.</summary>
    Ended,
}

/// <summary>What became of an ended run's summary card to the continuity channel.</summary>
public enum ExerciseSummaryState
{
    /// <summary>Not ended yet, so nothing to post.</summary>
    None,

    /// <summary>No continuity channel is configured: the card is off, not failed.</summary>
    NotConfigured,

    Posted,

    /// <summary>Teams could not be reached; the next tick of the exercise timer tries again.</summary>
    Pending,

    /// <summary>Teams refused the post for good.</summary>
    Failed,
}

/// <summary>
/// An ended run's figures from its after-action report, kept for the continuity report: time to first alert, the
/// RTO judged against, the recovery measured (at any speed), the decisions against the latest safe invocation time.
/// </summary>
public sealed record RunFigures(TimeSpan? TimeToFirstAlert, TimeSpan Rto, TimeSpan? MeasuredRecovery, IReadOnlyList<DecisionTiming> Decisions);

/// <summary>An inject a run has played: when, the incidents it went to, and its line of the timeline.</summary>
public sealed record PlayedInject(int Index, DateTimeOffset At, IReadOnlyList<string> IncidentKeys, string Text);

/// <summary>
/// One playing of an exercise's scenario on the hub (Table Storage: the ExerciseRuns table, PartitionKey the exercise
/// id, RowKey the run id). <see cref="Speed"/> divides every offset of the scenario: at 60, an inject at 1h is played
/// one minute after the start. The hub's own clock (levels, latest safe invocation, escalation) runs in real time.
/// </summary>
public sealed record ExerciseRun(string ExerciseId, string RunId, string Plan, DateTimeOffset StartedAt, int Speed, string StartedBy)
{
    public ExerciseRunState State { get; init; } = ExerciseRunState.Running;

    public IReadOnlyList<PlayedInject> Played { get; init; } = [];

    /// <summary>When someone asked for the end (<c>hub exercise end</c>, <c>POST /api/exercises/{id}/end</c>); the timer ends it.</summary>
    public DateTimeOffset? EndRequestedAt { get; init; }

    public string? EndRequestedBy { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public ExerciseResult? Result { get; init; }

    /// <summary>The recovery achieved, recorded only for a run in real time (an accelerated one measures the script, not the team).</summary>
    public TimeSpan? AchievedRecovery { get; init; }

    /// <summary>Where its after-action report is: <c>exercise-reports/{planId}/{exerciseId}/</c>.</summary>
    public string? ReportFolder { get; init; }

    public ExerciseSummaryState Summary { get; init; } = ExerciseSummaryState.None;

    /// <summary>The ended run's figures (null while it runs).</summary>
    public RunFigures? Figures { get; init; }

    /// <summary>Played faster than real time: a rehearsal, not recorded on the exercise.</summary>
    public bool Rehearsal => Speed > 1;

    /// <summary>The stored row's ETag (null for a run not stored yet).</summary>
    public string? ETag { get; init; }

    /// <summary>Where the scenario is now: the time since the start, times the speed.</summary>
    public TimeSpan ScenarioTime(DateTimeOffset now) => (now - StartedAt) * Speed;

    /// <summary>When an inject at <paramref name="offset"/> is due, in real time.</summary>
    public DateTimeOffset DueAt(TimeSpan offset) => StartedAt + (offset / Speed);
}

/// <summary>The playings of exercises on the hub (Table Storage: the ExerciseRuns table).</summary>
public interface IExerciseRunStore
{
    /// <summary>Stores a new run; false when a run of the same exercise is still running (nothing written).</summary>
    Task<bool> StartAsync(ExerciseRun run, CancellationToken cancellationToken);

    /// <summary>The runs of one exercise, the latest first.</summary>
    Task<IReadOnlyList<ExerciseRun>> ListAsync(string exerciseId, CancellationToken cancellationToken);

    /// <summary>Every run the exercise timer has work for: running, or ended with its summary card still pending.</summary>
    Task<IReadOnlyList<ExerciseRun>> ListActiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The latest ended run in real time of every exercise that has one (what is recorded on the exercise); an
    /// accelerated run is a rehearsal and is not.
    /// </summary>
    Task<IReadOnlyList<ExerciseRun>> ListEndedAsync(CancellationToken cancellationToken);

    /// <summary>Every run, at any speed, that ended from <paramref name="endedFrom"/> up to, not including, <paramref name="endedBefore"/>; by end.</summary>
    Task<IReadOnlyList<ExerciseRun>> ListEndedAsync(DateTimeOffset endedFrom, DateTimeOffset endedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored run, conditional on <see cref="ExerciseRun.ETag"/>; returns it with its new ETag, or null
    /// when it changed meanwhile (nothing written). A run now Ended no longer holds its exercise.
    /// </summary>
    Task<ExerciseRun?> UpdateAsync(ExerciseRun run, CancellationToken cancellationToken);
}

/// <summary>The after-action reports of exercises played on the hub (Blob Storage: <c>exercise-reports/{planId}/{exerciseId}/{fileName}</c>).</summary>
public interface IExerciseReportStore
{
    /// <summary>Stores one file of an exercise's after-action report, replacing an earlier run's; returns its path.</summary>
    Task<string> WriteAsync(string planId, string exerciseId, ReportFile file, CancellationToken cancellationToken);

    /// <summary>The stored content of one file of an exercise's after-action report, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(string planId, string exerciseId, string fileName, CancellationToken cancellationToken);
}
