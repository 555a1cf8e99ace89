using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Reporting;
using static ContinuityHub.Notifications.AdaptiveCardElements;

namespace ContinuityHub.Notifications;

/// <summary>
/// The continuity report's summary card for the continuity channel: the report in one line, the KPIs against their
/// targets, what needs attention, the crisis-team alerts of the period, and a link to the full HTML report. Every
/// text on it is the hub's own (counts, KPI names, dates); it is measured like an alert card and loses KPI rows
/// before it could outgrow a Teams message.
/// </summary>
internal static class AdaptiveCardReport
{
    private static readonly int[] _maxRows = [15, 8, 3, 0];


    public static TeamsCard Render(ContinuityReport report, Uri? link)
    {
        ArgumentNullException.ThrowIfNull(report);
        var date = report.ReportDate.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        var summary = HumanText.Truncate(AdaptiveCardText.Plain($"Continuity report {date}: " + ReportSummary.Line(report), 400), AdaptiveCardRenderer.MaxSummaryChars);
        var json = string.Empty;
        foreach (var rows in _maxRows)
        {
            json = Card(report, link, date, rows).ToJsonString(CardJson);
            if (TeamsMessage.RequestBytes(json, summary) <= TeamsMessage.MaxRequestBytes)
            {
                break;
            }
        }

        return new TeamsCard(json, summary);
    }

    /// <summary>"90% (target 100%) — at risk"; "no data (target 95%)".</summary>
    internal static string Reading(Kpi kpi)
    {
        var target = string.Create(CultureInfo.InvariantCulture, $"{Math.Round(kpi.Target * 100)}%");
        return kpi.Value is null || kpi.Denominator == 0
            ? $"no data (target {target})"
            : $"{ReportFormat.Percent(kpi.Numerator, kpi.Denominator)} (target {target}) — {Status(kpi.Status)}";
    }

    private static JsonObject Card(ContinuityReport report, Uri? link, string date, int maxRows)
    {
        var missed = report.Kpis.Count(k => k.Status == KpiStatus.Missed);
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "Container",
                ["style"] = missed > 0 ? "attention" : report.Kpis.Any(k => k.Status == KpiStatus.AtRisk) ? "warning" : "good",
                ["bleed"] = true,
                ["items"] = new JsonArray
                {
                    Text($"Continuity report — {date}", size: "Large", weight: "Bolder"),
                    Text(string.Create(CultureInfo.InvariantCulture, $"Incidents from {report.PeriodStart:d MMM} to {report.ReportDate.AddDays(-1):d MMM yyyy}"), subtle: true, spacing: "None"),
                },
            },
            Rich(new Run(AdaptiveCardText.Plain(ReportSummary.Line(report), 1200)), spacing: "Medium"),
            Heading("Key indicators"),
            Facts(report.Kpis.Take(maxRows).Select(k => Fact(AdaptiveCardText.Plain(k.Name, 80), Reading(k)))),
        };
        AdaptiveCardSections.More(body, report.Kpis.Count, maxRows, "indicator", "indicators", "Small");
        body.Add(Heading("Needs attention"));
        body.Add(Facts([
            Fact("Overdue plan reviews", Count(report.OverdueReviews.Count)),
            Fact("Exercises overdue", Count(report.ExercisesOverdue.Count)),
            Fact("Failed exercises", Count(report.FailedExercises.Count)),
            Fact("RTO gaps", Count(report.RtoGaps.Count)),
            Fact("Services without a plan", Count(report.ServicesWithoutPlan.Count)),
            Fact("Stale BIAs", Count(report.StaleBia.Count)),
            Fact("Open findings and corrective actions", Count(report.Learning.OpenActions.Count == 0 ? report.OpenFindings.Count : report.Learning.OpenActions.Count)),
            Fact("Post-incident reviews overdue", Count(report.Learning.ReviewsOverdue.Count)),
        ]));
        body.Add(Heading("Crisis team alerts"));
        body.Add(Facts([
            Fact("Alerts", Count(report.CrisisTeamAlerts.Alerts)),
            Fact("Acknowledged", Count(report.CrisisTeamAlerts.Acknowledged)),
            Fact("Plans invoked", Count(report.CrisisTeamAlerts.Invoked)),
            Fact("Escalated past tier 1", Count(report.CrisisTeamAlerts.Escalated)),
            Fact("Notifications not delivered", Count(report.CrisisTeamAlerts.DeliveryProblems)),
        ]));

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (AdaptiveCardText.WebUrl(link) is { } url)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the report", ["url"] = url } };
        }

        return card;
    }

    private static string Status(KpiStatus status) => status switch
    {
        KpiStatus.Met => "met",
        KpiStatus.AtRisk => "at risk",
        KpiStatus.Missed => "missed",
        _ => "no data",
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
