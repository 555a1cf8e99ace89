using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using ContinuityHub.Reporting;

namespace ContinuityHub.Notifications;

/// <summary>
/// The continuity report's summary card for the continuity channel: the report in one line, the KPIs against their
/// targets, what needs attention, the crisis-team alerts of the period, and a link to the full HTML report.
/// </summary>
internal static class AdaptiveCardReport
{
    private const int MaxRows = 15;

    private static readonly JsonSerializerOptions _json = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
    };

    public static TeamsCard Render(ContinuityReport report, Uri? link)
    {
        ArgumentNullException.ThrowIfNull(report);
        var date = report.ReportDate.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
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
                    Text($"Continuity report — {date}", weight: "Bolder", size: "Large"),
                    Text(string.Create(CultureInfo.InvariantCulture, $"Incidents from {report.PeriodStart:d MMM} to {report.ReportDate.AddDays(-1):d MMM yyyy}"), isSubtle: true),
                },
            },
            Text(AdaptiveCardText.Markdown(ReportSummary.Line(report), 1200)),
            Text("Key indicators", weight: "Bolder"),
            Facts(report.Kpis.Take(MaxRows).Select(k => (
                AdaptiveCardText.Markdown(k.Name, 80),
                k.Value is { } value
                    ? string.Create(CultureInfo.InvariantCulture, $"{value:P0} (target {k.Target:P0}) — {Status(k.Status)}")
                    : $"no data (target {k.Target.ToString("P0", CultureInfo.InvariantCulture)})"))),
            Text("Needs attention", weight: "Bolder"),
            Facts([
                ("Overdue plan reviews", Count(report.OverdueReviews.Count)),
                ("Exercises overdue", Count(report.ExercisesOverdue.Count)),
                ("Failed exercises", Count(report.FailedExercises.Count)),
                ("RTO gaps", Count(report.RtoGaps.Count)),
                ("Services without a plan", Count(report.ServicesWithoutPlan.Count)),
                ("Stale BIAs", Count(report.StaleBia.Count)),
                ("Open findings", Count(report.OpenFindings.Count)),
            ]),
            Text("Crisis team alerts", weight: "Bolder"),
            Facts([
                ("Alerts", Count(report.CrisisTeamAlerts.Alerts)),
                ("Acknowledged", Count(report.CrisisTeamAlerts.Acknowledged)),
                ("Plans invoked", Count(report.CrisisTeamAlerts.Invoked)),
                ("Escalated past tier 1", Count(report.CrisisTeamAlerts.Escalated)),
                ("Notifications not delivered", Count(report.CrisisTeamAlerts.DeliveryProblems)),
            ]),
        };

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

        var summary = HumanText.Truncate(AdaptiveCardText.Plain($"Continuity report {date}: " + ReportSummary.Line(report), 400), AdaptiveCardRenderer.MaxSummaryChars);
        return new TeamsCard(card.ToJsonString(_json), summary);
    }

    private static string Status(KpiStatus status) => status switch
    {
        KpiStatus.Met => "met",
        KpiStatus.AtRisk => "at risk",
        KpiStatus.Missed => "missed",
        _ => "no data",
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Text(string text, string? weight = null, string? size = null, bool isSubtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (size is not null)
        {
            block["size"] = size;
        }

        if (isSubtle)
        {
            block["isSubtle"] = true;
        }

        return block;
    }

    private static JsonObject Facts(IEnumerable<(string Title, string Value)> facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
    };
}
