using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Reactions;

namespace ContinuityHub.Core.Tests.Reactions;

/// <summary>The <c>ContinuityHub.AutomationRequested</c> CloudEvent a plan's automation receives.</summary>
public class AutomationEventTests
{
    [Fact]
    public void The_cloud_event_carries_the_incident_plan_decision_reasons_and_callback()
    {
        var incident = new IncidentBuilder().On("sql-cluster").Build();
        var plan = new ContinuityPlan("dr-sql-cluster", "SQL cluster failover <DC2>", PlanType.DisasterRecovery, "2.1", PlanStatus.Approved, "dba@contoso.example", ["sql-cluster"], TimeSpan.FromHours(1), false, null, null, null, []);
        var at = new DateTimeOffset(2026, 11, 24, 10, 41, 0, TimeSpan.Zero);
        var facts = new AutomationFacts("e1", at, incident, plan, new PlanAutomation("failover-sql", AutomationTrigger.Invoke, AutomationKind.Webhook, "https://automation.contoso.example/failover", null, null, null, TimeSpan.FromMinutes(30)), ContinuityHub.Assessment.AssessmentLevel.Invoke, new AutomationDecision("Invoke", "James Whitfield", at), ["sql-cluster: down \"hard\""], new Uri("https://hub.example/api/incidents/x"), new Uri("https://hub.example/api/automations/t"), at.AddDays(7));

        var json = JsonNode.Parse(AutomationEvent.Json(facts))!;

        Assert.Equal(("1.0", "ContinuityHub.AutomationRequested", "e1", "2026-11-24T10:41:00Z"), (json["specversion"]!.GetValue<string>(), json["type"]!.GetValue<string>(), json["id"]!.GetValue<string>(), json["time"]!.GetValue<string>()));
        Assert.Equal("/continuityhub/plans/dr-sql-cluster/automations/failover-sql", json["source"]!.GetValue<string>());
        var data = json["data"]!;
        Assert.Equal(incident.Key, data["incident"]!["key"]!.GetValue<string>());
        Assert.Equal("SQL cluster failover <DC2>", data["plan"]!["title"]!.GetValue<string>());
        Assert.Equal(("Invoke", "James Whitfield"), (data["decision"]!["action"]!.GetValue<string>(), data["decision"]!["by"]!.GetValue<string>()));
        Assert.Equal("sql-cluster: down \"hard\"", data["reasons"]![0]!.GetValue<string>());
        Assert.Equal("https://hub.example/api/automations/t", data["callbackUrl"]!.GetValue<string>());
        Assert.Equal(["started", "succeeded", "failed"], data["callbackStatuses"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("30m", data["timeout"]!.GetValue<string>());
    }

}
