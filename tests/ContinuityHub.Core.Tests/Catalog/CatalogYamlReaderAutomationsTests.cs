using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>A plan's <c>automations:</c> as the file gives them.</summary>
public class CatalogYamlReaderAutomationsTests
{
    private const string Catalogue = """
        services:
          - id: sql-cluster
            name: SQL cluster
            tier: 2
            rto: 1h
            rpo: 5m
            mtpd: 6h
        plans:
          - id: er-dc1
            title: DC1 emergency response
            type: EmergencyResponse
            version: "2.2"
            status: Draft
            services: [sql-cluster]
            recoveryTime: 30m
          - id: dr-sql-cluster
            title: SQL failover
            type: DisasterRecovery
            version: "1.6"
            status: Draft
            services: [sql-cluster]
            recoveryTime: 45m
            automations:
              - id: failover-sql
                on: Invoke
                kind: webhook
                url: https://automation.contoso.example/webhooks/failover-sql
                signingSecret: automation-failover-sql
                timeout: 45m
              - id: notify-ops
                on: StandDown
                kind: serviceBus
                queue: continuity-automations
        """;

    /// <summary>The catalogue with the second plan's automations replaced by <paramref name="automations"/> (indented as list items under the key).</summary>
    private static string With(string automations) =>
        Catalogue[..(Catalogue.IndexOf("    automations:\n", StringComparison.Ordinal) + "    automations:\n".Length)]
        + string.Concat(automations.Split('\n').Select(line => "      " + line + "\n"));

    private static List<string> Problems(string yaml) =>
        [.. Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml)).Problems.Select(p => p.ToString())];

    [Fact]
    public void Automations_read_every_key_in_file_order()
    {
        // Act
        var plan = CatalogYamlReader.Read(Catalogue).Plans[1];

        // Assert
        Assert.Equal(
            [
                new PlanAutomation("failover-sql", AutomationTrigger.Invoke, AutomationKind.Webhook, "https://automation.contoso.example/webhooks/failover-sql", null, null, "automation-failover-sql", TimeSpan.FromMinutes(45)),
                new PlanAutomation("notify-ops", AutomationTrigger.StandDown, AutomationKind.ServiceBus, null, null, "continuity-automations", null, PlanAutomation.DefaultTimeout),
            ],
            plan.Automations);
    }

    [Fact]
    public void Plan_without_automations_has_none()
    {
        var plan = CatalogYamlReader.Read(Catalogue).Plans[0];

        Assert.Empty(plan.Automations);
    }

    [Fact]
    public void Automation_kind_defaults_to_webhook_and_timeout_to_30_minutes()
    {
        // Arrange
        var yaml = With("- id: page-ops\n  on: Alert\n  urlSecret: logic-app-page-ops");

        // Act
        var automation = Assert.Single(CatalogYamlReader.Read(yaml).Plans[1].Automations);

        // Assert
        Assert.Equal(new PlanAutomation("page-ops", AutomationTrigger.Alert, AutomationKind.Webhook, null, "logic-app-page-ops", null, null, TimeSpan.FromMinutes(30)), automation);
    }

    [Theory]
    [InlineData("on", "Invoke", AutomationTrigger.Invoke)]
    [InlineData("on", "recommendinvocation", AutomationTrigger.RecommendInvocation)]
    [InlineData("\"on\"", "standDown", AutomationTrigger.StandDown)]
    [InlineData("'on'", "ALERT", AutomationTrigger.Alert)]
    public void Key_on_is_read_as_the_word_on_not_as_a_yaml_boolean(string key, string value, AutomationTrigger expected)
    {
        var yaml = With($"- id: a1\n  {key}: {value}\n  url: https://hooks.example/a1");

        var automation = Assert.Single(CatalogYamlReader.Read(yaml).Plans[1].Automations);

        Assert.Equal(expected, automation.On);
    }

    [Fact]
    public void Topic_is_read_as_the_automations_entity()
    {
        var yaml = With("- id: notify\n  on: Invoke\n  kind: ServiceBus\n  topic: continuity/automations");

        var automation = Assert.Single(CatalogYamlReader.Read(yaml).Plans[1].Automations);

        Assert.Equal((AutomationKind.ServiceBus, "continuity/automations"), (automation.Kind, automation.Entity));
    }

    [Theory]
    [InlineData("- on: Invoke\n  url: https://hooks.example/a", "plans[1].automations[0].id: is required")]
    [InlineData("- id: a\n  url: https://hooks.example/a", "plans[1].automations[0].on: is required")]
    [InlineData("- id: a\n  on: Invoked\n  url: https://hooks.example/a", "plans[1].automations[0].on: unknown automation trigger 'Invoked' (expected one of Alert, RecommendInvocation, Invoke, StandDown)")]
    [InlineData("- id: a\n  on: Invoke\n  kind: email\n  url: https://hooks.example/a", "plans[1].automations[0].kind: unknown automation kind 'email' (expected one of webhook, serviceBus)")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://hooks.example/a\n  timeout: half an hour", "plans[1].automations[0].timeout: 'half an hour' is not a duration (expected a duration like 30s, 90m, 4h or 2d)")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://hooks.example/a\n  secret: x", "plans[1].automations[0].secret: unknown key (expected one of id, on, kind, url, urlSecret, queue, topic, signingSecret, timeout)")]
    [InlineData("- id: a\n  on: Invoke\n  urlSecrt: x", "plans[1].automations[0].urlSecrt: unknown key; did you mean 'urlSecret'?")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: q1\n  topic: t1", "plans[1].automations[0].topic: give queue or topic, not both")]
    [InlineData("- id: a\n  on: Invoke\n  url: [https://hooks.example/a]", "plans[1].automations[0].url: expected a single value, not a list or mapping")]
    [InlineData("- just-a-name", "plans[1].automations[0]: expected a mapping with keys id, on, kind, url, urlSecret, queue, topic, signingSecret, timeout")]
    public void Unreadable_automation_is_refused_naming_the_path(string automations, string expected)
    {
        var problems = Problems(With(automations));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Fact]
    public void Automations_that_are_not_a_list_are_refused_naming_the_path()
    {
        var yaml = Catalogue.Replace("    recoveryTime: 30m\n", "    recoveryTime: 30m\n    automations: {id: a, on: Invoke}\n", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Equal("plans[0].automations: expected a list of automations, e.g. - id: failover-sql", Assert.Single(problems));
    }
}
