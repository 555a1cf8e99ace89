using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;

namespace ContinuityHub.Reporting;

/// <summary>
/// Builds the continuity report from the catalogue and the incident histories. Pure: the same inputs give the same
/// report. Catalogue facts are read as of the report date (a completion or closure dated after it has not happened
/// yet); incidents and maintenance windows' occurrences count when they started in the period [periodStart, reportDate) (UTC days).
/// </summary>
public static class ContinuityReportBuilder
{
    /// <summary>An exercise is due when scheduled from the report date to this many days after it, both inclusive.</summary>
    public const int DueWithinDays = 30;

    /// <summary>A plan counts as tested when it has a completed exercise in this many days up to the report date (inclusive).</summary>
    public const int TestedWithinDays = 365;

    /// <summary>An exercise completed up to this many days after its scheduled date is on schedule.</summary>
    public const int ExerciseGraceDays = 7;

    /// <summary>A KPI below target by at most this many percentage points is AtRisk; further below, Missed.</summary>
    public const int AtRiskMarginPoints = 10;

    private const int PlansTarget = 100;
    private const int BiaTarget = 100;
    private const int ExercisesTarget = 95;
    private const int RtoTarget = 90;
    private const int FindingsTarget = 90;

    /// <param name="incidents">Incident histories (any; those that started in the period are used); empty when reporting from a catalogue file alone.</param>
    /// <param name="reportDate">The day the report describes.</param>
    /// <param name="periodStart">First day of the incident period, on or before <paramref name="reportDate"/>.</param>
    /// <param name="exposures">The services' current RPO exposures (<see cref="IRpoExposureSource"/>); none when reporting from a catalogue file alone.</param>
    /// <param name="runs">Exercise runs on the hub (those that ended in the period are listed); none when reporting from a catalogue file alone.</param>
    /// <param name="reviews">The post-incident reviews (their corrective actions count with the exercise findings); none when reporting from a catalogue file alone.</param>
    public static ContinuityReport Build(
        ContinuityCatalog catalog,
        IReadOnlyList<IncidentHistory> incidents,
        DateOnly reportDate,
        DateOnly periodStart,
        IReadOnlyList<RpoExposure>? exposures = null,
        IReadOnlyList<Exercises.ExerciseRun>? runs = null,
        IReadOnlyList<ReviewFact>? reviews = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(incidents);
        if (periodStart > reportDate)
        {
            throw new ArgumentOutOfRangeException(nameof(periodStart), periodStart, "The period must start on or before the report date.");
        }

        var facts = new ExerciseFacts(catalog, reportDate);
        var index = new CatalogIndex(catalog);

        var (compliance, overdueReviews, drafts, retired) = PlanReviews(catalog, reportDate);
        var (due, overdue) = Schedule(facts, reportDate);
        var failed = Failed(catalog, facts);
        var services = Services(catalog, index, facts, reportDate);
        var findings = OpenFindings(catalog, facts, reportDate);
        var incidentFigures = IncidentFigures.Compute(incidents, periodStart, reportDate);

        var kpis = new List<Kpi>
        {
            Measure(
                KpiIds.PlansReviewedInCycle,
                "Plans reviewed within cycle",
                compliance.WithinCycle,
                compliance.Approved,
                PlansTarget,
                "Approved plans whose next review date is on or after the report date, of all Approved plans."),
            Measure(
                KpiIds.CurrentBia,
                "Services with a current BIA",
                services.BiaCurrent,
                catalog.Services.Count,
                BiaTarget,
                "Services whose BIA was reviewed within the policy's BIA review interval, of all services."),
            ExercisesOnSchedule(catalog, facts, reportDate),
            RtoAchievement(catalog, facts, reportDate, incidentFigures),
            FindingsOnTime(catalog, reviews ?? [], reportDate),
        };

        return new ContinuityReport(
            reportDate,
            periodStart,
            compliance,
            overdueReviews,
            drafts,
            retired,
            due,
            overdue,
            failed,
            services.Gaps,
            services.Untested,
            services.WithoutPlan,
            services.Stale,
            incidentFigures.Summary,
            findings,
            kpis,
            incidentFigures.Calibration,
            services.Rows)
        {
            Rpo = RpoFigures.Compute(catalog, incidents, exposures ?? [], periodStart, reportDate),
            Maintenance = MaintenanceFigures.Compute(catalog, incidents, periodStart, reportDate),
            Learning = LearningFigures.Compute(catalog, runs ?? [], reviews ?? [], periodStart, reportDate),
        };
    }

    private static (PlanReviewCompliance, List<OverdueReview>, List<PlanListing>, List<PlanListing>) PlanReviews(ContinuityCatalog catalog, DateOnly reportDate)
    {
        var overdue = new List<OverdueReview>();
        var drafts = new List<PlanListing>();
        var retired = new List<PlanListing>();
        var approved = 0;
        var within = 0;
        foreach (var plan in catalog.Plans)
        {
            switch (plan.Status)
            {
                case PlanStatus.Approved:
                    approved++;
                    if (plan.NextReview is { } next && next >= reportDate)
                    {
                        within++;
                    }
                    else
                    {
                        overdue.Add(new OverdueReview(
                            plan.Id,
                            plan.Title,
                            plan.Owner,
                            plan.NextReview,
                            plan.NextReview is { } n ? reportDate.DayNumber - n.DayNumber : null,
                            plan.LastReviewed));
                    }

                    break;
                case PlanStatus.Draft:
                    drafts.Add(Listing(plan));
                    break;
                default:
                    retired.Add(Listing(plan));
                    break;
            }
        }

        // Never scheduled for review first, then the longest overdue.
        overdue.Sort(static (a, b) =>
        {
            var byDays = (b.DaysOverdue ?? int.MaxValue).CompareTo(a.DaysOverdue ?? int.MaxValue);
            return byDays != 0 ? byDays : string.CompareOrdinal(a.Id, b.Id);
        });
        drafts.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        retired.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var compliance = new PlanReviewCompliance(Ratio(within, approved), approved, within, approved - within, drafts.Count, retired.Count);
        return (compliance, overdue, drafts, retired);
    }

    private static PlanListing Listing(ContinuityPlan plan) =>
        new(plan.Id, plan.Title, plan.Type, plan.Version, plan.Owner, plan.LastReviewed, plan.NextReview, plan.Services);

    private static (List<ExerciseDue>, List<ExerciseOverdue>) Schedule(ExerciseFacts facts, DateOnly reportDate)
    {
        var due = new List<ExerciseDue>();
        var overdue = new List<ExerciseOverdue>();
        foreach (var exercise in facts.Pending(reportDate.AddDays(DueWithinDays)))
        {
            var days = exercise.Scheduled.DayNumber - reportDate.DayNumber;
            if (days < 0)
            {
                overdue.Add(new ExerciseOverdue(exercise.Id, exercise.Plan, exercise.Type, exercise.Scheduled, -days));
            }
            else
            {
                due.Add(new ExerciseDue(exercise.Id, exercise.Plan, exercise.Type, exercise.Scheduled, days));
            }
        }

        return (due, overdue);
    }

    private static List<FailedExercise> Failed(ContinuityCatalog catalog, ExerciseFacts facts)
    {
        var failed = new List<FailedExercise>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plan in catalog.Plans)
        {
            if (plan.Status == PlanStatus.Retired || !seen.Add(plan.Id) || facts.LastCompleted(plan.Id) is not { Result: ExerciseResult.Failed } last)
            {
                continue;
            }

            var open = last.Findings.Count(f => !facts.IsClosed(f));
            failed.Add(new FailedExercise(last.Id, last.Plan, last.Type, last.Scheduled, last.Completed!.Value, last.AchievedRecovery, open));
        }

        failed.Sort(static (a, b) => b.Completed != a.Completed ? b.Completed.CompareTo(a.Completed) : string.CompareOrdinal(a.Id, b.Id));
        return failed;
    }

    private sealed record ServiceFigures(
        List<ServiceRow> Rows,
        List<RtoGap> Gaps,
        List<UntestedService> Untested,
        List<ServiceWithoutPlan> WithoutPlan,
        List<StaleBia> Stale,
        int BiaCurrent);

    private static ServiceFigures Services(ContinuityCatalog catalog, CatalogIndex index, ExerciseFacts facts, DateOnly reportDate)
    {
        // Every plan that names a service, whatever its type or status: what a service without a plan still has.
        var namedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var plan in catalog.Plans)
        {
            foreach (var id in plan.Services)
            {
                if (!namedBy.TryGetValue(id, out var plans))
                {
                    namedBy[id] = plans = [];
                }

                if (!plans.Contains(plan.Id))
                {
                    plans.Add(plan.Id);
                }
            }
        }

        var services = catalog.Services;
        var testedSince = reportDate.AddDays(-TestedWithinDays);
        var interval = catalog.Policy.BiaReviewInterval;
        var rows = new List<ServiceRow>(services.Count);
        var gaps = new List<RtoGap>();
        var untested = new List<UntestedService>();
        var withoutPlan = new List<ServiceWithoutPlan>();
        var stale = new List<StaleBia>();
        var current = 0;
        for (var i = 0; i < services.Count; i++)
        {
            var service = services[i];
            var plan = index.PlanOf(i);
            var last = plan is null ? null : facts.LastCompleted(plan.Id);
            var measured = plan is null ? null : facts.LastMeasured(plan.Id);
            var achieved = measured?.AchievedRecovery;
            TimeSpan? gap = achieved is { } a ? (a > service.Rto ? a - service.Rto : TimeSpan.Zero) : null;
            int? biaAge = service.BiaReviewed is { } reviewed ? reportDate.DayNumber - reviewed.DayNumber : null;
            var biaCurrent = biaAge is { } age && TimeSpan.FromDays(age) <= interval;

            rows.Add(new ServiceRow(
                service.Id,
                service.Name,
                service.Tier,
                service.Rto,
                plan?.Id,
                last?.Id,
                last?.Completed,
                achieved,
                measured?.Id,
                gap,
                service.BiaReviewed,
                biaAge,
                biaCurrent));

            if (plan is null)
            {
                withoutPlan.Add(new ServiceWithoutPlan(service.Id, service.Name, service.Tier, service.Owner, namedBy.GetValueOrDefault(service.Id) ?? []));
            }
            else if (last is null || last.Completed!.Value < testedSince)
            {
                untested.Add(new UntestedService(service.Id, service.Name, service.Tier, plan.Id, last?.Id, last?.Completed));
            }

            if (measured is not null && gap > TimeSpan.Zero)
            {
                gaps.Add(new RtoGap(service.Id, service.Name, service.Tier, service.Rto, achieved!.Value, gap.Value, plan!.Id, measured.Id, measured.Completed!.Value));
            }

            if (biaCurrent)
            {
                current++;
            }
            else
            {
                stale.Add(new StaleBia(
                    service.Id,
                    service.Name,
                    service.Tier,
                    service.Owner,
                    service.BiaReviewed,
                    biaAge,
                    service.BiaReviewed is null ? BiaStatus.NeverReviewed : BiaStatus.Stale));
            }
        }

        gaps.Sort(static (a, b) => a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : a.Gap != b.Gap ? b.Gap.CompareTo(a.Gap) : string.CompareOrdinal(a.Id, b.Id));
        untested.Sort(static (a, b) => a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : string.CompareOrdinal(a.Id, b.Id));
        withoutPlan.Sort(static (a, b) => a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : string.CompareOrdinal(a.Id, b.Id));
        stale.Sort(static (a, b) => a.Tier != b.Tier ? a.Tier.CompareTo(b.Tier) : string.CompareOrdinal(a.Id, b.Id));
        return new ServiceFigures(rows, gaps, untested, withoutPlan, stale, current);
    }

    private static List<OpenFinding> OpenFindings(ContinuityCatalog catalog, ExerciseFacts facts, DateOnly reportDate)
    {
        var open = new List<OpenFinding>();
        foreach (var exercise in catalog.Exercises)
        {
            foreach (var finding in exercise.Findings)
            {
                if (facts.IsClosed(finding))
                {
                    continue;
                }

                var late = Math.Max(0, reportDate.DayNumber - finding.Due.DayNumber);
                open.Add(new OpenFinding(finding.Id, exercise.Id, exercise.Plan, finding.Text, finding.Owner, finding.Due, late > 0, late));
            }
        }

        open.Sort(static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : string.CompareOrdinal(a.Id, b.Id));
        return open;
    }

    private static Kpi ExercisesOnSchedule(ContinuityCatalog catalog, ExerciseFacts facts, DateOnly reportDate)
    {
        int onTime = 0, counted = 0;
        foreach (var exercise in catalog.Exercises)
        {
            if (exercise.Scheduled >= reportDate)
            {
                continue;
            }

            var deadline = exercise.Scheduled.AddDays(ExerciseGraceDays);
            var completed = facts.IsCompleted(exercise);
            if (!completed && (deadline >= reportDate || facts.IsRetired(exercise.Plan)))
            {
                continue; // still within its grace days, or its plan was retired before it ran: not scored
            }

            counted++;
            if (completed && exercise.Completed!.Value <= deadline)
            {
                onTime++;
            }
        }

        return Measure(
            KpiIds.ExercisesOnSchedule,
            "Exercises completed on schedule",
            onTime,
            counted,
            ExercisesTarget,
            $"Exercises scheduled before the report date that were completed no later than {ExerciseGraceDays} days after their scheduled date. "
            + $"One not yet done counts once its {ExerciseGraceDays} days of grace have passed; one of a Retired plan that never ran is not counted.");
    }

    private static Kpi RtoAchievement(ContinuityCatalog catalog, ExerciseFacts facts, DateOnly reportDate, IncidentFigures.Result incidents)
    {
        var rto = new Dictionary<string, TimeSpan>(catalog.Services.Count, StringComparer.Ordinal);
        foreach (var service in catalog.Services)
        {
            rto.TryAdd(service.Id, service.Rto);
        }

        // The tightest RTO among a plan's services: recovering within it recovers every service the plan covers in time.
        var planRto = new Dictionary<string, TimeSpan>(catalog.Plans.Count, StringComparer.Ordinal);
        foreach (var plan in catalog.Plans)
        {
            foreach (var id in plan.Services)
            {
                if (rto.TryGetValue(id, out var r) && (!planRto.TryGetValue(plan.Id, out var tightest) || r < tightest))
                {
                    planRto[plan.Id] = r;
                }
            }
        }

        var since = reportDate.AddDays(-TestedWithinDays);
        int achieved = incidents.RecoveriesWithinRto, counted = incidents.Recoveries;
        foreach (var exercise in catalog.Exercises)
        {
            if (exercise.AchievedRecovery is not { } recovery || !facts.IsCompleted(exercise) || exercise.Completed!.Value < since
                || !planRto.TryGetValue(exercise.Plan, out var tightest))
            {
                continue;
            }

            counted++;
            if (recovery <= tightest)
            {
                achieved++;
            }
        }

        return Measure(
            KpiIds.RtoAchievement,
            "RTO achievement in exercises and real recoveries",
            achieved,
            counted,
            RtoTarget,
            $"Exercises completed in the last {TestedWithinDays} days that measured a recovery time, recovering within the RTO of every service "
            + "their plan covers; plus incidents of the period that were resolved within the RTO of every service they impacted.");
    }

    private static Kpi FindingsOnTime(ContinuityCatalog catalog, IReadOnlyList<ReviewFact> reviews, DateOnly reportDate)
    {
        var (onTime, counted) = LearningFigures.ClosedOnTime(catalog.Exercises.SelectMany(e => e.Findings).Concat(reviews.SelectMany(r => r.CorrectiveActions)), reportDate);
        return Measure(
            KpiIds.FindingsClosedOnTime,
            "Corrective actions closed on time",
            onTime,
            counted,
            FindingsTarget,
            "Exercise findings and post-incident corrective actions due before the report date that were closed on or before their due date.");
    }

    private static Kpi Measure(string id, string name, int numerator, int denominator, int targetPercent, string definition)
    {
        var status = denominator == 0 ? KpiStatus.NoData
            : numerator * 100L >= (long)targetPercent * denominator ? KpiStatus.Met
            : numerator * 100L >= (long)(targetPercent - AtRiskMarginPoints) * denominator ? KpiStatus.AtRisk
            : KpiStatus.Missed;
        return new Kpi(id, name, Ratio(numerator, denominator), targetPercent / 100.0, status, "ratio", numerator, denominator, definition);
    }

    // Truncated (not rounded) to 4 decimals, so a share short of the whole never shows as 1.
    private static double? Ratio(int numerator, int denominator) =>
        denominator == 0 ? null : numerator * 10_000L / denominator / 10_000.0;
}
