using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Reporting;

/// <summary>A report and its three files, rendered.</summary>
public sealed record RenderedReport(ContinuityReport Report, IReadOnlyList<ReportFile> Files);

/// <summary>What <see cref="ReportService.WriteAsync"/> did: the report, and each file's path and whether it was written or unchanged.</summary>
public sealed record ReportOutcome(ContinuityReport Report, IReadOnlyList<ReportWrite> Files)
{
    public int Written => Files.Count(f => f.Written);

    public int Unchanged => Files.Count(f => !f.Written);
}

/// <summary>
/// The continuity report for a report date: the stored catalogue as it is now, and the incidents that started in the
/// <see cref="PeriodDays"/> UTC days before the report date — [reportDate − 7 days, reportDate) — built, rendered
/// and written to <c>reports/{yyyy-MM-dd}/continuity-report.{html,json,csv}</c>. Running it again for the same
/// date writes nothing unless a file's content changed (the catalogue was re-imported, an incident was updated, a
/// service's RPO exposure moved on).
/// </summary>
public sealed partial class ReportService(
    ICatalogStore catalogs,
    IIncidentStore incidents,
    IReportStore reports,
    ILogger<ReportService> logger,
    IAlertStore? alerts = null,
    IReactionCounter? reactionCounter = null,
    IRpoExposureSource? exposures = null,
    Exercises.IExerciseRunStore? exerciseRuns = null,
    IReviewSource? reviewSource = null)
{
    /// <summary>The length of the incident period, in days, ending the day before the report date.</summary>
    public const int PeriodDays = 7;

    /// <summary>The first day of the incident period of <paramref name="reportDate"/>: seven days before it.</summary>
    public static DateOnly PeriodStartOf(DateOnly reportDate) => reportDate.AddDays(-PeriodDays);

    /// <summary>Builds the report for <paramref name="reportDate"/> (period as <see cref="PeriodStartOf"/>) and renders its files.</summary>
    /// <param name="incidents">Incident histories; empty when reporting from a catalogue file alone.</param>
    /// <param name="alerts">The crisis-team alerts of those incidents; none when reporting from a catalogue file alone.</param>
    /// <param name="exposures">The services' current RPO exposures; none when reporting from a catalogue file alone (the RPO incidents still come from <paramref name="incidents"/>).</param>
    public static RenderedReport Render(
        ContinuityCatalog catalog,
        IReadOnlyList<IncidentHistory> incidents,
        DateOnly reportDate,
        CrisisTeamAlerts? alerts = null,
        ReactionCounts? reactions = null,
        IReadOnlyList<RpoExposure>? exposures = null,
        IReadOnlyList<Exercises.ExerciseRun>? runs = null,
        IReadOnlyList<ReviewFact>? reviews = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(incidents);
        var report = ContinuityReportBuilder.Build(catalog, incidents, reportDate, PeriodStartOf(reportDate), exposures, runs, reviews) with { CrisisTeamAlerts = alerts ?? CrisisTeamAlerts.Empty, Reactions = reactions ?? ReactionCounts.Empty };
        return new RenderedReport(report, ReportFiles.Render(report, catalog));
    }

    /// <summary>Reads the stored catalogue, the histories of the incidents of the period and the current RPO exposures, and renders the report.</summary>
    public async Task<RenderedReport> BuildAsync(DateOnly reportDate, CancellationToken cancellationToken)
    {
        var periodStart = PeriodStartOf(reportDate);
        var catalog = await catalogs.LoadAsync(cancellationToken);
        var histories = new List<IncidentHistory>();
        await foreach (var history in incidents.ListHistoriesAsync(StartOfDay(periodStart), StartOfDay(reportDate), cancellationToken))
        {
            histories.Add(history);
        }

        Log.Loaded(logger, reportDate, catalog.Services.Count, catalog.Plans.Count, histories.Count, periodStart);
        var alerted = new List<PlanAlert>();
        var reactions = ReactionCounts.Empty;
        foreach (var history in histories.Where(h => h.Incident.AlertedLevel >= Assessment.AssessmentLevel.Alert || h.Assessments.Any(a => a.Level >= Assessment.AssessmentLevel.Alert)))
        {
            var own = alerts is null ? [] : await alerts.ListAlertsAsync(history.Incident.Incident.Key, cancellationToken);
            alerted.AddRange(own);
            if (reactionCounter is not null)
            {
                var until = history.Incident.LastChangedWith(own);
                reactions = reactions.Plus(await reactionCounter.CountAsync(history.Incident.Incident.Key, history.Incident.FirstSeen, until, cancellationToken));
            }
        }

        var current = exposures is null ? [] : await exposures.ReadAsync(cancellationToken);
        var runs = exerciseRuns is null ? [] : await exerciseRuns.ListEndedAsync(StartOfDay(periodStart), StartOfDay(reportDate), cancellationToken);
        var reviews = reviewSource is null ? [] : await reviewSource.ListReviewsAsync(cancellationToken);
        return Render(catalog, histories, reportDate, CrisisTeamAlerts.From(alerted), reactions, current, runs, reviews);
    }

    /// <summary>Builds the report and writes its three files through the report store; unchanged files are not written again.</summary>
    public async Task<ReportOutcome> WriteAsync(DateOnly reportDate, CancellationToken cancellationToken)
    {
        var rendered = await BuildAsync(reportDate, cancellationToken);
        var writes = new List<ReportWrite>(rendered.Files.Count);
        foreach (var file in rendered.Files)
        {
            writes.Add(await reports.WriteAsync(reportDate, file.FileName, file.ContentType, file.Content, cancellationToken));
        }

        var outcome = new ReportOutcome(rendered.Report, writes);
        var report = rendered.Report;
        Log.Written(
            logger,
            reportDate,
            outcome.Written,
            outcome.Unchanged,
            report.PlanReviewCompliance.Share,
            report.OverdueReviews.Count,
            report.ExercisesOverdue.Count,
            report.RtoGaps.Count,
            report.Incidents.Assessed);

        return outcome;
    }

    private static DateTimeOffset StartOfDay(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3300, Level = LogLevel.Debug,
            Message = "Report for {ReportDate}: {Services} services, {Plans} plans and {Incidents} incidents started from {PeriodStart}")]
        public static partial void Loaded(ILogger logger, DateOnly reportDate, int services, int plans, int incidents, DateOnly periodStart);

        [LoggerMessage(EventId = 3301, Level = LogLevel.Information,
            Message = "Continuity report for {ReportDate}: {Written} files written, {Unchanged} unchanged; plan review compliance {PlanReviewCompliance}, "
                + "{OverdueReviews} overdue reviews, {ExercisesOverdue} exercises overdue, {RtoGaps} RTO gaps, {Incidents} incidents in the period")]
        public static partial void Written(
            ILogger logger, DateOnly reportDate, int written, int unchanged, double? planReviewCompliance, int overdueReviews, int exercisesOverdue, int rtoGaps, int incidents);
    }
}
