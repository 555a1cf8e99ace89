using System.Text.Json.Serialization;
using ContinuityHub.Exercises;

namespace ContinuityHub.Azure.Http;

/// <summary>A run of an exercise as the exercise routes and <c>hub exercise status --json</c> show it.</summary>
public sealed record ExerciseRunView(
    string ExerciseId,
    string RunId,
    string Plan,
    string State,
    DateTimeOffset StartedAt,
    int Speed,
    string StartedBy,
    int InjectsPlayed,
    int Injects,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? NextInjectAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EndRequestedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EndedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AchievedRecovery,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Report,
    string Summary)
{
    /// <param name="run">The stored run.</param>
    /// <param name="scenario">The exercise's injects (to say how many are left and when the next falls due), or empty when it is no longer in the catalogue.</param>
    public static ExerciseRunView From(ExerciseRun run, IReadOnlyList<Catalog.ExerciseInject> scenario)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scenario);
        var played = run.Played.Count(p => p.Index >= 0 && !(p.Index < scenario.Count && scenario[p.Index].Resolve));
        var injects = scenario.Count(i => !i.Resolve);
        DateTimeOffset? next = run.State == ExerciseRunState.Running && run.Played.Count < scenario.Count ? run.DueAt(scenario[run.Played.Count].At) : null;
        return new ExerciseRunView(
            run.ExerciseId,
            run.RunId,
            run.Plan,
            run.State.ToString(),
            run.StartedAt,
            run.Speed,
            run.StartedBy,
            played,
            injects,
            next,
            run.EndRequestedAt,
            run.EndedAt,
            run.Result?.ToString(),
            run.AchievedRecovery is { } achieved ? System.Xml.XmlConvert.ToString(achieved) : null,
            run.ReportFolder,
            run.Summary.ToString());
    }
}
