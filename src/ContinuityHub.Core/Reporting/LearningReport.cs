using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

/// <summary>
/// What the programme learnt: the exercises played on the hub that ended in the period (with their results and how
/// timely their decisions were), the open exercise findings and post-incident corrective actions by how long they are
/// past due, and the post-incident reviews past their due date.
/// </summary>
/// <param name="ExercisesRun">Runs that ended in the period [periodStart, reportDate) (UTC days), by end.</param>
/// <param name="OpenActions">Findings and corrective actions open as of the report date, the longest overdue first.</param>
/// <param name="OpenActionsByAge">How many open actions fall in each <see cref="ActionAge"/> band (every band, in order).</param>
/// <param name="ReviewsOverdue">Post-incident reviews not completed by their due date, the longest overdue first.</param>
public sealed record LearningSummary(
    IReadOnlyList<ExerciseRunLine> ExercisesRun,
    IReadOnlyList<OpenAction> OpenActions,
    IReadOnlyList<ActionAgeCount> OpenActionsByAge,
    IReadOnlyList<ReviewOverdue> ReviewsOverdue)
{
    public static LearningSummary Empty { get; } = new([], [], [], []);
}

/// <summary>An exercise played on the hub that ended in the period.</summary>
/// <param name="Rehearsal">Played faster than real time: not recorded on the exercise.</param>
/// <param name="InvokedAfter">How long after the start the plan was first invoked; null when it was not.</param>
/// <param name="Margin">The latest safe invocation time minus that invocation (negative when late); null without either.</param>
public sealed record ExerciseRunLine(
    string ExerciseId,
    string Plan,
    string RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    int Speed,
    bool Rehearsal,
    ExerciseResult? Result,
    TimeSpan? TimeToFirstAlert,
    TimeSpan? Recovery,
    TimeSpan? Rto,
    TimeSpan? InvokedAfter,
    TimeSpan? Margin,
    bool Late);

/// <summary>How long an open action is past its due date.</summary>
public enum ActionAge
{
    NotYetDue,
    OverdueUpTo30Days,
    Overdue31To90Days,
    OverdueMoreThan90Days,
}

public sealed record ActionAgeCount(ActionAge Age, int Count);

/// <summary>Where an action comes from.</summary>
public enum ActionSource
{
    /// <summary>A finding of an exercise.</summary>
    Exercise,

    /// <summary>A corrective action of a post-incident review.</summary>
    Review,
}

/// <summary>An open exercise finding or corrective action.</summary>
/// <param name="Origin">The exercise id, or the review id.</param>
/// <param name="DaysOverdue">Days past its due date as of the report date; 0 or less when not yet due.</param>
public sealed record OpenAction(ActionSource Source, string Origin, string Plan, string Id, string Text, string Owner, DateOnly Due, int DaysOverdue, ActionAge Age);

/// <summary>A post-incident review past its due date and not completed.</summary>
public sealed record ReviewOverdue(string ReviewId, string IncidentKey, string Title, string Plan, string Owner, DateOnly Due, int DaysOverdue, string Status);

/// <summary>
/// A post-incident review as the report reads it (from the hub's lessons learned): what it is about, whose it is,
/// when it is due, whether it is completed, and its corrective actions.
/// </summary>
public sealed record ReviewFact(string ReviewId, string IncidentKey, string Title, string Plan, string Owner, DateOnly Due, bool Completed, string Status, IReadOnlyList<Finding> CorrectiveActions);
