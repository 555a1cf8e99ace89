using System.Text.Json.Serialization;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Reporting;

/// <summary>
/// The continuity programme's health on a report date: plan reviews, exercises, RTO achievability, BIA currency,
/// incidents of the period, findings and the KPIs built from them. Built by <see cref="ContinuityReportBuilder"/>,
/// rendered by <see cref="ReportRenderer"/>. Every list entry carries the catalogue <c>Id</c> of what it is about
/// (the incident key for incidents).
/// </summary>
/// <param name="ReportDate">The day the report describes: catalogue dates are compared with it.</param>
/// <param name="PeriodStart">First day of the incident period; the period runs up to, not including, the report date (UTC days).</param>
/// <param name="Services">One row per catalogued service, in catalogue order: the computed columns of the CSV sheet.</param>
public sealed record ContinuityReport(
    DateOnly ReportDate,
    DateOnly PeriodStart,
    PlanReviewCompliance PlanReviewCompliance,
    IReadOnlyList<OverdueReview> OverdueReviews,
    IReadOnlyList<PlanListing> DraftPlans,
    IReadOnlyList<PlanListing> RetiredPlans,
    IReadOnlyList<ExerciseDue> ExercisesDue,
    IReadOnlyList<ExerciseOverdue> ExercisesOverdue,
    IReadOnlyList<FailedExercise> FailedExercises,
    IReadOnlyList<RtoGap> RtoGaps,
    IReadOnlyList<UntestedService> UntestedServices,
    IReadOnlyList<ServiceWithoutPlan> ServicesWithoutPlan,
    IReadOnlyList<StaleBia> StaleBia,
    IncidentSummary Incidents,
    IReadOnlyList<OpenFinding> OpenFindings,
    IReadOnlyList<Kpi> Kpis,
    IReadOnlyList<CalibrationEntry> Calibration,
    IReadOnlyList<ServiceRow> Services)
{
    /// <summary>The KPI with <paramref name="id"/> (one of <see cref="KpiIds"/>).</summary>
    public Kpi GetKpi(string id) => Kpis.First(k => string.Equals(k.Id, id, StringComparison.Ordinal));

    /// <summary>The alerts crisis teams received about the incidents of the period, and any delivery that failed.</summary>
    public CrisisTeamAlerts CrisisTeamAlerts { get; init; } = CrisisTeamAlerts.Empty;

    /// <summary>What the hub did by itself about the incidents of the period: the notes written back to their source records.</summary>
    public ReactionCounts Reactions { get; init; } = ReactionCounts.Empty;

    /// <summary>Each service's data exposure against its RPO as the report was built, and the RPO incidents of the period.</summary>
    public RpoSummary Rpo { get; init; } = RpoSummary.Empty;

    /// <summary>The maintenance windows held in the period, and the incidents of the period that began inside one.</summary>
    public MaintenanceSummary Maintenance { get; init; } = MaintenanceSummary.Empty;

    /// <summary>Exercises played on the hub in the period, open findings and corrective actions by age, post-incident reviews overdue.</summary>
    public LearningSummary Learning { get; init; } = LearningSummary.Empty;
}

/// <summary>The notes written back to source records about the incidents of the period: sent, refused for good, still pending.</summary>
public sealed record ReactionCounts(int Run, int Failed, int Pending)
{
    public static ReactionCounts Empty { get; } = new(0, 0, 0);

    public int Total => Run + Failed + Pending;

    public ReactionCounts Plus(ReactionCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ReactionCounts(Run + other.Run, Failed + other.Failed, Pending + other.Pending);
    }
}

/// <summary>Counts the notes the hub wrote back about an incident (implemented over the delivery ledger).</summary>
public interface IReactionCounter
{
    /// <summary>The incident's notes from the day of <paramref name="since"/> to that of <paramref name="until"/>, by what became of them.</summary>
    Task<ReactionCounts> CountAsync(string incidentKey, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>Alerts to crisis teams in Teams for the incidents of the period, counted by what became of them.</summary>
/// <param name="Escalated">Alerts that went past the first roster tier because nobody acknowledged in time.</param>
/// <param name="DeliveryProblems">Alerts with a notification that keeps failing or was refused: someone may not have been told.</param>
public sealed record CrisisTeamAlerts(int Alerts, int Acknowledged, int Invoked, int StoodDown, int Escalated, int DeliveryProblems, IReadOnlyList<AlertLine> Items)
{
    public static CrisisTeamAlerts Empty { get; } = new(0, 0, 0, 0, 0, 0, []);

    public static CrisisTeamAlerts From(IEnumerable<Outbox.PlanAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var items = alerts
            .OrderBy(a => a.IncidentKey, StringComparer.Ordinal)
            .ThenBy(a => a.Plan, StringComparer.Ordinal)
            .Select(a => new AlertLine(
                a.IncidentKey,
                a.Plan,
                a.Level,
                a.Status,
                a.Paged.Count == 0 ? 0 : a.Paged.Max(p => p.Tier) + 1,
                a.AcknowledgedBy,
                a.AcknowledgedAt,
                a.DecidedBy,
                a.DecidedAt,
                a.DeliveryProblem))
            .ToList();
        return new CrisisTeamAlerts(
            items.Count,
            items.Count(i => i.AcknowledgedBy is not null),
            items.Count(i => i.Status == Outbox.AlertStatus.Invoked),
            items.Count(i => i.Status == Outbox.AlertStatus.StoodDown),
            items.Count(i => i.TiersPaged > 1),
            items.Count(i => i.DeliveryProblem is not null),
            items);
    }
}

/// <summary>One alert: the incident and plan, its level and status, how many roster tiers were paged, who acted, and any delivery problem.</summary>
public sealed record AlertLine(
    string IncidentKey,
    string Plan,
    AssessmentLevel Level,
    Outbox.AlertStatus Status,
    int TiersPaged,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DeliveryProblem);

/// <summary>Approved plans whose next review is not before the report date, of all Approved plans. Draft and Retired plans are not counted.</summary>
/// <param name="Share">WithinCycle / Approved, 0..1; null when there is no Approved plan.</param>
public sealed record PlanReviewCompliance(double? Share, int Approved, int WithinCycle, int Overdue, int Draft, int Retired);

/// <summary>An Approved plan past its next review date (or with none set: then both dates are null).</summary>
public sealed record OverdueReview(string Id, string Title, string Owner, DateOnly? NextReview, int? DaysOverdue, DateOnly? LastReviewed);

/// <summary>A Draft or Retired plan, listed for information and not counted in any figure.</summary>
public sealed record PlanListing(string Id, string Title, PlanType Type, string Version, string Owner, DateOnly? LastReviewed, DateOnly? NextReview, IReadOnlyList<string> Services);

/// <summary>An exercise scheduled from the report date to 30 days after it (both inclusive), not completed yet.</summary>
public sealed record ExerciseDue(string Id, string Plan, ExerciseType Type, DateOnly Scheduled, int DaysUntil);

/// <summary>An exercise scheduled before the report date and not completed.</summary>
public sealed record ExerciseOverdue(string Id, string Plan, ExerciseType Type, DateOnly Scheduled, int DaysOverdue);

/// <summary>The last completed exercise of a (not Retired) plan, which failed.</summary>
public sealed record FailedExercise(string Id, string Plan, ExerciseType Type, DateOnly Scheduled, DateOnly Completed, TimeSpan? AchievedRecovery, int OpenFindings);

/// <summary>A service whose plan, in its last exercise that measured a recovery, recovered later than the service's RTO.</summary>
/// <param name="Id">The service.</param>
/// <param name="Gap">Achieved − RTO (always positive here).</param>
/// <param name="Exercise">The exercise that measured <paramref name="Achieved"/>.</param>
public sealed record RtoGap(string Id, string Name, int Tier, TimeSpan Rto, TimeSpan Achieved, TimeSpan Gap, string Plan, string Exercise, DateOnly ExerciseCompleted);

/// <summary>A service with a plan that has no completed exercise in the 365 days up to the report date.</summary>
/// <param name="LastExercise">The plan's last completed exercise, older than 365 days; null when it was never exercised.</param>
public sealed record UntestedService(string Id, string Name, int Tier, string Plan, string? LastExercise, DateOnly? LastExerciseCompleted);

/// <summary>A service no Approved DisasterRecovery or BusinessRecovery plan covers.</summary>
/// <param name="OtherPlans">Plans that name it but do not count (Draft, Retired, crisis-management or emergency-response plans).</param>
public sealed record ServiceWithoutPlan(string Id, string Name, int Tier, string Owner, IReadOnlyList<string> OtherPlans);

public enum BiaStatus
{
    /// <summary>Reviewed, but longer ago than the policy's biaReviewInterval.</summary>
    Stale,

    /// <summary>No BIA review on record.</summary>
    NeverReviewed,
}

/// <summary>A service whose BIA review is older than policy.biaReviewInterval, or that was never reviewed.</summary>
public sealed record StaleBia(string Id, string Name, int Tier, string Owner, DateOnly? BiaReviewed, int? AgeDays, BiaStatus Status);

/// <summary>
/// Incidents that started in the period, from their histories: the highest level each reached, how long to the first
/// Alert and to the invocation decision, automatic invocations and stand-downs. All zero/empty without histories.
/// </summary>
/// <param name="Assessed">Incidents that started in the period.</param>
/// <param name="TimeToFirstAlert">From the incident's start to its first assessment at Alert or above.</param>
/// <param name="TimeToDecision">From the incident's start to its first assessment at RecommendInvocation or Invoke.</param>
/// <param name="Invocations">Incidents the hub invoked a plan for (reached Invoke).</param>
/// <param name="StandDowns">Incidents that reached Alert or above and were later assessed None (resolved or gone).</param>
/// <param name="Items">One line per incident, by start time.</param>
public sealed record IncidentSummary(
    int Assessed,
    LevelCounts ByHighestLevel,
    DurationStats TimeToFirstAlert,
    DurationStats TimeToDecision,
    int Invocations,
    int StandDowns,
    IReadOnlyList<IncidentLine> Items)
{
    public static IncidentSummary Empty { get; } = new(0, new LevelCounts(0, 0, 0, 0, 0), DurationStats.Empty, DurationStats.Empty, 0, 0, []);
}

/// <summary>Incidents by the highest level they reached (JSON keys are the level names).</summary>
public sealed record LevelCounts(
    [property: JsonPropertyName("None")] int None,
    [property: JsonPropertyName("Monitor")] int Monitor,
    [property: JsonPropertyName("Alert")] int Alert,
    [property: JsonPropertyName("RecommendInvocation")] int RecommendInvocation,
    [property: JsonPropertyName("Invoke")] int Invoke)
{
    public int this[AssessmentLevel level] => level switch
    {
        AssessmentLevel.None => None,
        AssessmentLevel.Monitor => Monitor,
        AssessmentLevel.Alert => Alert,
        AssessmentLevel.RecommendInvocation => RecommendInvocation,
        _ => Invoke,
    };
}

/// <summary>Median and 90th percentile (nearest rank) of a set of durations; null when <paramref name="Count"/> is 0.</summary>
public sealed record DurationStats(int Count, TimeSpan? Median, TimeSpan? P90, TimeSpan? Max)
{
    public static DurationStats Empty { get; } = new(0, null, null, null);
}

/// <summary>One incident of the period.</summary>
/// <param name="Id">The incident key (<c>source~externalId</c>).</param>
/// <param name="StartedAt">When it started (a reopened incident: its first outage).</param>
/// <param name="ResolvedAt">When the hub first heard it was Resolved or Closed (a reopened incident: its last outage's end); null while open.</param>
/// <param name="Outage">ResolvedAt − StartedAt; for a reopened incident, the sum of its outages.</param>
/// <param name="Services">Ids of the services its assessments found impacted.</param>
public sealed record IncidentLine(
    string Id,
    string Title,
    string Priority,
    DateTimeOffset StartedAt,
    AssessmentLevel HighestLevel,
    DateTimeOffset? FirstAlertAt,
    TimeSpan? TimeToFirstAlert,
    DateTimeOffset? DecisionAt,
    TimeSpan? TimeToDecision,
    DateTimeOffset? ResolvedAt,
    TimeSpan? Outage,
    bool StoodDown,
    IReadOnlyList<string> Services);

/// <summary>An exercise finding not closed by the report date.</summary>
/// <param name="Overdue">Due before the report date.</param>
public sealed record OpenFinding(string Id, string Exercise, string Plan, string Text, string Owner, DateOnly Due, bool Overdue, int DaysOverdue);

public enum KpiStatus
{
    /// <summary>Value at or above target.</summary>
    Met,

    /// <summary>Below target by at most 10 percentage points.</summary>
    AtRisk,

    /// <summary>More than 10 percentage points below target.</summary>
    Missed,

    /// <summary>Nothing to measure (the denominator is 0); value is null.</summary>
    NoData,
}

/// <summary>An ISO 22301 performance measure.</summary>
/// <param name="Value">Numerator / Denominator, 0..1 (rounded to 4 decimals); null when Denominator is 0.</param>
/// <param name="Target">0..1.</param>
/// <param name="Unit">Always <c>ratio</c>: value and target are fractions, shown as percentages.</param>
/// <param name="Definition">What is counted, in plain words.</param>
public sealed record Kpi(string Id, string Name, double? Value, double Target, KpiStatus Status, string Unit, int Numerator, int Denominator, string Definition);

/// <summary>The KPI ids.</summary>
public static class KpiIds
{
    public const string PlansReviewedInCycle = "plans-reviewed-in-cycle";
    public const string CurrentBia = "services-with-current-bia";
    public const string ExercisesOnSchedule = "exercises-on-schedule";
    public const string RtoAchievement = "rto-achievement";
    public const string FindingsClosedOnTime = "findings-closed-on-time";
}

public enum CalibrationVerdict
{
    /// <summary>Not resolved yet, or no RTO known for its services: too early to say.</summary>
    Undetermined,

    /// <summary>Invocation recommended, and the outage did exceed an RTO.</summary>
    RecommendedAndNeeded,

    /// <summary>Invocation recommended, but the outage stayed within every RTO.</summary>
    RecommendedNotNeeded,

    /// <summary>The outage exceeded an RTO, but invocation was never recommended.</summary>
    NeededNotRecommended,

    /// <summary>Alert only, and the outage stayed within every RTO.</summary>
    NotNeeded,
}

/// <summary>An incident that reached Alert: what the hub projected then against what happened.</summary>
/// <param name="Id">The incident key.</param>
/// <param name="ProjectedAtFirstAlert">The longest projected outage among the services of the first Alert assessment.</param>
/// <param name="ActualOutage">Resolution time − start; null while the incident is open.</param>
/// <param name="Rto">The shortest RTO among the impacted services.</param>
/// <param name="InvocationRecommended">It reached RecommendInvocation or Invoke.</param>
/// <param name="InvocationNeeded">ActualOutage exceeded the RTO of an impacted service; null while open.</param>
public sealed record CalibrationEntry(
    string Id,
    string Title,
    DateTimeOffset StartedAt,
    DateTimeOffset FirstAlertAt,
    TimeSpan ProjectedAtFirstAlert,
    TimeSpan? ActualOutage,
    TimeSpan? Rto,
    bool InvocationRecommended,
    bool? InvocationNeeded,
    CalibrationVerdict Verdict,
    IReadOnlyList<string> Services);

/// <summary>One service's computed facts: the columns of the continuity sheet that are not in the catalogue.</summary>
/// <param name="Plan">The plan that recovers it (the invocation clock's rule); null when none.</param>
/// <param name="LastExercise">The plan's last completed exercise, of any type.</param>
/// <param name="AchievedRecovery">From the plan's last completed exercise that measured a recovery time.</param>
/// <param name="MeasuredIn">The exercise <paramref name="AchievedRecovery"/> comes from.</param>
/// <param name="Gap">Achieved − RTO when positive, else zero; null when nothing was measured.</param>
/// <param name="BiaAgeDays">Days from the BIA review to the report date; null when never reviewed.</param>
public sealed record ServiceRow(
    string Id,
    string Name,
    int Tier,
    TimeSpan Rto,
    string? Plan,
    string? LastExercise,
    DateOnly? LastExerciseDate,
    TimeSpan? AchievedRecovery,
    string? MeasuredIn,
    TimeSpan? Gap,
    DateOnly? BiaReviewed,
    int? BiaAgeDays,
    bool BiaCurrent);
