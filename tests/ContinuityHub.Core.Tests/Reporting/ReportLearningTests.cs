using System.Text.Json;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>
/// The report's lessons part: exercises played on the hub that ended in the period, open findings and corrective
/// actions by age, post-incident reviews overdue, and the corrective-actions KPI over both.
/// </summary>
public class ReportLearningTests
{
    private static readonly DateOnly Today = new(2026, 11, 25); // period 2026-11-18 to 2026-11-24

    private static readonly ContinuityCatalog Catalog = new CatalogBuilder()
        .WithService("svc")
        .WithPlan("dr-svc", ["svc"])
        .WithExercise("ex-a", "dr-svc", findings:
        [
            new Finding("F-1", "DNS TTL too long", "sam@contoso.com", new DateOnly(2026, 11, 30), null),       // not yet due
            new Finding("F-2", "Runbook step missing", "sam@contoso.com", new DateOnly(2026, 11, 5), null),    // 20 days overdue
            new Finding("F-3", "Closed on time", "sam@contoso.com", new DateOnly(2026, 10, 1), new DateOnly(2026, 9, 30)),
        ])
        .Build();

    private static readonly DateTimeOffset Started = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static ExerciseRun Run(string id, int speed, DateTimeOffset ended, TimeSpan? invokedAfter, TimeSpan? margin) =>
        new(id, "20261120T090000Z", "dr-svc", Started, speed, "manager@contoso.com")
        {
            State = ExerciseRunState.Ended,
            EndedAt = ended,
            Result = margin < TimeSpan.Zero ? ExerciseResult.PassedWithIssues : ExerciseResult.Passed,
            Figures = new RunFigures(
                TimeSpan.FromMinutes(5),
                TimeSpan.FromHours(4),
                ended - Started,
                invokedAfter is { } after ? [new DecisionTiming("Invoke", "dr-svc", "noah@contoso.com", Started + after, Started + after + margin, margin, margin < TimeSpan.Zero)] : []),
        };

    private static readonly ReviewFact Review = new(
        "pir-20261101-ab12cd",
        "servicenow~INC0012345",
        "Payments gateway outage",
        "dr-svc",
        "priya@contoso.com",
        new DateOnly(2026, 11, 15),
        Completed: false,
        "Draft",
        [
            new Finding("CA-1", "Add a second SWIFT link", "priya@contoso.com", new DateOnly(2026, 8, 1), null),          // 116 days overdue
            new Finding("CA-2", "Alert on queue depth", "priya@contoso.com", new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 20)), // closed late
        ]);

    [Fact]
    public void Exercises_ended_in_the_period_are_listed_with_result_and_invocation_margin_and_rehearsals_say_so()
    {
        var runs = new[]
        {
            Run("ex-late", 1, Started + TimeSpan.FromHours(3), TimeSpan.FromMinutes(75), TimeSpan.FromMinutes(-10)),
            Run("ex-rehearsal", 60, Started + TimeSpan.FromMinutes(3), null, null),
            Run("ex-before", 1, new DateTimeOffset(2026, 11, 17, 23, 0, 0, TimeSpan.Zero), null, null),
            Run("ex-today", 1, new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), null, null),
        };

        var report = ContinuityReportBuilder.Build(Catalog, [], Today, Today.AddDays(-7), runs: runs);

        Assert.Equal(["ex-rehearsal", "ex-late"], report.Learning.ExercisesRun.Select(r => r.ExerciseId));
        var late = report.Learning.ExercisesRun[1];
        Assert.Equal((false, ExerciseResult.PassedWithIssues, TimeSpan.FromMinutes(75), TimeSpan.FromMinutes(-10), true), (late.Rehearsal, late.Result, late.InvokedAfter, late.Margin, late.Late));
        Assert.Equal((TimeSpan.FromHours(3), TimeSpan.FromHours(4)), (late.Recovery, late.Rto));
        Assert.True(report.Learning.ExercisesRun[0].Rehearsal);
        var html = ReportRenderer.ToHtml(report, Catalog);
        Assert.Contains("late by 10 min", html, StringComparison.Ordinal);
        Assert.Contains("rehearsal at 60x", html, StringComparison.Ordinal);
        Assert.Contains("exercise in the period failed or invoked late</b>: ex-late", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_findings_and_corrective_actions_are_aged_and_the_kpi_counts_both()
    {
        var report = ContinuityReportBuilder.Build(Catalog, [], Today, Today.AddDays(-7), reviews: [Review]);

        Assert.Equal(
            [("CA-1", ActionSource.Review, ActionAge.OverdueMoreThan90Days, 116), ("F-2", ActionSource.Exercise, ActionAge.OverdueUpTo30Days, 20), ("F-1", ActionSource.Exercise, ActionAge.NotYetDue, -5)],
            report.Learning.OpenActions.Select(a => (a.Id, a.Source, a.Age, a.DaysOverdue)));
        Assert.Equal([1, 1, 0, 1], report.Learning.OpenActionsByAge.Select(a => a.Count));
        var kpi = report.GetKpi(KpiIds.FindingsClosedOnTime);
        Assert.Equal(("Corrective actions closed on time", 1, 4), (kpi.Name, kpi.Numerator, kpi.Denominator)); // F-3 on time; F-2, CA-1, CA-2 not
        var overdue = Assert.Single(report.Learning.ReviewsOverdue);
        Assert.Equal(("pir-20261101-ab12cd", 10, "priya@contoso.com"), (overdue.ReviewId, overdue.DaysOverdue, overdue.Owner));
        Assert.Contains("post-incident review is overdue</b>: Payments gateway outage", ReportRenderer.ToHtml(report, Catalog), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_the_learning_section_in_camel_case()
    {
        var report = ContinuityReportBuilder.Build(Catalog, [], Today, Today.AddDays(-7), reviews: [Review]);

        using var json = JsonDocument.Parse(ReportRenderer.ToJson(report));
        var learning = json.RootElement.GetProperty("learning");

        Assert.Equal(["exercisesRun", "openActions", "openActionsByAge", "reviewsOverdue"], learning.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Review", "OverdueMoreThan90Days", "2026-08-01"), (learning.GetProperty("openActions")[0].GetProperty("source").GetString(), learning.GetProperty("openActions")[0].GetProperty("age").GetString(), learning.GetProperty("openActions")[0].GetProperty("due").GetString()));
    }
}
