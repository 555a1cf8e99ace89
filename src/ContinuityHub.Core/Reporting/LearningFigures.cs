using ContinuityHub.Catalog;
using ContinuityHub.Exercises;

namespace ContinuityHub.Reporting;

/// <summary>Computes the report's <see cref="LearningSummary"/> from the exercise runs, the catalogue's findings and the post-incident reviews.</summary>
internal static class LearningFigures
{
    public static LearningSummary Compute(
        ContinuityCatalog catalog, IReadOnlyList<ExerciseRun> runs, IReadOnlyList<ReviewFact> reviews, DateOnly periodStart, DateOnly reportDate)
    {
        var from = new DateTimeOffset(periodStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var before = new DateTimeOffset(reportDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var lines = runs
            .Where(r => r is { State: ExerciseRunState.Ended, EndedAt: { } ended } && ended >= from && ended < before)
            .OrderBy(r => r.EndedAt)
            .Select(Line)
            .ToList();

        var actions = new List<OpenAction>();
        foreach (var exercise in catalog.Exercises)
        {
            actions.AddRange(exercise.Findings.Where(f => IsOpen(f, reportDate)).Select(f => Open(ActionSource.Exercise, exercise.Id, exercise.Plan, f, reportDate)));
        }

        foreach (var review in reviews)
        {
            actions.AddRange(review.CorrectiveActions.Where(f => IsOpen(f, reportDate)).Select(f => Open(ActionSource.Review, review.ReviewId, review.Plan, f, reportDate)));
        }

        actions.Sort(static (a, b) => a.DaysOverdue != b.DaysOverdue ? b.DaysOverdue.CompareTo(a.DaysOverdue) : string.CompareOrdinal(a.Id, b.Id));
        var byAge = Enum.GetValues<ActionAge>().Select(age => new ActionAgeCount(age, actions.Count(a => a.Age == age))).ToList();
        var overdue = reviews
            .Where(r => !r.Completed && r.Due < reportDate)
            .Select(r => new ReviewOverdue(r.ReviewId, r.IncidentKey, r.Title, r.Plan, r.Owner, r.Due, reportDate.DayNumber - r.Due.DayNumber, r.Status))
            .OrderByDescending(r => r.DaysOverdue)
            .ThenBy(r => r.ReviewId, StringComparer.Ordinal)
            .ToList();
        return new LearningSummary(lines, actions, byAge, overdue);
    }

    /// <summary>Actions due before the report date, and how many of them were closed on or before their due date.</summary>
    public static (int OnTime, int Counted) ClosedOnTime(IEnumerable<Finding> actions, DateOnly reportDate)
    {
        int onTime = 0, counted = 0;
        foreach (var action in actions.Where(a => a.Due < reportDate))
        {
            counted++;
            if (action.Closed is { } closed && closed <= action.Due)
            {
                onTime++;
            }
        }

        return (onTime, counted);
    }

    private static bool IsOpen(Finding finding, DateOnly reportDate) => finding.Closed is not { } closed || closed > reportDate;

    private static OpenAction Open(ActionSource source, string origin, string plan, Finding finding, DateOnly reportDate)
    {
        var days = reportDate.DayNumber - finding.Due.DayNumber;
        var age = days <= 0 ? ActionAge.NotYetDue : days <= 30 ? ActionAge.OverdueUpTo30Days : days <= 90 ? ActionAge.Overdue31To90Days : ActionAge.OverdueMoreThan90Days;
        return new OpenAction(source, origin, plan, finding.Id, finding.Text, finding.Owner, finding.Due, days, age);
    }

    private static ExerciseRunLine Line(ExerciseRun run)
    {
        var figures = run.Figures;
        var invoke = figures?.Decisions.FirstOrDefault(d => d.Action == "Invoke");
        return new ExerciseRunLine(
            run.ExerciseId,
            run.Plan,
            run.RunId,
            run.StartedAt,
            run.EndedAt!.Value,
            run.Speed,
            run.Rehearsal,
            run.Result,
            figures?.TimeToFirstAlert,
            figures?.MeasuredRecovery,
            figures?.Rto,
            invoke is null ? null : invoke.At - run.StartedAt,
            invoke?.Margin,
            invoke?.Late ?? false);
    }
}
