using ContinuityHub.Catalog;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

public class ContinuityReportBuilderTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private static ContinuityReport Build(CatalogBuilder catalog, DateOnly? reportDate = null) => Build(catalog.Build(), reportDate);

    private static ContinuityReport Build(ContinuityCatalog catalog, DateOnly? reportDate = null)
    {
        var date = reportDate ?? Today;
        return ContinuityReportBuilder.Build(catalog, [], date, date.AddDays(-7));
    }

    private static DateOnly Day(int offset) => Today.AddDays(offset);

    // --- plan reviews ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, true)] // next review on the report date: still within cycle
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void Plan_is_within_its_review_cycle_until_its_next_review_date_has_passed(int nextReview, bool within)
    {
        var catalog = new CatalogBuilder().WithService("svc").WithPlan("dr", ["svc"], nextReview: Day(nextReview));

        var report = Build(catalog);

        Assert.Equal(within ? 1 : 0, report.PlanReviewCompliance.WithinCycle);
        Assert.Equal(within ? 1.0 : 0.0, report.PlanReviewCompliance.Share);
        Assert.Equal(within ? KpiStatus.Met : KpiStatus.Missed, report.GetKpi(KpiIds.PlansReviewedInCycle).Status);
        if (!within)
        {
            var overdue = Assert.Single(report.OverdueReviews);
            Assert.Equal("dr", overdue.Id);
            Assert.Equal(1, overdue.DaysOverdue);
            Assert.Equal(Day(-1), overdue.NextReview);
        }
        else
        {
            Assert.Empty(report.OverdueReviews);
        }
    }

    [Fact]
    public void Overdue_reviews_list_plans_without_a_review_date_first_then_the_longest_overdue()
    {
        var catalog = new CatalogBuilder()
            .WithPlan("a-late", [], nextReview: Day(-3), title: "Late", owner: "a@contoso.com")
            .WithPlan("b-later", [], nextReview: Day(-40))
            .WithPlan("c-never", [], noNextReview: true)
            .WithPlan("d-fine", [], nextReview: Day(100));

        var report = Build(catalog);

        Assert.Equal(["c-never", "b-later", "a-late"], report.OverdueReviews.Select(o => o.Id));
        Assert.Null(report.OverdueReviews[0].DaysOverdue);
        Assert.Equal(new OverdueReview("a-late", "Late", "a@contoso.com", Day(-3), 3, new DateOnly(2026, 1, 1)), report.OverdueReviews[2]);
        Assert.Equal(new PlanReviewCompliance(0.25, 4, 1, 3, 0, 0), report.PlanReviewCompliance);
    }

    [Fact]
    public void Draft_and_retired_plans_are_listed_separately_and_not_counted()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc")
            .WithPlan("dr", ["svc"], nextReview: Day(10))
            .WithPlan("draft", ["svc"], status: PlanStatus.Draft, nextReview: Day(-100))
            .WithPlan("old", ["svc"], status: PlanStatus.Retired, nextReview: Day(-300));

        var report = Build(catalog);

        Assert.Equal(new PlanReviewCompliance(1.0, 1, 1, 0, 1, 1), report.PlanReviewCompliance);
        Assert.Empty(report.OverdueReviews);
        Assert.Equal("draft", Assert.Single(report.DraftPlans).Id);
        Assert.Equal("old", Assert.Single(report.RetiredPlans).Id);
        Assert.Equal(["svc"], report.RetiredPlans[0].Services);
    }

    [Fact]
    public void Plans_with_no_services_count_for_reviews_and_cover_nothing()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc")
            .WithPlan("empty", [], nextReview: Day(-1))
            .WithExercise("ex", "empty", scheduled: Day(-30), completed: Day(-30), result: ExerciseResult.Passed, achieved: TimeSpan.FromDays(9), findings: []);

        var report = Build(catalog);

        Assert.Equal("empty", Assert.Single(report.OverdueReviews).Id);
        Assert.Equal("svc", Assert.Single(report.ServicesWithoutPlan).Id);
        Assert.Empty(report.RtoGaps);
        Assert.Empty(report.UntestedServices);
        Assert.Equal(KpiStatus.NoData, report.GetKpi(KpiIds.RtoAchievement).Status); // nothing to compare its recovery with
    }

    // --- exercises ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(-1, "overdue")]
    [InlineData(0, "due")] // on the report date
    [InlineData(30, "due")] // the last day of the window
    [InlineData(31, "neither")]
    public void Exercise_is_due_from_the_report_date_to_30_days_after_and_overdue_before(int scheduled, string expected)
    {
        var catalog = new CatalogBuilder().WithService("svc").WithPlan("dr", ["svc"]).WithExercise("ex", "dr", scheduled: Day(scheduled), type: ExerciseType.Full);

        var report = Build(catalog);

        Assert.Equal(expected == "due" ? 1 : 0, report.ExercisesDue.Count);
        Assert.Equal(expected == "overdue" ? 1 : 0, report.ExercisesOverdue.Count);
        if (expected == "due")
        {
            Assert.Equal(new ExerciseDue("ex", "dr", ExerciseType.Full, Day(scheduled), scheduled), report.ExercisesDue[0]);
        }

        if (expected == "overdue")
        {
            Assert.Equal(new ExerciseOverdue("ex", "dr", ExerciseType.Full, Day(-1), 1), report.ExercisesOverdue[0]);
        }
    }

    [Fact]
    public void Completed_exercises_are_neither_due_nor_overdue_but_a_completion_after_the_report_date_has_not_happened_yet()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc")
            .WithPlan("dr", ["svc"])
            .WithExercise("done", "dr", scheduled: Day(-5), completed: Day(0), result: ExerciseResult.Passed)
            .WithExercise("later", "dr", scheduled: Day(-5), completed: Day(1), result: ExerciseResult.Passed);

        var report = Build(catalog);

        Assert.Empty(report.ExercisesDue);
        Assert.Equal("later", Assert.Single(report.ExercisesOverdue).Id);
    }

    [Fact]
    public void Exercises_of_retired_plans_are_neither_due_nor_overdue()
    {
        var catalog = new CatalogBuilder()
            .WithPlan("old", [], status: PlanStatus.Retired)
            .WithPlan("draft", [], status: PlanStatus.Draft)
            .WithExercise("a", "old", scheduled: Day(-10))
            .WithExercise("b", "old", scheduled: Day(10))
            .WithExercise("c", "draft", scheduled: Day(10));

        var report = Build(catalog);

        Assert.Empty(report.ExercisesOverdue);
        Assert.Equal("c", Assert.Single(report.ExercisesDue).Id);
    }

    [Fact]
    public void Failed_exercise_is_listed_only_when_it_is_the_plans_last_completed_one()
    {
        var catalog = new CatalogBuilder()
            .WithPlan("recovered", [])
            .WithPlan("failing", [])
            .WithExercise("r1", "recovered", scheduled: Day(-90), completed: Day(-90), result: ExerciseResult.Failed)
            .WithExercise("r2", "recovered", scheduled: Day(-30), completed: Day(-30), result: ExerciseResult.Passed)
            .WithExercise("f1", "failing", scheduled: Day(-90), completed: Day(-90), result: ExerciseResult.Passed)
            .WithExercise("f2", "failing", scheduled: Day(-30), completed: Day(-29), result: ExerciseResult.Failed, achieved: TimeSpan.FromHours(9))
            .WithExercise("f3", "failing", scheduled: Day(10));

        var report = Build(catalog);

        var failed = Assert.Single(report.FailedExercises);
        Assert.Equal(new FailedExercise("f2", "failing", ExerciseType.Simulation, Day(-30), Day(-29), TimeSpan.FromHours(9), 1), failed);
    }

    // --- RTO, testing and plan coverage ---------------------------------------------------------------------------

    [Theory]
    [InlineData(300, 60)]
    [InlineData(241, 1)]
    [InlineData(240, 0)] // exactly the RTO: no gap
    [InlineData(90, 0)]
    public void Service_has_an_rto_gap_when_its_plans_last_measured_recovery_exceeds_its_rto(int achievedMinutes, int gapMinutes)
    {
        var catalog = new CatalogBuilder()
            .WithService("svc", tier: 2, rto: TimeSpan.FromHours(4), name: "Service")
            .WithPlan("dr", ["svc"])
            .WithExercise("ex", "dr", scheduled: Day(-10), completed: Day(-10), result: ExerciseResult.Passed, achieved: TimeSpan.FromMinutes(achievedMinutes));

        var report = Build(catalog);

        var row = Assert.Single(report.Services);
        Assert.Equal(TimeSpan.FromMinutes(gapMinutes), row.Gap);
        Assert.Equal(TimeSpan.FromMinutes(achievedMinutes), row.AchievedRecovery);
        if (gapMinutes > 0)
        {
            Assert.Equal(
                new RtoGap("svc", "Service", 2, TimeSpan.FromHours(4), TimeSpan.FromMinutes(achievedMinutes), TimeSpan.FromMinutes(gapMinutes), "dr", "ex", Day(-10)),
                Assert.Single(report.RtoGaps));
        }
        else
        {
            Assert.Empty(report.RtoGaps);
        }
    }

    [Fact]
    public void Rto_gap_comes_from_the_last_exercise_that_measured_a_recovery_not_a_later_walkthrough()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc", rto: TimeSpan.FromHours(2))
            .WithPlan("dr", ["svc"])
            .WithExercise("old-full", "dr", scheduled: Day(-200), completed: Day(-200), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(1))
            .WithExercise("full", "dr", scheduled: Day(-100), completed: Day(-100), result: ExerciseResult.Failed, achieved: TimeSpan.FromHours(3))
            .WithExercise("talk", "dr", scheduled: Day(-10), completed: Day(-10), result: ExerciseResult.Passed, type: ExerciseType.Walkthrough);

        var report = Build(catalog);

        var gap = Assert.Single(report.RtoGaps);
        Assert.Equal(("full", TimeSpan.FromHours(1)), (gap.Exercise, gap.Gap));
        var row = Assert.Single(report.Services);
        Assert.Equal(("talk", Day(-10), "full"), (row.LastExercise, row.LastExerciseDate, row.MeasuredIn));
        Assert.Empty(report.FailedExercises); // the walkthrough after it passed
    }

    [Fact]
    public void Service_plan_is_the_approved_dr_or_br_plan_with_the_longest_recovery_time()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc", rto: TimeSpan.FromHours(4))
            .WithPlan("fast", ["svc"], recoveryTime: TimeSpan.FromHours(1))
            .WithPlan("slow", ["svc"], type: PlanType.BusinessRecovery, recoveryTime: TimeSpan.FromHours(3))
            .WithPlan("crisis", ["svc"], type: PlanType.CrisisManagement, recoveryTime: TimeSpan.FromHours(9))
            .WithExercise("fast-ex", "fast", scheduled: Day(-10), completed: Day(-10), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(1))
            .WithExercise("slow-ex", "slow", scheduled: Day(-20), completed: Day(-20), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(5));

        var report = Build(catalog);

        Assert.Equal("slow", Assert.Single(report.Services).Plan);
        Assert.Equal("slow-ex", Assert.Single(report.RtoGaps).Exercise);
    }

    [Theory]
    [InlineData(-365, false)] // exactly 365 days ago: still within the last 365 days
    [InlineData(-366, true)]
    [InlineData(0, false)]
    public void Service_is_untested_when_its_plan_has_no_completed_exercise_in_the_last_365_days(int completed, bool untested)
    {
        var catalog = new CatalogBuilder()
            .WithService("svc", tier: 3, name: "Service")
            .WithPlan("dr", ["svc"])
            .WithExercise("ex", "dr", scheduled: Day(completed), completed: Day(completed), result: ExerciseResult.Failed);

        var report = Build(catalog);

        if (untested)
        {
            Assert.Equal(new UntestedService("svc", "Service", 3, "dr", "ex", Day(completed)), Assert.Single(report.UntestedServices));
        }
        else
        {
            Assert.Empty(report.UntestedServices);
        }
    }

    [Fact]
    public void Service_whose_plan_was_never_exercised_is_untested_with_no_last_exercise()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc")
            .WithPlan("dr", ["svc"])
            .WithExercise("planned", "dr", scheduled: Day(5));

        var report = Build(catalog);

        var untested = Assert.Single(report.UntestedServices);
        Assert.Null(untested.LastExercise);
        Assert.Null(untested.LastExerciseCompleted);
    }

    [Fact]
    public void Services_without_an_approved_dr_or_br_plan_are_listed_most_critical_first_with_the_plans_that_name_them()
    {
        var catalog = new CatalogBuilder()
            .WithService("z-tier1", tier: 1)
            .WithService("b-tier3", tier: 3, owner: "b@contoso.com")
            .WithService("a-tier3", tier: 3)
            .WithService("covered", tier: 1)
            .WithPlan("crisis", ["z-tier1", "a-tier3"], type: PlanType.CrisisManagement)
            .WithPlan("draft-dr", ["z-tier1"], status: PlanStatus.Draft)
            .WithPlan("old-br", ["a-tier3"], type: PlanType.BusinessRecovery, status: PlanStatus.Retired)
            .WithPlan("dr", ["covered"]);

        var report = Build(catalog);

        Assert.Equal(["z-tier1", "a-tier3", "b-tier3"], report.ServicesWithoutPlan.Select(s => s.Id));
        Assert.Equal(["crisis", "draft-dr"], report.ServicesWithoutPlan[0].OtherPlans);
        Assert.Equal(["crisis", "old-br"], report.ServicesWithoutPlan[1].OtherPlans);
        Assert.Empty(report.ServicesWithoutPlan[2].OtherPlans);
        Assert.Equal("b@contoso.com", report.ServicesWithoutPlan[2].Owner);
    }

    // --- BIA ------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(-365, true)] // exactly one interval ago
    [InlineData(-366, false)]
    [InlineData(0, true)]
    [InlineData(10, true)] // a review dated after the report date
    public void Bia_is_current_up_to_one_review_interval_after_its_review(int reviewed, bool current)
    {
        var catalog = new CatalogBuilder().WithService("svc", biaReviewed: Day(reviewed), name: "Service", owner: "o@contoso.com");

        var report = Build(catalog);

        Assert.Equal(current, Assert.Single(report.Services).BiaCurrent);
        Assert.Equal(-reviewed, report.Services[0].BiaAgeDays);
        Assert.Equal(current ? KpiStatus.Met : KpiStatus.Missed, report.GetKpi(KpiIds.CurrentBia).Status);
        if (current)
        {
            Assert.Empty(report.StaleBia);
        }
        else
        {
            Assert.Equal(new StaleBia("svc", "Service", 1, "o@contoso.com", Day(reviewed), 366, BiaStatus.Stale), Assert.Single(report.StaleBia));
        }
    }

    [Fact]
    public void Bia_interval_comes_from_the_policy_and_a_service_never_reviewed_says_so()
    {
        var catalog = new CatalogBuilder()
            .WithPolicy(Policy.Default with { BiaReviewInterval = TimeSpan.FromDays(90) })
            .WithService("recent", biaReviewed: Day(-90))
            .WithService("older", biaReviewed: Day(-91))
            .WithService("never", tier: 2, neverReviewed: true);

        var report = Build(catalog);

        Assert.Equal(["older", "never"], report.StaleBia.Select(s => s.Id));
        Assert.Equal((BiaStatus.NeverReviewed, (int?)null, (DateOnly?)null), (report.StaleBia[1].Status, report.StaleBia[1].AgeDays, report.StaleBia[1].BiaReviewed));
        var kpi = report.GetKpi(KpiIds.CurrentBia);
        Assert.Equal((1, 3, 0.3333), (kpi.Numerator, kpi.Denominator, kpi.Value));
    }

    // --- findings -------------------------------------------------------------------------------------------------

    [Fact]
    public void Open_findings_are_overdue_only_once_their_due_date_has_passed()
    {
        var catalog = new CatalogBuilder()
            .WithPlan("dr", [])
            .WithExercise("ex", "dr", scheduled: Day(-60), completed: Day(-60), result: ExerciseResult.PassedWithIssues, findings:
            [
                new Finding("late", "Fix DNS", "a@contoso.com", Day(-1), null),
                new Finding("today", "Fix batch", "b@contoso.com", Day(0), null),
                new Finding("closed", "Done", "c@contoso.com", Day(-10), Day(-12)),
                new Finding("closing-later", "Closed after the report date", "d@contoso.com", Day(-5), Day(3)),
            ]);

        var report = Build(catalog);

        Assert.Equal(["closing-later", "late", "today"], report.OpenFindings.Select(f => f.Id));
        Assert.Equal(new OpenFinding("late", "ex", "dr", "Fix DNS", "a@contoso.com", Day(-1), true, 1), report.OpenFindings[1]);
        Assert.False(report.OpenFindings[2].Overdue);
        Assert.Equal(0, report.OpenFindings[2].DaysOverdue);
    }

    // --- KPIs -----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(10, KpiStatus.Met)]
    [InlineData(9, KpiStatus.AtRisk)] // 90%: exactly 10 points below a 100% target
    [InlineData(8, KpiStatus.Missed)]
    public void Kpi_is_met_at_target_at_risk_up_to_ten_points_below_and_missed_further_below(int current, KpiStatus expected)
    {
        var catalog = new CatalogBuilder();
        for (var i = 0; i < 10; i++)
        {
            catalog.WithService($"s{i}", biaReviewed: i < current ? Day(-1) : Day(-400));
        }

        var kpi = Build(catalog).GetKpi(KpiIds.CurrentBia);

        Assert.Equal(expected, kpi.Status);
        Assert.Equal(current / 10.0, kpi.Value);
        Assert.Equal(1.0, kpi.Target);
        Assert.Equal("ratio", kpi.Unit);
    }

    [Theory]
    [InlineData(7, true)] // completed within the seven days of grace
    [InlineData(8, false)]
    [InlineData(-3, true)] // early
    public void Exercise_is_on_schedule_when_completed_within_seven_days_of_its_date(int completedAfter, bool onTime)
    {
        var catalog = new CatalogBuilder()
            .WithPlan("dr", [])
            .WithExercise("ex", "dr", scheduled: Day(-30), completed: Day(-30 + completedAfter), result: ExerciseResult.Passed);

        var kpi = Build(catalog).GetKpi(KpiIds.ExercisesOnSchedule);

        Assert.Equal((onTime ? 1 : 0, 1), (kpi.Numerator, kpi.Denominator));
        Assert.Equal(0.95, kpi.Target);
    }

    [Theory]
    [InlineData(-7, 0)] // not done, but still within its grace days: not scored yet
    [InlineData(-8, 1)] // not done and past its grace days: late
    [InlineData(0, 0)] // scheduled on the report date: not before it
    public void Exercise_not_done_counts_as_late_once_its_grace_days_have_passed(int scheduled, int counted)
    {
        var catalog = new CatalogBuilder()
            .WithPlan("dr", [])
            .WithExercise("ex", "dr", scheduled: Day(scheduled));

        var kpi = Build(catalog).GetKpi(KpiIds.ExercisesOnSchedule);

        Assert.Equal((0, counted), (kpi.Numerator, kpi.Denominator));
        Assert.Equal(counted == 0 ? KpiStatus.NoData : KpiStatus.Missed, kpi.Status);
    }

    [Fact]
    public void Exercise_of_a_retired_plan_that_never_ran_is_not_counted_against_the_schedule()
    {
        var catalog = new CatalogBuilder()
            .WithPlan("old", [], status: PlanStatus.Retired)
            .WithExercise("never-ran", "old", scheduled: Day(-100))
            .WithExercise("ran-late", "old", scheduled: Day(-200), completed: Day(-150), result: ExerciseResult.Passed);

        var kpi = Build(catalog).GetKpi(KpiIds.ExercisesOnSchedule);

        Assert.Equal((0, 1), (kpi.Numerator, kpi.Denominator));
    }

    [Fact]
    public void Rto_achievement_compares_each_measured_exercise_with_the_tightest_rto_its_plan_covers()
    {
        var catalog = new CatalogBuilder()
            .WithService("slow-rto", rto: TimeSpan.FromHours(8))
            .WithService("fast-rto", rto: TimeSpan.FromHours(2))
            .WithPlan("both", ["slow-rto", "fast-rto"])
            .WithPlan("slow-only", ["slow-rto"], type: PlanType.BusinessRecovery)
            .WithExercise("both-3h", "both", scheduled: Day(-10), completed: Day(-10), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(3))
            .WithExercise("both-2h", "both", scheduled: Day(-20), completed: Day(-20), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(2))
            .WithExercise("slow-3h", "slow-only", scheduled: Day(-30), completed: Day(-30), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(3))
            .WithExercise("too-old", "both", scheduled: Day(-400), completed: Day(-400), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(1))
            .WithExercise("unmeasured", "both", scheduled: Day(-5), completed: Day(-5), result: ExerciseResult.Passed);

        var kpi = Build(catalog).GetKpi(KpiIds.RtoAchievement);

        Assert.Equal((2, 3, 0.6666, KpiStatus.Missed), (kpi.Numerator, kpi.Denominator, kpi.Value, kpi.Status));
        Assert.Equal(0.9, kpi.Target);
    }

    [Fact]
    public void Findings_closed_on_time_counts_findings_due_before_the_report_date()
    {
        var catalog = new CatalogBuilder()
            .WithPlan("dr", [])
            .WithExercise("ex", "dr", scheduled: Day(-90), completed: Day(-90), result: ExerciseResult.PassedWithIssues, findings:
            [
                new Finding("on-due-date", "t", "o", Day(-10), Day(-10)),
                new Finding("early", "t", "o", Day(-10), Day(-40)),
                new Finding("late", "t", "o", Day(-10), Day(-9)),
                new Finding("open", "t", "o", Day(-1), null),
                new Finding("due-today", "t", "o", Day(0), null), // not due before the report date: not counted
            ]);

        var kpi = Build(catalog).GetKpi(KpiIds.FindingsClosedOnTime);

        Assert.Equal((2, 4, 0.5, KpiStatus.Missed), (kpi.Numerator, kpi.Denominator, kpi.Value, kpi.Status));
    }

    [Fact]
    public void Empty_catalogue_gives_empty_lists_zeroed_incidents_and_kpis_without_data()
    {
        var report = Build(ContinuityCatalog.Empty);

        Assert.Equal(new PlanReviewCompliance(null, 0, 0, 0, 0, 0), report.PlanReviewCompliance);
        Assert.Empty(report.OverdueReviews);
        Assert.Empty(report.ExercisesDue);
        Assert.Empty(report.ExercisesOverdue);
        Assert.Empty(report.FailedExercises);
        Assert.Empty(report.RtoGaps);
        Assert.Empty(report.UntestedServices);
        Assert.Empty(report.ServicesWithoutPlan);
        Assert.Empty(report.StaleBia);
        Assert.Empty(report.OpenFindings);
        Assert.Empty(report.Calibration);
        Assert.Empty(report.Services);
        Assert.Equal(IncidentSummary.Empty, report.Incidents);
        Assert.Equal(
            [KpiIds.PlansReviewedInCycle, KpiIds.CurrentBia, KpiIds.ExercisesOnSchedule, KpiIds.RtoAchievement, KpiIds.FindingsClosedOnTime],
            report.Kpis.Select(k => k.Id));
        Assert.All(report.Kpis, k => Assert.Equal((KpiStatus.NoData, (double?)null), (k.Status, k.Value)));
    }

    [Fact]
    public void Period_starting_after_the_report_date_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ContinuityReportBuilder.Build(ContinuityCatalog.Empty, [], Today, Today.AddDays(1)));

        Assert.Equal("periodStart", error.ParamName);
    }

    [Fact]
    public void Same_inputs_give_the_same_report()
    {
        var catalog = SeedCatalog.Catalog;

        var first = ReportRenderer.ToJson(ContinuityReportBuilder.Build(catalog, [], SeedCatalog.Today, SeedCatalog.Today.AddDays(-7)));
        var second = ReportRenderer.ToJson(ContinuityReportBuilder.Build(catalog, [], SeedCatalog.Today, SeedCatalog.Today.AddDays(-7)));

        Assert.Equal(first, second);
    }
}
