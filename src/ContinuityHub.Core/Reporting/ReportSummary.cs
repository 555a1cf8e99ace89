using System.Globalization;

namespace ContinuityHub.Reporting;

/// <summary>The report in one line, for a terminal or a log.</summary>
public static class ReportSummary
{
    /// <summary>
    /// E.g. <c>Plan review compliance 90% (9 of 10 Approved plans within cycle); 1 overdue review, 2 exercises overdue,
    /// 3 due within 30 days, 2 RTO gaps, 4 services without a plan, 3 stale BIAs, 4 open findings (3 overdue),
    /// 0 incidents in the period; KPIs: 1 met, 1 at risk, 3 missed, 0 without data.</c>
    /// </summary>
    public static string Line(ContinuityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var compliance = report.PlanReviewCompliance;
        var share = compliance.Approved == 0
            ? "– (no Approved plan)"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{ReportFormat.Percent(compliance.WithinCycle, compliance.Approved)} ({compliance.WithinCycle} of {ReportFormat.Plural(compliance.Approved, "Approved plan", "Approved plans")} within cycle)");
        var kpis = report.Kpis.CountBy(k => k.Status).ToDictionary(pair => pair.Key, pair => pair.Value);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Plan review compliance {share}; "
            + $"{ReportFormat.Plural(report.OverdueReviews.Count, "overdue review", "overdue reviews")}, "
            + $"{ReportFormat.Plural(report.ExercisesOverdue.Count, "exercise", "exercises")} overdue, "
            + $"{report.ExercisesDue.Count} due within {ContinuityReportBuilder.DueWithinDays} days, "
            + $"{ReportFormat.Plural(report.RtoGaps.Count, "RTO gap", "RTO gaps")}, "
            + $"{ReportFormat.Plural(report.ServicesWithoutPlan.Count, "service", "services")} without a plan, "
            + $"{ReportFormat.Plural(report.StaleBia.Count, "stale BIA", "stale BIAs")}, "
            + $"{ReportFormat.Plural(report.OpenFindings.Count, "open finding", "open findings")} ({report.OpenFindings.Count(f => f.Overdue)} overdue), "
            + $"{ReportFormat.Plural(report.Incidents.Assessed, "incident", "incidents")} in the period; "
            + $"KPIs: {kpis.GetValueOrDefault(KpiStatus.Met)} met, {kpis.GetValueOrDefault(KpiStatus.AtRisk)} at risk, "
            + $"{kpis.GetValueOrDefault(KpiStatus.Missed)} missed, {kpis.GetValueOrDefault(KpiStatus.NoData)} without data.");
    }
}
