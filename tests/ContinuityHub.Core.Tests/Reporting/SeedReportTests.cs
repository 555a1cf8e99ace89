using ContinuityHub.Catalog;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>The report on the sample organisation at its demo "today" tells the facts its catalogue was written to show.</summary>
public class SeedReportTests
{
    private static readonly ContinuityReport Report =
        ContinuityReportBuilder.Build(SeedCatalog.Catalog, [], SeedCatalog.Today, SeedCatalog.Today.AddDays(-7));

    [Fact]
    public void Dr_sql_cluster_is_the_one_plan_overdue_for_review()
    {
        var overdue = Assert.Single(Report.OverdueReviews);

        Assert.Equal(("dr-sql-cluster", new DateOnly(2026, 9, 15), 71), (overdue.Id, overdue.NextReview, overdue.DaysOverdue));
        Assert.Equal("noah.andersson@contoso.com", overdue.Owner);
        Assert.Equal(new PlanReviewCompliance(0.9, 10, 9, 1, 1, 1), Report.PlanReviewCompliance);
        Assert.Equal("br-branch-operations", Assert.Single(Report.DraftPlans).Id);
        Assert.Equal("dr-ledger-tape", Assert.Single(Report.RetiredPlans).Id);
    }

    [Fact]
    public void Services_without_an_approved_dr_or_br_plan_include_email_collab_and_intranet()
    {
        // network-core is named only by the DC1 emergency-response plan and branch-operations only by a Draft plan,
        // so neither has an Approved DisasterRecovery or BusinessRecovery plan either.
        Assert.Equal(["network-core", "branch-operations", "email-collab", "intranet"], Report.ServicesWithoutPlan.Select(s => s.Id));
        Assert.Equal(["er-dc1"], Report.ServicesWithoutPlan[0].OtherPlans);
        Assert.Equal(["cmp-bank", "br-branch-operations"], Report.ServicesWithoutPlan[1].OtherPlans);
        Assert.Empty(Report.ServicesWithoutPlan[2].OtherPlans);
    }

    [Fact]
    public void Treasury_services_recovered_in_7h_against_a_4h_rto()
    {
        Assert.Equal(["treasury", "treasury-system"], Report.RtoGaps.Select(g => g.Id));
        Assert.All(Report.RtoGaps, g =>
        {
            Assert.Equal((TimeSpan.FromHours(4), TimeSpan.FromHours(7), TimeSpan.FromHours(3)), (g.Rto, g.Achieved, g.Gap));
            Assert.Equal(("dr-treasury", "ex-2026-treasury-restore", new DateOnly(2026, 9, 13)), (g.Plan, g.Exercise, g.ExerciseCompleted));
        });
        Assert.Equal("ex-2026-treasury-restore", Assert.Single(Report.FailedExercises).Id);
    }

    [Fact]
    public void Data_warehouse_and_intranet_bias_are_stale_and_email_collab_was_never_reviewed()
    {
        Assert.Equal(
            [("data-warehouse", BiaStatus.Stale, (int?)526), ("email-collab", BiaStatus.NeverReviewed, null), ("intranet", BiaStatus.Stale, 454)],
            Report.StaleBia.Select(s => (s.Id, s.Status, s.AgeDays)));
    }

    [Fact]
    public void Two_exercises_are_overdue_and_three_are_due_within_30_days()
    {
        Assert.Equal([("ex-2026-online-banking-full", 39), ("ex-2026-dc1-evacuation", 18)], Report.ExercisesOverdue.Select(e => (e.Id, e.DaysOverdue)));
        Assert.Equal(
            [("ex-2026-regrep-walkthrough", 8), ("ex-2026-cmp-simulation", 14), ("ex-2026-payments-q4", 17)],
            Report.ExercisesDue.Select(e => (e.Id, e.DaysUntil)));
    }

    [Fact]
    public void Plans_never_exercised_leave_their_services_untested()
    {
        Assert.Equal(["online-banking", "online-banking-api", "data-warehouse", "regulatory-reporting"], Report.UntestedServices.Select(u => u.Id));
        Assert.All(Report.UntestedServices, u => Assert.Null(u.LastExercise));
    }

    [Fact]
    public void Open_findings_are_listed_by_due_date_with_the_overdue_ones_flagged()
    {
        Assert.Equal(
            [("F-102", true), ("F-110", true), ("F-106", true), ("F-111", false)],
            Report.OpenFindings.Select(f => (f.Id, f.Overdue)));
        Assert.Equal(("ex-2026-ledger-failover", "dr-ledger", "maria.lopez@contoso.com", 56), (Report.OpenFindings[0].Exercise, Report.OpenFindings[0].Plan, Report.OpenFindings[0].Owner, Report.OpenFindings[0].DaysOverdue));
    }

    [Fact]
    public void Kpis_of_the_sample_organisation()
    {
        Assert.Equal(
            [
                (KpiIds.PlansReviewedInCycle, 9, 10, KpiStatus.AtRisk),
                (KpiIds.CurrentBia, 19, 22, KpiStatus.Missed),
                (KpiIds.ExercisesOnSchedule, 7, 9, KpiStatus.Missed),
                (KpiIds.RtoAchievement, 5, 6, KpiStatus.AtRisk),
                (KpiIds.FindingsClosedOnTime, 3, 6, KpiStatus.Missed),
            ],
            Report.Kpis.Select(k => (k.Id, k.Numerator, k.Denominator, k.Status)));
    }

    [Fact]
    public void Service_sheet_has_one_row_per_service_with_its_plan_and_last_exercise()
    {
        Assert.Equal(SeedCatalog.Catalog.Services.Select(s => s.Id), Report.Services.Select(s => s.Id));
        var ledger = Report.Services.Single(s => s.Id == "core-ledger");
        Assert.Equal(
            ("dr-ledger", "ex-2026-ledger-failover", (DateOnly?)new DateOnly(2026, 4, 14), (TimeSpan?)TimeSpan.FromMinutes(115), (TimeSpan?)TimeSpan.Zero, (int?)268),
            (ledger.Plan, ledger.LastExercise, ledger.LastExerciseDate, ledger.AchievedRecovery, ledger.Gap, ledger.BiaAgeDays));
    }
}
