using System.Globalization;
using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

internal static partial class ReportHtml
{
    /// <summary>
    /// The lessons section: the exercises played on the hub in the period with their results and decision timeliness,
    /// the open findings and corrective actions by how long they are past due, and the post-incident reviews overdue.
    /// </summary>
    private static void Learning(StringBuilder html, Context context)
    {
        var learning = context.Report.Learning;
        html.Append("<section class=\"learning\" aria-labelledby=\"lessons-learned\"><h2 id=\"lessons-learned\">Exercises and lessons learned</h2>\n");
        Table(
            html,
            "Exercises played in the period",
            "Exercises played on the hub that ended in the period, with the result the after-action report gave, the first alert and invocation after the start, and the margin to the latest safe invocation time. A run faster than real time is a rehearsal: not recorded on the exercise.",
            ["Exercise", "Plan", "Played", "Result", "First alert", "Invoked", "Margin", "Recovery against RTO"],
            learning.ExercisesRun.Select(r => new Cell[]
            {
                new(r.ExerciseId, r.RunId),
                new(context.PlanTitle(r.Plan), r.Plan),
                new(HumanText.Time(r.StartedAt), r.Rehearsal ? string.Create(CultureInfo.InvariantCulture, $"rehearsal at {r.Speed}x") : "real time"),
                r.Result is { } result ? new Cell(Words(result.ToString()), Class: result == ExerciseResult.Failed ? "bad" : result == ExerciseResult.PassedWithIssues ? "warn" : null) : "–",
                r.TimeToFirstAlert is { } first ? HumanText.Duration(first) : new Cell("never", Class: "bad"),
                r.InvokedAfter is { } invoked ? HumanText.Duration(invoked) : "not invoked",
                r.Margin is { } margin ? r.Late ? new Cell($"late by {HumanText.Duration(margin.Duration())}", Class: "bad") : $"{HumanText.Duration(margin)} to spare" : "–",
                r.Recovery is { } recovery
                    ? new Cell($"{HumanText.Duration(recovery)} of {(r.Rto is { } rto ? HumanText.Duration(rto) : "–")}", Class: r.Rto is { } limit && recovery > limit ? "warn" : null)
                    : "not recovered",
            }));

        var ages = string.Join(", ", learning.OpenActionsByAge.Select(a => $"{AgeText(a.Age)}: {N(a.Count)}"));
        Table(
            html,
            "Open findings and corrective actions by age",
            $"Exercise findings and post-incident corrective actions open on the report date, the longest overdue first ({ages}).",
            ["Action", "From", "Owner", "Due", "Age"],
            learning.OpenActions.Select(a => new Cell[]
            {
                new(a.Text, a.Id, "text"),
                new(a.Origin, a.Source == ActionSource.Review ? "post-incident review" : "exercise " + context.PlanTitle(a.Plan)),
                a.Owner,
                ReportFormat.Date(a.Due),
                new(AgeText(a.Age) + (a.DaysOverdue > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({a.DaysOverdue} days)") : string.Empty), Class: a.Age == ActionAge.NotYetDue ? null : a.Age == ActionAge.OverdueUpTo30Days ? "warn" : "bad"),
            }));

        Table(
            html,
            "Post-incident reviews overdue",
            "Reviews drafted when an incident that reached Alert or above was resolved, not completed by their due date.",
            ["Review", "Incident", "Owner", "Due", "Status"],
            learning.ReviewsOverdue.Select(r => new Cell[]
            {
                r.ReviewId,
                new(r.Title, r.IncidentKey),
                r.Owner,
                new(ReportFormat.Date(r.Due), string.Create(CultureInfo.InvariantCulture, $"{r.DaysOverdue} days overdue"), "bad"),
                r.Status,
            }));
        html.Append("</section>\n");
    }

    /// <summary>The "Needs attention" lines for exercises that failed or invoked late in the period, and reviews overdue.</summary>
    private static void LearningAttention(List<(string Css, string Html)> items, Context context)
    {
        var learning = context.Report.Learning;
        var late = learning.ExercisesRun.Where(r => !r.Rehearsal && (r.Late || r.Result == ExerciseResult.Failed)).Select(r => r.ExerciseId).Distinct(StringComparer.Ordinal).ToList();
        if (late.Count > 0)
        {
            items.Add(("bad", $"<b>{ReportFormat.Plural(late.Count, "exercise", "exercises")} in the period failed or invoked late</b>: {Names(late)}."));
        }

        if (learning.ReviewsOverdue.Count > 0)
        {
            items.Add(("warn", $"<b>{ReportFormat.Plural(learning.ReviewsOverdue.Count, "post-incident review is", "post-incident reviews are")} overdue</b>: {Names(learning.ReviewsOverdue.Select(r => r.Title))}."));
        }
    }

    private static string AgeText(ActionAge age) => age switch
    {
        ActionAge.NotYetDue => "not yet due",
        ActionAge.OverdueUpTo30Days => "overdue up to 30 days",
        ActionAge.Overdue31To90Days => "overdue 31–90 days",
        _ => "overdue more than 90 days",
    };
}
