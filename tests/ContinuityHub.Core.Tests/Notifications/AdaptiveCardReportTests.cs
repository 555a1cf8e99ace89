using System.Text.Json.Nodes;
using ContinuityHub.Notifications;
using ContinuityHub.Reporting;
using ContinuityHub.Core.Tests.Reporting;

namespace ContinuityHub.Core.Tests.Notifications;

public sealed class AdaptiveCardReportTests
{
    private static readonly DateOnly Monday = new(2026, 11, 30);

    private static ContinuityReport Report() => ContinuityReportBuilder.Build(SeedCatalog.Catalog, [], Monday, Monday.AddDays(-7));

    [Fact]
    public void The_report_card_is_an_Adaptive_Card_1_5_with_the_kpis_and_a_link_to_the_report()
    {
        var report = Report();

        var card = AdaptiveCards.RenderReport(report, new Uri("https://st.blob.core.windows.net/reports/2026-11-30/continuity-report.html?sp=r&sig=x"));

        var json = JsonNode.Parse(card.CardJson)!;
        Assert.Equal("AdaptiveCard", json["type"]!.GetValue<string>());
        Assert.Equal("1.5", json["version"]!.GetValue<string>());
        Assert.Contains("Continuity report — 30 Nov 2026", card.CardJson, StringComparison.Ordinal);
        foreach (var kpi in report.Kpis)
        {
            Assert.Contains(kpi.Name, card.CardJson, StringComparison.Ordinal);
        }

        var action = Assert.Single(json["actions"]!.AsArray());
        Assert.Equal("Open the report", action!["title"]!.GetValue<string>());
        Assert.StartsWith("https://st.blob.core.windows.net/reports/", action["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Continuity report 30 Nov 2026: Plan review compliance", card.Summary, StringComparison.Ordinal);
        Assert.True(card.Summary.Length <= 200);
    }

    [Fact]
    public void A_report_card_without_an_http_link_has_no_action()
    {
        var card = AdaptiveCards.RenderReport(Report(), new Uri("file:///etc/passwd"));

        Assert.Null(JsonNode.Parse(card.CardJson)!["actions"]);
    }

    [Fact]
    public void Kpi_readings_are_written_as_the_report_writes_them()
    {
        var kpi = new Kpi("x", "Exercises passed", 0.9, 1.0, KpiStatus.AtRisk, "ratio", 9, 10, "…");

        Assert.Equal("90% (target 100%) — at risk", AdaptiveCardReport.Reading(kpi));
        Assert.Equal("no data (target 95%)", AdaptiveCardReport.Reading(kpi with { Value = null, Numerator = 0, Denominator = 0, Target = 0.95 }));
    }

    [Fact]
    public void The_report_card_fits_a_Teams_message()
    {
        Assert.True(TeamsMessage.RequestBytes(AdaptiveCards.RenderReport(Report(), null)) <= TeamsMessage.MaxRequestBytes);
    }
}
