using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

public partial class ReportRendererTests
{
    private const string Hostile = "<script>alert(\"x\")</script> & 'q'";
    private const string HostileEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
    private static readonly DateOnly Today = SeedCatalog.Today;

    private static ContinuityReport Seed(params IncidentHistory[] incidents) =>
        ContinuityReportBuilder.Build(SeedCatalog.Catalog, incidents, Today, Today.AddDays(-7));

    private static ContinuityReport Build(ContinuityCatalog catalog) => ContinuityReportBuilder.Build(catalog, [], Today, Today.AddDays(-7));

    // --- JSON -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Json_has_the_issues_field_names_in_camel_case()
    {
        using var json = JsonDocument.Parse(ReportRenderer.ToJson(Seed()));

        Assert.Equal(
            [
                "reportDate", "periodStart", "planReviewCompliance", "overdueReviews", "draftPlans", "retiredPlans", "exercisesDue",
                "exercisesOverdue", "failedExercises", "rtoGaps", "untestedServices", "servicesWithoutPlan", "staleBia", "incidents",
                "openFindings", "kpis", "calibration", "services", "crisisTeamAlerts", "reactions", "rpo", "maintenance", "learning",
            ],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["assessed", "byHighestLevel", "timeToFirstAlert", "timeToDecision", "invocations", "standDowns", "items"],
            json.RootElement.GetProperty("incidents").EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ["None", "Monitor", "Alert", "RecommendInvocation", "Invoke"],
            json.RootElement.GetProperty("incidents").GetProperty("byHighestLevel").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Json_writes_durations_iso_8601_dates_as_days_shares_as_ratios_and_enums_by_name()
    {
        using var json = JsonDocument.Parse(ReportRenderer.ToJson(Seed()));
        var root = json.RootElement;

        Assert.Equal("2026-11-25", root.GetProperty("reportDate").GetString());
        Assert.Equal("2026-11-18", root.GetProperty("periodStart").GetString());
        Assert.Equal(0.9, root.GetProperty("planReviewCompliance").GetProperty("share").GetDouble());
        var gap = root.GetProperty("rtoGaps")[0];
        Assert.Equal(("treasury", "PT4H", "PT7H", "PT3H"), (gap.GetProperty("id").GetString(), gap.GetProperty("rto").GetString(), gap.GetProperty("achieved").GetString(), gap.GetProperty("gap").GetString()));
        var overdue = root.GetProperty("overdueReviews")[0];
        Assert.Equal(("dr-sql-cluster", "2026-09-15", 71), (overdue.GetProperty("id").GetString(), overdue.GetProperty("nextReview").GetString(), overdue.GetProperty("daysOverdue").GetInt32()));
        Assert.Equal("NeverReviewed", root.GetProperty("staleBia")[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("staleBia")[1].GetProperty("biaReviewed").ValueKind);
        var kpi = root.GetProperty("kpis")[0];
        Assert.Equal(("plans-reviewed-in-cycle", 0.9, 1.0, "AtRisk", "ratio"), (kpi.GetProperty("id").GetString(), kpi.GetProperty("value").GetDouble(), kpi.GetProperty("target").GetDouble(), kpi.GetProperty("status").GetString(), kpi.GetProperty("unit").GetString()));
        Assert.Equal(0, root.GetProperty("incidents").GetProperty("assessed").GetInt32());
        Assert.Equal(0, root.GetProperty("calibration").GetArrayLength());
    }

    [Fact]
    public void Json_writes_incident_times_in_utc_and_reads_back_the_same_report()
    {
        var offset = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(2)); // 08:00 UTC
        var history = new HistoryBuilder(start: offset).Assessed(TimeSpan.FromMinutes(30), AssessmentLevel.Alert).Resolved(TimeSpan.FromMinutes(90)).Build();
        var text = ReportRenderer.ToJson(Seed(history));

        using var json = JsonDocument.Parse(text);
        var item = json.RootElement.GetProperty("incidents").GetProperty("items")[0];
        Assert.Equal(("2026-11-20T08:00:00Z", "2026-11-20T08:30:00Z", "PT30M", "PT1H30M"), (item.GetProperty("startedAt").GetString(), item.GetProperty("firstAlertAt").GetString(), item.GetProperty("timeToFirstAlert").GetString(), item.GetProperty("outage").GetString()));
        Assert.Equal("Alert", item.GetProperty("highestLevel").GetString());
        var read = JsonSerializer.Deserialize<ContinuityReport>(text, ReportRenderer.JsonOptions);
        Assert.Equal(text, ReportRenderer.ToJson(read!));
    }

    // --- CSV ------------------------------------------------------------------------------------------------------

    [Fact]
    public void Csv_has_a_header_and_one_row_per_service_in_catalogue_order()
    {
        var csv = ReportRenderer.ToCsv(Seed(), SeedCatalog.Catalog);

        var lines = csv.Split("\r\n");
        Assert.Equal("id,name,tier,rto,rpo,mtpd,plan,lastExercise,lastExerciseDate,achievedRecovery,gap,biaAgeDays", lines[0]);
        Assert.Equal(SeedCatalog.Catalog.Services.Count + 2, lines.Length); // header, rows, and the empty string after the last CRLF
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal(SeedCatalog.Catalog.Services.Select(s => s.Id), lines[1..^1].Select(l => l.Split(',')[0]));
        Assert.Contains("treasury,Treasury and Liquidity Management,2,4h,15m,1d,dr-treasury,ex-2026-treasury-restore,2026-09-13,7h,3h,85", lines);
        Assert.Contains("email-collab,Email and Collaboration (Exchange Online / Teams),3,8h,4h,2d,,,,,,", lines);
        Assert.DoesNotContain('\n', csv.Replace("\r\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_quotes_fields_with_commas_quotes_or_line_breaks_and_doubles_quotes()
    {
        var catalog = new CatalogBuilder().WithService("svc", name: "Core, \"big\"\r\nledger").Build();

        var csv = ReportRenderer.ToCsv(Build(catalog), catalog);

        Assert.StartsWith("svc,\"Core, \"\"big\"\"\r\nledger\",1,4h,", csv.Split("\r\n", 2)[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("a=b", "a=b")]
    public void Csv_cells_a_spreadsheet_would_run_as_a_formula_get_a_leading_apostrophe(string name, string cell)
    {
        var catalog = new CatalogBuilder().WithService(name, name: name).Build();

        var csv = ReportRenderer.ToCsv(Build(catalog), catalog);

        Assert.StartsWith($"{cell},{cell},1,", csv.Split("\r\n", 2)[1], StringComparison.Ordinal);
    }

    // --- HTML -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Html_escapes_every_catalogue_string()
    {
        var catalog = new CatalogBuilder()
            .WithService(Hostile, name: Hostile, owner: Hostile, neverReviewed: true)
            .WithService("plain", name: "Plain " + Hostile, rto: TimeSpan.FromHours(1))
            .WithService("orphan " + Hostile, name: "Orphan " + Hostile, owner: Hostile)
            .WithPlan(Hostile, [Hostile, "plain"], nextReview: Today.AddDays(-3), title: Hostile, owner: Hostile, version: Hostile)
            .WithPlan("draft " + Hostile, [], status: PlanStatus.Draft, title: "Draft " + Hostile, owner: Hostile, version: Hostile)
            .WithExercise(Hostile, Hostile, scheduled: Today.AddDays(-20), completed: Today.AddDays(-20), result: ExerciseResult.Failed, achieved: TimeSpan.FromHours(3), findings:
                [new Finding(Hostile, Hostile, Hostile, Today.AddDays(-1), null)])
            .WithExercise("later " + Hostile, Hostile, scheduled: Today.AddDays(5))
            .WithExercise("late " + Hostile, Hostile, scheduled: Today.AddDays(-5))
            .Build();
        var history = new HistoryBuilder(Hostile).On((Hostile, TimeSpan.FromHours(1))).Assessed(TimeSpan.Zero, AssessmentLevel.Alert).Resolved(TimeSpan.FromHours(2)).Build();
        var report = ContinuityReportBuilder.Build(catalog, [history], Today, Today.AddDays(-7));

        var html = ReportRenderer.ToHtml(report, catalog);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert(\"x\")", html, StringComparison.Ordinal);
        Assert.DoesNotContain("'q'", html, StringComparison.Ordinal);
        Assert.Contains(HostileEscaped, html, StringComparison.Ordinal);
        Assert.Empty(Tags(html).Except(AllowedTags));
    }

    [Fact]
    public void Html_drops_bidirectional_controls_so_a_title_cannot_reorder_what_is_shown_around_it()
    {
        const string Spoofed = "Payments \u202Efdp.exe\u202C \u2066x\u2069\u200E\u200F\u061C\u202A\u202B\u202D\u2067\u2068 down";
        var catalog = new CatalogBuilder().WithService("payments", name: Spoofed, rto: TimeSpan.FromHours(1)).Build();
        var history = new HistoryBuilder(Spoofed).On(("payments", TimeSpan.FromHours(1))).Assessed(TimeSpan.Zero, AssessmentLevel.Alert).Resolved(TimeSpan.FromHours(2)).Build();
        var report = ContinuityReportBuilder.Build(catalog, [history], Today, Today.AddDays(-7));

        var html = ReportRenderer.ToHtml(report, catalog);

        Assert.Contains("Payments fdp.exe x down", html, StringComparison.Ordinal);
        foreach (var control in "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C")
        {
            Assert.DoesNotContain(control, html);
        }
    }

    [Fact]
    public void Html_is_one_self_contained_printable_file_without_scripts_or_external_resources()
    {
        var html = ReportRenderer.ToHtml(Seed(), SeedCatalog.Catalog);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"<[^>]*\son[a-z]+\s*=", html); // no event-handler attribute
        Assert.DoesNotMatch(@"\b(src|href)\s*=|url\(|@import", html);
        Assert.All(UrlPattern().Matches(html), m => Assert.Equal("http://www.w3.org/2000/svg", m.Value));
        Assert.Empty(Tags(html).Except(AllowedTags));
        Assert.Equal(Count(html, "<svg"), Count(html, "</svg>"));
        Assert.Equal(Count(html, "<table"), Count(html, "</table>"));
        Assert.Equal(Count(html, "<section"), Count(html, "</section>"));
    }

    [Fact]
    public void Html_of_the_sample_organisation_shows_kpis_charts_and_the_lists()
    {
        var html = ReportRenderer.ToHtml(Seed(), SeedCatalog.Catalog);

        Assert.Contains("<title>Continuity report — 25 Nov 2026</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"value\">90%</p><span class=\"badge\">At risk</span></div><p class=\"detail\">9 of 10 · target 100%</p>", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Plan review compliance\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"RTO against achieved recovery, per service\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Exercise calendar, next 90 days\"", html, StringComparison.Ordinal);
        Assert.Contains(">+3 h</tspan> 7 h vs 4 h", html, StringComparison.Ordinal); // the treasury gap in the RTO chart
        Assert.Contains("39 d late", html, StringComparison.Ordinal); // ex-2026-online-banking-full on the calendar
        Assert.Contains("Core Ledger disaster recovery", html, StringComparison.Ordinal); // ex-2027-ledger-full, 87 days out
        Assert.Contains("<td>SQL Server platform failover to DC2<small>dr-sql-cluster</small></td>", html, StringComparison.Ordinal);
        Assert.Contains("Never reviewed", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "Nothing to chart")); // no incidents: only that chart is empty
    }

    [Fact]
    public void Html_charts_of_an_empty_catalogue_say_there_is_nothing_to_chart()
    {
        var html = ReportRenderer.ToHtml(Build(ContinuityCatalog.Empty), ContinuityCatalog.Empty);

        Assert.Equal(5, Count(html, "Nothing to chart"));
        Assert.Contains("No approved plan to review.", html, StringComparison.Ordinal);
        Assert.Contains("No exercise is overdue or scheduled in the next 90 days.", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"value\">–</p>", html, StringComparison.Ordinal);
        Assert.Contains("No data", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Incidents of the period", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_shows_the_incidents_chart_and_tables_when_incidents_exist()
    {
        var history = new HistoryBuilder("INC42").Assessed(TimeSpan.FromMinutes(20), AssessmentLevel.Alert).Assessed(TimeSpan.FromMinutes(50), AssessmentLevel.RecommendInvocation).Build();

        var html = ReportRenderer.ToHtml(Seed(history), SeedCatalog.Catalog);

        Assert.Equal(0, Count(html, "Nothing to chart"));
        Assert.Contains("<title>Recommend invocation: 1</title>", html, StringComparison.Ordinal);
        Assert.Contains("Incidents of the period <span class=\"count\">1</span>", html, StringComparison.Ordinal);
        Assert.Contains("Calibration <span class=\"count\">1</span>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Outage INC42<small>generic~INC42</small></td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_tables_show_at_most_100_rows_and_say_where_the_rest_are()
    {
        var builder = new CatalogBuilder();
        for (var i = 0; i < 130; i++)
        {
            builder.WithService($"svc-{i:D3}", neverReviewed: true);
        }

        var catalog = builder.Build();

        var html = ReportRenderer.ToHtml(Build(catalog), catalog);

        Assert.Contains("Showing 100 of 130; the JSON and CSV files have them all.", html, StringComparison.Ordinal);
        Assert.Contains("<small>svc-099</small>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<small>svc-100</small>", html, StringComparison.Ordinal);
    }

    private static readonly string[] AllowedTags =
    [
        "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "article", "div", "p", "h1", "h2",
        "h3", "ul", "li", "b", "span", "small", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
        "svg", "g", "circle", "rect", "line", "path", "text", "tspan",
    ];

    private static IEnumerable<string> Tags(string html) => TagPattern().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct();

    private static int Count(string text, string value) => Regex.Count(text, Regex.Escape(value));

    [GeneratedRegex(@"</?([a-zA-Z][a-zA-Z0-9-]*)")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"[a-z]+://[^\s""'<>)]*", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
