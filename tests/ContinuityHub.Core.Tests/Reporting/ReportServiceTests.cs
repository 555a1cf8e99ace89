using System.Text;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>What the report service renders before any store sees it: the period, the three files, the summary line.</summary>
public class ReportServiceTests
{
    [Fact]
    public void The_period_starts_seven_days_before_the_report_date()
    {
        Assert.Equal(new DateOnly(2026, 11, 23), ReportService.PeriodStartOf(new DateOnly(2026, 11, 30)));
        Assert.Equal(new DateOnly(2026, 12, 25), ReportService.PeriodStartOf(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void Render_gives_the_html_json_and_csv_with_their_content_types_and_a_byte_order_mark_on_the_csv_only()
    {
        var rendered = ReportService.Render(SeedCatalog.Catalog, [InPeriod()], SeedCatalog.Today);

        Assert.Equal(
            [
                ("continuity-report.html", "text/html; charset=utf-8", false),
                ("continuity-report.json", "application/json; charset=utf-8", false),
                ("continuity-report.csv", "text/csv; charset=utf-8", true),
            ],
            rendered.Files.Select(f => (f.FileName, f.ContentType, f.Content.Span.StartsWith(Encoding.UTF8.Preamble))));
        Assert.Equal(SeedCatalog.Today.AddDays(-7), rendered.Report.PeriodStart);
        Assert.Equal(1, rendered.Report.Incidents.Assessed);
        Assert.Equal(ReportRenderer.ToJson(rendered.Report), Encoding.UTF8.GetString(rendered.Files[1].Content.Span));
        Assert.Equal(ReportRenderer.ToCsv(rendered.Report, SeedCatalog.Catalog), Encoding.UTF8.GetString(rendered.Files[2].Content.Span[3..]));
    }

    [Fact]
    public void Render_of_the_same_inputs_gives_the_same_bytes()
    {
        var first = ReportService.Render(SeedCatalog.Catalog, [], SeedCatalog.Today);
        var second = ReportService.Render(SeedCatalog.Catalog, [], SeedCatalog.Today);

        Assert.All(first.Files.Zip(second.Files), pair => Assert.True(pair.First.Content.Span.SequenceEqual(pair.Second.Content.Span), pair.First.FileName));
    }

    [Fact]
    public void Summary_of_the_seed_names_the_compliance_and_the_counts()
    {
        var report = ReportService.Render(SeedCatalog.Catalog, [], SeedCatalog.Today).Report;

        Assert.Equal(
            "Plan review compliance 90% (9 of 10 Approved plans within cycle); 1 overdue review, 2 exercises overdue, 3 due within 30 days, "
            + "2 RTO gaps, 4 services without a plan, 3 stale BIAs, 4 open findings (3 overdue), 0 incidents in the period; "
            + "KPIs: 0 met, 2 at risk, 3 missed, 0 without data.",
            ReportSummary.Line(report));
    }

    [Fact]
    public void Summary_of_an_empty_catalogue_says_there_is_no_approved_plan()
    {
        var report = ReportService.Render(ContinuityCatalog.Empty, [], SeedCatalog.Today).Report;

        Assert.StartsWith("Plan review compliance – (no Approved plan); 0 overdue reviews,", ReportSummary.Line(report), StringComparison.Ordinal);
        Assert.EndsWith("KPIs: 0 met, 0 at risk, 0 missed, 5 without data.", ReportSummary.Line(report), StringComparison.Ordinal);
    }

    /// <summary>A P1 that started two days before the seed's report date.</summary>
    private static IncidentHistory InPeriod() =>
        new HistoryBuilder("INC-P", new DateTimeOffset(SeedCatalog.Today.AddDays(-2).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero))
            .Assessed(TimeSpan.FromMinutes(5), AssessmentLevel.Monitor)
            .Build();
}
