using System.Globalization;
using System.Text;
using ContinuityHub.Assessment;

namespace ContinuityHub.Reporting;

internal static partial class ReportHtml
{
    /// <summary>
    /// The maintenance section: the windows held in the period (their hours on the policy calendar's clock, whether
    /// they fell inside its working hours) and the incidents that began inside one; one sentence when there are none.
    /// </summary>
    private static void Maintenance(StringBuilder html, Context context)
    {
        var maintenance = context.Report.Maintenance;
        var calendar = context.Catalog.Policy.Calendar;
        html.Append("<section class=\"maintenance\" aria-labelledby=\"maintenance-windows\"><h2 id=\"maintenance-windows\">Maintenance windows</h2>\n");
        if (maintenance.Held.Count == 0 && maintenance.IncidentsInWindows.Count == 0)
        {
            var why = context.Catalog.Maintenance.Count == 0
                ? "No maintenance window is declared in the catalogue or added over the API."
                : "No maintenance window held in the period, and no incident of the period began inside one.";
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"block note\">{E(why)}</p>\n</section>\n");
            return;
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(calendar.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var hours = calendar.WorkingHours is not { } working
            ? "The policy calendar declares no working hours."
            : $"Inside working hours: the window overlapped the policy calendar's working hours ({Hm(working.From)}–{Hm(working.To)} {string.Join(", ", working.Days.Select(d => d.ToString()[..3]))}, holidays aside).";
        var utc = zone.HasSameRules(TimeZoneInfo.Utc);
        Table(
            html,
            "Windows held in the period",
            $"Every occurrence of a maintenance window, the catalogue's and those added over the API, that began in the period; incidents on its services were capped at Monitor while it held. {hours}",
            ["Window", $"When ({zone.Id})", "Services", "Reason", "Approved by", "Working hours", "Incidents began inside"],
            maintenance.Held.Select(h => new Cell[]
            {
                h.WindowId,
                new(Span(h.Start, h.End, zone), utc ? null : Span(h.Start, h.End, TimeZoneInfo.Utc) + " UTC"),
                string.Join(", ", h.Services.Select(id => ServiceName(context, id))),
                new(h.Reason, Class: "text"),
                h.ApprovedBy,
                calendar.WorkingHours is null ? "–" : h.DuringWorkingHours ? new Cell("inside", Class: "warn") : "outside",
                h.Incidents.Count == 0 ? "–" : string.Join(", ", h.Incidents),
            }));

        Table(
            html,
            "Incidents that began inside a window",
            "Incidents of the period that began while a window held on one of their services, with the highest level assessed after the window ended (when the cap at Monitor lifted).",
            ["Incident", "Services", "Window", "Started", "Level after the window", "Resolved"],
            maintenance.IncidentsInWindows.Select(i => new Cell[]
            {
                new(i.Title, i.IncidentKey),
                string.Join(", ", i.Services.Select(id => ServiceName(context, id))),
                i.WindowId,
                HumanText.Time(i.StartedAt),
                i.LevelAfterWindow is { } level
                    ? new Cell(Words(level.ToString()), Class: level >= AssessmentLevel.RecommendInvocation ? "bad" : level == AssessmentLevel.Alert ? "warn" : null)
                    : "none assessed",
                i.Resolved ? "yes" : "open",
            }));

        html.Append("</section>\n");
    }

    /// <summary>The "Needs attention" line for maintenance inside working hours, or incidents that reached Alert once their window ended.</summary>
    private static void MaintenanceAttention(List<(string Css, string Html)> items, Context context)
    {
        var maintenance = context.Report.Maintenance;
        var working = maintenance.Held.Where(h => h.DuringWorkingHours).Select(h => h.WindowId).Distinct(StringComparer.Ordinal).ToList();
        var alerted = maintenance.IncidentsInWindows.Where(i => i.LevelAfterWindow >= AssessmentLevel.Alert).DistinctBy(i => i.IncidentKey).ToList();
        var parts = new List<string>(2);
        if (working.Count > 0)
        {
            parts.Add($"{ReportFormat.Plural(working.Count, "window", "windows")} held inside working hours ({Names(working)})");
        }

        if (alerted.Count > 0)
        {
            var verb = alerted.Count == 1 ? "incident that began inside a window" : "incidents that began inside a window";
            parts.Add($"{N(alerted.Count)} {verb} reached Alert or above after it ended ({Names(alerted.Select(i => i.Title))})");
        }

        if (parts.Count > 0)
        {
            items.Add((alerted.Count > 0 ? "bad" : "warn", $"<b>Maintenance in the period</b>: {string.Join("; ", parts)}."));
        }
    }

    // "Sun 22 Nov 2026 02:00–04:00", or "Sun 22 Nov 2026 23:00–Mon 23 Nov 01:00" across midnight, on the clock of the zone.
    private static string Span(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        var (from, to) = (TimeZoneInfo.ConvertTime(start, zone), TimeZoneInfo.ConvertTime(end, zone));
        var until = to.ToString(from.Date == to.Date ? "HH:mm" : "ddd d MMM HH:mm", CultureInfo.InvariantCulture);
        return $"{from.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)}–{until}";
    }

    private static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
