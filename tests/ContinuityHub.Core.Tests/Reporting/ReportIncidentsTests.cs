using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

public class ReportIncidentsTests
{
    // The period is the week 2026-11-18 .. 2026-11-24; the incidents start on 2026-11-20 08:00 UTC.
    private static readonly DateOnly ReportDate = new(2026, 11, 25);
    private static readonly DateOnly PeriodStart = new(2026, 11, 18);

    private static TimeSpan M(int minutes) => TimeSpan.FromMinutes(minutes);

    private static ContinuityReport Build(params IncidentHistory[] histories) =>
        ContinuityReportBuilder.Build(ContinuityCatalog.Empty, histories, ReportDate, PeriodStart);

    [Fact]
    public void Without_histories_the_incidents_section_is_zeroed_and_there_is_no_calibration()
    {
        var report = Build();

        Assert.Equal(0, report.Incidents.Assessed);
        Assert.Equal(new LevelCounts(0, 0, 0, 0, 0), report.Incidents.ByHighestLevel);
        Assert.Equal(DurationStats.Empty, report.Incidents.TimeToFirstAlert);
        Assert.Equal(DurationStats.Empty, report.Incidents.TimeToDecision);
        Assert.Empty(report.Incidents.Items);
        Assert.Empty(report.Calibration);
    }

    [Fact]
    public void Incidents_count_by_the_highest_level_they_reached()
    {
        var report = Build(
            new HistoryBuilder("a").Assessed(M(0), AssessmentLevel.Monitor).Build(),
            new HistoryBuilder("b").Assessed(M(0), AssessmentLevel.Monitor).Assessed(M(120), AssessmentLevel.Alert).Resolved(M(150)).Build(),
            new HistoryBuilder("c").Assessed(M(0), AssessmentLevel.Alert).Assessed(M(60), AssessmentLevel.RecommendInvocation).Build(),
            new HistoryBuilder("d").Assessed(M(0), AssessmentLevel.Invoke).Build(),
            new HistoryBuilder("e").Assessed(M(0), AssessmentLevel.None).Build());

        Assert.Equal(5, report.Incidents.Assessed);
        Assert.Equal(new LevelCounts(1, 1, 1, 1, 1), report.Incidents.ByHighestLevel);
        Assert.Equal(1, report.Incidents.Invocations);
        Assert.Equal(1, report.Incidents.StandDowns);
    }

    [Fact]
    public void Time_to_first_alert_and_to_decision_run_from_the_incident_start()
    {
        var history = new HistoryBuilder()
            .Assessed(M(1), AssessmentLevel.Monitor)
            .Assessed(M(45), AssessmentLevel.Alert)
            .Assessed(M(100), AssessmentLevel.RecommendInvocation)
            .Assessed(M(130), AssessmentLevel.Invoke)
            .Build();

        var line = Assert.Single(Build(history).Incidents.Items);

        Assert.Equal(("generic~INC1", AssessmentLevel.Invoke), (line.Id, line.HighestLevel));
        Assert.Equal((HistoryBuilder.Start + M(45), M(45)), (line.FirstAlertAt!.Value, line.TimeToFirstAlert!.Value));
        Assert.Equal((HistoryBuilder.Start + M(100), M(100)), (line.DecisionAt!.Value, line.TimeToDecision!.Value));
        Assert.Null(line.Outage);
        Assert.False(line.StoodDown);
    }

    [Fact]
    public void Incident_that_alerted_and_was_later_assessed_none_stood_down_but_one_that_only_monitored_did_not()
    {
        var report = Build(
            new HistoryBuilder("alerted").Assessed(M(0), AssessmentLevel.Alert).Resolved(M(30)).Build(),
            new HistoryBuilder("monitored").Assessed(M(0), AssessmentLevel.Monitor).Resolved(M(30)).Build());

        Assert.Equal(1, report.Incidents.StandDowns);
        Assert.Equal([true, false], report.Incidents.Items.Select(i => i.StoodDown));
        Assert.All(report.Incidents.Items, i => Assert.Equal(M(30), i.Outage));
    }

    [Theory]
    [InlineData("2026-11-18T00:00:00Z", true)] // the first instant of the period
    [InlineData("2026-11-24T23:59:59Z", true)]
    [InlineData("2026-11-17T23:59:59Z", false)]
    [InlineData("2026-11-25T00:00:00Z", false)] // the report date itself is the next period's
    public void Incidents_count_when_they_started_from_the_period_start_up_to_the_report_date(string start, bool counted)
    {
        var history = new HistoryBuilder(start: DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture))
            .Assessed(M(0), AssessmentLevel.Alert)
            .Build();

        var report = Build(history);

        Assert.Equal(counted ? 1 : 0, report.Incidents.Assessed);
        Assert.Equal(counted ? 1 : 0, report.Calibration.Count);
    }

    [Fact]
    public void Median_and_p90_are_nearest_rank()
    {
        var histories = Enumerable.Range(1, 10)
            .Select(i => new HistoryBuilder($"i{i}").Assessed(M(i * 10), AssessmentLevel.Alert).Build())
            .ToArray();

        var stats = Build(histories).Incidents.TimeToFirstAlert;

        Assert.Equal(new DurationStats(10, M(50), M(90), M(100)), stats);
    }

    [Fact]
    public void Calibration_compares_the_outage_projected_at_first_alert_with_the_actual_one()
    {
        var fourHours = ("svc", TimeSpan.FromHours(4));
        var report = Build(
            new HistoryBuilder("needed").On(fourHours, ("fast", TimeSpan.FromHours(2)))
                .Assessed(M(0), AssessmentLevel.Monitor)
                .Assessed(M(60), AssessmentLevel.Alert, projected: M(180))
                .Assessed(M(90), AssessmentLevel.RecommendInvocation)
                .Resolved(M(150))
                .Build(),
            new HistoryBuilder("false-alarm").On(fourHours)
                .Assessed(M(0), AssessmentLevel.Alert)
                .Assessed(M(30), AssessmentLevel.RecommendInvocation)
                .Resolved(M(200))
                .Build(),
            new HistoryBuilder("missed").On(fourHours)
                .Assessed(M(0), AssessmentLevel.Alert)
                .Resolved(M(300))
                .Build(),
            new HistoryBuilder("fine").On(fourHours)
                .Assessed(M(10), AssessmentLevel.Alert)
                .Resolved(M(20))
                .Build(),
            new HistoryBuilder("open").On(fourHours)
                .Assessed(M(5), AssessmentLevel.Alert)
                .Build(),
            new HistoryBuilder("quiet").On(fourHours)
                .Assessed(M(5), AssessmentLevel.Monitor)
                .Resolved(M(600))
                .Build());

        Assert.Equal(["false-alarm", "fine", "missed", "needed", "open"], report.Calibration.Select(c => c.Id["generic~".Length..]));
        var needed = report.Calibration.Single(c => c.Id == "generic~needed");
        Assert.Equal(
            new CalibrationEntry("generic~needed", "Outage needed", HistoryBuilder.Start, HistoryBuilder.Start + M(60), M(180), M(150), TimeSpan.FromHours(2), true, true, CalibrationVerdict.RecommendedAndNeeded, needed.Services),
            needed);
        Assert.Equal(["svc", "fast"], needed.Services);
        Assert.Equal(CalibrationVerdict.RecommendedNotNeeded, report.Calibration.Single(c => c.Id == "generic~false-alarm").Verdict);
        Assert.Equal(CalibrationVerdict.NeededNotRecommended, report.Calibration.Single(c => c.Id == "generic~missed").Verdict);
        Assert.Equal(CalibrationVerdict.NotNeeded, report.Calibration.Single(c => c.Id == "generic~fine").Verdict);
        var open = report.Calibration.Single(c => c.Id == "generic~open");
        Assert.Equal((CalibrationVerdict.Undetermined, (bool?)null, (TimeSpan?)null, M(5)), (open.Verdict, open.InvocationNeeded, open.ActualOutage, open.ProjectedAtFirstAlert));
    }

    [Fact]
    public void Resolved_incidents_count_towards_rto_achievement_alongside_exercises()
    {
        var catalog = new CatalogBuilder()
            .WithService("svc", rto: TimeSpan.FromHours(4))
            .WithPlan("dr", ["svc"])
            .WithExercise("ex", "dr", scheduled: ReportDate.AddDays(-10), completed: ReportDate.AddDays(-10), result: ExerciseResult.Passed, achieved: TimeSpan.FromHours(3))
            .Build();
        IncidentHistory[] histories =
        [
            new HistoryBuilder("within").Assessed(M(0), AssessmentLevel.Alert).Resolved(M(240)).Build(), // exactly the RTO
            new HistoryBuilder("beyond").Assessed(M(0), AssessmentLevel.Alert).Resolved(M(241)).Build(),
            new HistoryBuilder("still-open").Assessed(M(0), AssessmentLevel.Alert).Build(),
        ];

        var kpi = ContinuityReportBuilder.Build(catalog, histories, ReportDate, PeriodStart).GetKpi(KpiIds.RtoAchievement);

        Assert.Equal((2, 3), (kpi.Numerator, kpi.Denominator));
    }

    [Fact]
    public void Resolution_time_is_the_first_resolved_or_closed_delivery()
    {
        var built = new HistoryBuilder().Assessed(M(0), AssessmentLevel.Alert).Resolved(M(90)).Build();
        var closedLater = built.Events[^1] with { DeliveryKey = "d3", ReceivedAt = HistoryBuilder.Start + M(500), State = IncidentState.Closed };
        var history = built with { Events = [closedLater, .. built.Events] };

        var line = Assert.Single(Build(history).Incidents.Items);

        Assert.Equal((HistoryBuilder.Start + M(90), M(90)), (line.ResolvedAt!.Value, line.Outage!.Value));
    }

    [Fact]
    public void A_reopened_incident_counts_from_its_first_outage_sums_its_outages_and_sets_the_longest_against_the_rto()
    {
        // Arrange: down 3 h, resolved, reopened a day later for 2 h (RTO 4 h: neither outage exceeded it).
        var history = new HistoryBuilder().Assessed(M(0), AssessmentLevel.Alert).Resolved(M(26 * 60)).Build();
        var first = new Outage(HistoryBuilder.Start, HistoryBuilder.Start.AddHours(3));
        var reopenedAt = HistoryBuilder.Start.AddHours(24);
        var incident = history.Incident.Incident with
        {
            StartedAt = reopenedAt,
            ResolvedAt = reopenedAt.AddHours(2),
            EarlierOutages = [first],
        };
        history = history with { Incident = history.Incident with { Incident = incident } };

        // Act
        var report = Build(history);

        // Assert
        var line = Assert.Single(report.Incidents.Items);
        Assert.Equal((HistoryBuilder.Start, reopenedAt.AddHours(2), TimeSpan.FromHours(5)), (line.StartedAt, line.ResolvedAt, line.Outage));
        Assert.Equal(CalibrationVerdict.NotNeeded, Assert.Single(report.Calibration).Verdict);
    }
}
