using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>The report's maintenance part: the windows held in the period, and the incidents that began inside one.</summary>
public class ReportMaintenanceTests
{
    private static readonly DateOnly Today = new(2026, 11, 25); // a Wednesday; period Wed 18 Nov to Tue 24 Nov 2026 (UTC)
    private static readonly TimeSpan Rto = TimeSpan.FromHours(4);

    /// <summary>Stockholm (UTC+1 in November), working hours Monday to Friday 08:00–17:00.</summary>
    private static readonly Policy Policy = Policy.Default with
    {
        Calendar = new BusinessCalendar("Europe/Stockholm")
        {
            WorkingHours = new WorkingHours([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(8, 0), new TimeOnly(17, 0)),
        },
    };

    private static ContinuityCatalog Catalog(params MaintenanceWindow[] windows) => new CatalogBuilder()
        .WithPolicy(Policy)
        .WithService("sql-cluster", name: "SQL Cluster")
        .WithService("ledger-db", name: "Ledger Database", dependsOn: ["sql-cluster"])
        .Build() with
    {
        Maintenance = windows,
    };

    private static ContinuityReport Build(ContinuityCatalog catalog, params IncidentHistory[] histories) =>
        ContinuityReportBuilder.Build(catalog, histories, Today, Today.AddDays(-7));

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    private static MaintenanceWindow OneOff(string id, DateTimeOffset start, DateTimeOffset end, string reason = "SQL Server patching") =>
        new(id, ["sql-cluster"], start, end, null, reason, "cab@contoso.com");

    /// <summary>Saturdays and Mondays 07:00–09:00 Stockholm: Saturday's is outside working hours, Monday's runs into them.</summary>
    private static MaintenanceWindow SaturdaysAndMondays() =>
        new("mw-sql-weekly", ["sql-cluster"], null, null, new WeeklyWindow([DayOfWeek.Saturday, DayOfWeek.Monday], new TimeOnly(7, 0), new TimeOnly(9, 0), null), "Index rebuild", "dba-lead@contoso.com");

    /// <summary>An outage of the SQL cluster that began at 20 Nov 08:00 UTC, inside a 07:00–09:00 UTC window, and went to RecommendInvocation once it ended.</summary>
    private static IncidentHistory OutageInsideTheWindow() => new HistoryBuilder("INC-SQL", At(20, 8))
        .On(("sql-cluster", Rto))
        .Assessed(TimeSpan.Zero, AssessmentLevel.Monitor)
        .Assessed(TimeSpan.FromMinutes(75), AssessmentLevel.RecommendInvocation)
        .Build();

    private static MaintenanceWindow TheWindowOfTheOutage(string reason = "SQL Server patching") => OneOff("mw-sql-patching", At(20, 7), At(20, 9), reason);

    // --- held -----------------------------------------------------------------------------------------------------

    [Fact]
    public void A_weekly_window_is_held_twice_in_the_week_and_only_mondays_falls_inside_working_hours()
    {
        var report = Build(Catalog(SaturdaysAndMondays()));

        Assert.Equal(
            [
                new MaintenanceHeld("mw-sql-weekly", ["sql-cluster"], At(21, 6), At(21, 8), "Index rebuild", "dba-lead@contoso.com", false, []),
                new MaintenanceHeld("mw-sql-weekly", ["sql-cluster"], At(23, 6), At(23, 8), "Index rebuild", "dba-lead@contoso.com", true, []),
            ],
            report.Maintenance.Held,
            HeldComparer.Instance);
        Assert.Empty(report.Maintenance.IncidentsInWindows);
    }

    [Fact]
    public void A_one_off_window_that_began_before_the_period_or_on_the_report_date_is_not_listed()
    {
        var report = Build(Catalog(
            OneOff("mw-before", At(17, 23), At(18, 1)), // ends in the period, began before it
            OneOff("mw-in", At(24, 23), At(25, 1)),
            OneOff("mw-report-date", At(25, 0), At(25, 2)))); // the period runs up to, not including, the report date

        Assert.Equal(["mw-in"], report.Maintenance.Held.Select(h => h.WindowId));
    }

    // --- incidents ------------------------------------------------------------------------------------------------

    [Fact]
    public void An_incident_that_began_inside_a_window_is_listed_with_the_level_it_reached_after_the_window_ended()
    {
        var history = OutageInsideTheWindow();
        var later = new HistoryBuilder("INC-LATER", At(20, 10)).On(("sql-cluster", Rto)).Assessed(TimeSpan.Zero, AssessmentLevel.Alert).Build();
        var elsewhere = new HistoryBuilder("INC-LEDGER", At(20, 8)).On(("ledger-db", Rto)).Assessed(TimeSpan.Zero, AssessmentLevel.Alert).Build();

        var report = Build(Catalog(TheWindowOfTheOutage()), history, later, elsewhere);

        var line = Assert.Single(report.Maintenance.IncidentsInWindows);
        Assert.Equal(
            (history.Incident.Incident.Key, "Outage INC-SQL", "mw-sql-patching", At(20, 8), (AssessmentLevel?)AssessmentLevel.RecommendInvocation, false),
            (line.IncidentKey, line.Title, line.WindowId, line.StartedAt, line.LevelAfterWindow, line.Resolved));
        Assert.Equal(["sql-cluster"], line.Services);
        Assert.Equal([history.Incident.Incident.Key], Assert.Single(report.Maintenance.Held).Incidents);
    }

    [Fact]
    public void An_incident_resolved_inside_its_window_has_no_level_after_it()
    {
        var history = new HistoryBuilder("INC-SHORT", At(20, 8)).On(("sql-cluster", Rto)).Assessed(TimeSpan.Zero, AssessmentLevel.Monitor).Resolved(TimeSpan.FromMinutes(30)).Build();

        var line = Assert.Single(Build(Catalog(TheWindowOfTheOutage()), history).Maintenance.IncidentsInWindows);

        Assert.Equal(((AssessmentLevel?)null, true), (line.LevelAfterWindow, line.Resolved));
    }

    // --- HTML -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Html_lists_the_windows_held_and_the_incidents_inside_them_and_escapes_a_reason_with_a_script()
    {
        const string Hostile = "<script>alert(\"x\")</script> & 'q'";
        const string HostileEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
        var catalog = Catalog(TheWindowOfTheOutage(Hostile), SaturdaysAndMondays());
        var history = OutageInsideTheWindow();

        var html = ReportRenderer.ToHtml(Build(catalog, history), catalog);

        Assert.Contains("<h2 id=\"maintenance-windows\">Maintenance windows</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Windows held in the period <span class=\"count\">3</span>", html, StringComparison.Ordinal);
        Assert.Contains(
            $"<tr><td>mw-sql-patching</td><td>Fri 20 Nov 2026 08:00–10:00<small>Fri 20 Nov 2026 07:00–09:00 UTC</small></td><td>SQL Cluster</td><td class=\"text\">{HostileEscaped}</td><td>cab@contoso.com</td><td class=\"warn\">inside</td><td>{history.Incident.Incident.Key}</td></tr>",
            html,
            StringComparison.Ordinal);
        Assert.Contains("<th>When (Europe/Stockholm)</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Sat 21 Nov 2026 07:00–09:00<small>Sat 21 Nov 2026 06:00–08:00 UTC</small></td><td>SQL Cluster</td><td class=\"text\">Index rebuild</td><td>dba-lead@contoso.com</td><td>outside</td><td>–</td>", html, StringComparison.Ordinal);
        Assert.Contains("Incidents that began inside a window <span class=\"count\">1</span>", html, StringComparison.Ordinal);
        Assert.Contains(
            $"<tr><td>Outage INC-SQL<small>{history.Incident.Incident.Key}</small></td><td>SQL Cluster</td><td>mw-sql-patching</td><td>20 Nov 2026 08:00 UTC</td><td class=\"bad\">Recommend invocation</td><td>open</td></tr>",
            html,
            StringComparison.Ordinal);
        Assert.Contains(
            "<li class=\"bad\"><b>Maintenance in the period</b>: 2 windows held inside working hours (mw-sql-patching and mw-sql-weekly); 1 incident that began inside a window reached Alert or above after it ended (Outage INC-SQL).</li>",
            html,
            StringComparison.Ordinal);
        Assert.True(html.IndexOf("id=\"rpo-exposure\"", StringComparison.Ordinal) < html.IndexOf("id=\"maintenance-windows\"", StringComparison.Ordinal), "The maintenance section comes after the RPO one.");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'q'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_says_in_one_sentence_that_no_window_held_and_needs_no_attention_for_maintenance_outside_working_hours()
    {
        var none = Catalog();
        var weekendOnly = Catalog(OneOff("mw-saturday", At(21, 6), At(21, 8)));

        var empty = ReportRenderer.ToHtml(Build(none), none);
        var quiet = ReportRenderer.ToHtml(Build(Catalog(OneOff("mw-later", At(26, 6), At(26, 8)))), Catalog(OneOff("mw-later", At(26, 6), At(26, 8))));
        var weekend = ReportRenderer.ToHtml(Build(weekendOnly), weekendOnly);

        Assert.Contains("<h2 id=\"maintenance-windows\">Maintenance windows</h2>\n<p class=\"block note\">No maintenance window is declared in the catalogue or added over the API.</p>\n</section>", empty, StringComparison.Ordinal);
        Assert.Contains("<p class=\"block note\">No maintenance window held in the period, and no incident of the period began inside one.</p>", quiet, StringComparison.Ordinal);
        Assert.Contains("<td>outside</td>", weekend, StringComparison.Ordinal);
        Assert.DoesNotContain("Maintenance in the period", weekend, StringComparison.Ordinal);
    }

    // --- JSON -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Maintenance_json_has_the_held_and_incidents_in_windows_fields_with_utc_times()
    {
        var history = OutageInsideTheWindow();

        using var json = JsonDocument.Parse(ReportRenderer.ToJson(Build(Catalog(TheWindowOfTheOutage()), history)));

        var maintenance = json.RootElement.GetProperty("maintenance");
        Assert.Equal(["held", "incidentsInWindows"], maintenance.EnumerateObject().Select(p => p.Name));
        var held = maintenance.GetProperty("held")[0];
        Assert.Equal(["windowId", "services", "start", "end", "reason", "approvedBy", "duringWorkingHours", "incidents"], held.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ("mw-sql-patching", "sql-cluster", "2026-11-20T07:00:00Z", "2026-11-20T09:00:00Z", "SQL Server patching", "cab@contoso.com", true, history.Incident.Incident.Key),
            (held.GetProperty("windowId").GetString(), held.GetProperty("services")[0].GetString(), held.GetProperty("start").GetString(), held.GetProperty("end").GetString(),
                held.GetProperty("reason").GetString(), held.GetProperty("approvedBy").GetString(), held.GetProperty("duringWorkingHours").GetBoolean(), held.GetProperty("incidents")[0].GetString()));
        var inside = maintenance.GetProperty("incidentsInWindows")[0];
        Assert.Equal(["incidentKey", "title", "services", "windowId", "startedAt", "levelAfterWindow", "resolved"], inside.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            (history.Incident.Incident.Key, "Outage INC-SQL", "sql-cluster", "mw-sql-patching", "2026-11-20T08:00:00Z", "RecommendInvocation", false),
            (inside.GetProperty("incidentKey").GetString(), inside.GetProperty("title").GetString(), inside.GetProperty("services")[0].GetString(), inside.GetProperty("windowId").GetString(),
                inside.GetProperty("startedAt").GetString(), inside.GetProperty("levelAfterWindow").GetString(), inside.GetProperty("resolved").GetBoolean()));
    }

    [Fact]
    public void Maintenance_json_writes_a_missing_level_after_the_window_as_null_and_reads_back_the_same_report()
    {
        var history = new HistoryBuilder("INC-SHORT", At(20, 8)).On(("sql-cluster", Rto)).Assessed(TimeSpan.Zero, AssessmentLevel.Monitor).Resolved(TimeSpan.FromMinutes(30)).Build();
        var text = ReportRenderer.ToJson(Build(Catalog(TheWindowOfTheOutage(), SaturdaysAndMondays()), history));

        var read = JsonSerializer.Deserialize<ContinuityReport>(text, ReportRenderer.JsonOptions)!;

        using var json = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("maintenance").GetProperty("incidentsInWindows")[0].GetProperty("levelAfterWindow").ValueKind);
        Assert.Equal(3, read.Maintenance.Held.Count);
        Assert.Equal(text, ReportRenderer.ToJson(read));
    }

    /// <summary>Held occurrences compared by value, their lists by content.</summary>
    private sealed class HeldComparer : IEqualityComparer<MaintenanceHeld>
    {
        public static readonly HeldComparer Instance = new();

        public bool Equals(MaintenanceHeld? x, MaintenanceHeld? y) =>
            x is not null && y is not null
            && (x.WindowId, x.Start, x.End, x.Reason, x.ApprovedBy, x.DuringWorkingHours) == (y.WindowId, y.Start, y.End, y.Reason, y.ApprovedBy, y.DuringWorkingHours)
            && x.Services.SequenceEqual(y.Services) && x.Incidents.SequenceEqual(y.Incidents);

        public int GetHashCode(MaintenanceHeld obj) => HashCode.Combine(obj.WindowId, obj.Start);
    }
}
