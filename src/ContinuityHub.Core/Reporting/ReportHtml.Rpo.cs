using System.Globalization;
using System.Text;
using ContinuityHub.Heartbeats;

namespace ContinuityHub.Reporting;

internal static partial class ReportHtml
{
    private static readonly (HeartbeatState State, string Color)[] s_stateColors =
    [
        (HeartbeatState.Ok, SvgCharts.Good),
        (HeartbeatState.Late, SvgCharts.Blue),
        (HeartbeatState.AtRisk, SvgCharts.Warn),
        (HeartbeatState.Breached, SvgCharts.Bad),
        (HeartbeatState.Paused, SvgCharts.Muted),
    ];

    /// <summary>
    /// The RPO section: each service's exposure against its RPO as the report was built, worst first, and the RPO
    /// incidents of the period; one sentence instead of the chart when no service's heartbeats were read.
    /// </summary>
    private static void Rpo(StringBuilder html, Context context)
    {
        var rpo = context.Report.Rpo;
        html.Append("<section class=\"rpo\" aria-labelledby=\"rpo-exposure\"><h2 id=\"rpo-exposure\">RPO exposure</h2>\n");
        if (rpo.Services.Count == 0)
        {
            var why = context.Catalog.Services.Any(s => s.Heartbeats.Count > 0)
                ? "This report was built from the catalogue alone, without the heartbeats' current state, so it shows no service's RPO exposure."
                : "No service in the catalogue declares heartbeats, so there is no RPO exposure to show.";
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"block note\">{E(why)}</p>\n");
        }
        else
        {
            var warn = context.Catalog.Policy.RpoWarnFraction;
            var rows = rpo.Services.OrderByDescending(s => s.Rpo > TimeSpan.Zero ? s.Exposure / s.Rpo : double.MaxValue).ToList();
            var more = rows.Count > MaxChartRows ? $"and {ReportFormat.Plural(rows.Count - MaxChartRows, "more service", "more services")}: see the JSON." : null;
            var svg = new StringBuilder(8 * 1024);
            SvgCharts.RpoChart(
                svg,
                "Data exposure against the RPO, per service",
                [.. rows.Take(MaxChartRows).Select(s => new SvgCharts.RpoBar(s.Name, s.Service, s.Heartbeat, s.Rpo, s.Exposure, Words(s.State.ToString()), ColorOf(s.State)))],
                warn,
                [.. s_stateColors.Select(c => (Words(c.State.ToString()), c.Color))],
                more,
                "No service's heartbeats were read.");
            var share = string.Create(CultureInfo.InvariantCulture, $"{warn * 100:0.#}%");
            Figure(
                html,
                svg,
                "Data exposure against the RPO",
                $"As the report was built: for each service with heartbeats, the time since the oldest of its heartbeats' last recovery points, on the scale of its RPO (dark tick); the dashed tick is the policy's warning share ({share}), from which the hub raises an RPO incident. Worst first.",
                wide: true);
        }

        if (rpo.Services.Count > 0 || rpo.Events.Count > 0)
        {
            Table(
                html,
                "RPO incidents of the period",
                "Incidents the hub raised when a heartbeat's data exposure reached the warning share of its service's RPO, with a recovery point in the period: at risk, or breached (past the RPO).",
                ["Service", "Heartbeat", "Worst", "Recovery point", "Raised", "Resolved"],
                rpo.Events.Select(e => new Cell[]
                {
                    new(ServiceName(context, e.Service), e.Service),
                    e.Heartbeat,
                    new(Words(e.Worst.ToString()), Class: e.Worst == RpoLevel.Breached ? "bad" : "warn"),
                    HumanText.Time(e.RecoveryPointAt),
                    HumanText.Time(e.RaisedAt),
                    e.ResolvedAt is { } resolved ? HumanText.Time(resolved) : "open",
                }));
        }

        html.Append("</section>\n");
    }

    /// <summary>The "Needs attention" line for the RPO incidents of the period, when there were any.</summary>
    private static void RpoAttention(List<(string Css, string Html)> items, Context context)
    {
        var events = context.Report.Rpo.Events;
        if (events.Count == 0)
        {
            return;
        }

        var breached = events.Count(e => e.Worst == RpoLevel.Breached);
        var names = events.Select(e => e.Service).Distinct(StringComparer.Ordinal).Select(id => ServiceName(context, id));
        items.Add((breached > 0 ? "bad" : "warn", $"<b>RPO incidents in the period: {N(events.Count)} ({N(breached)} breached)</b>: {Names(names)}."));
    }

    private static string ServiceName(Context context, string id) =>
        context.Catalog.Services.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))?.Name ?? id;

    private static string ColorOf(HeartbeatState state) => s_stateColors.First(c => c.State == state).Color;
}
