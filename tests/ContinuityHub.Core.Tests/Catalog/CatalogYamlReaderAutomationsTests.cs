using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>A plan's <c>automations:</c> as the file gives them, and each rule they keep, by its path.</summary>
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

    [Fact]
    public void Automation_without_url_or_urlSecret_names_the_path()
    {
        var problems = Problems(With("- id: failover-sql\n  on: Invoke"));

        Assert.Equal("plans[1].automations[0].url: is required for a webhook (or urlSecret: the name of the secret holding the URL)", Assert.Single(problems));
    }

    [Theory]
    [InlineData("- id: Failover\n  on: Invoke\n  url: https://h.example/", "plans[1].automations[0].id: 'Failover' is not a valid automation id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- id: -failover\n  on: Invoke\n  url: https://h.example/", "plans[1].automations[0].id: '-failover' is not a valid automation id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- id: fail_over\n  on: Invoke\n  url: https://h.example/", "plans[1].automations[0].id: 'fail_over' is not a valid automation id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n- id: b\n  on: Alert\n  url: https://h.example/\n- id: a\n  on: StandDown\n  url: https://h.example/", "plans[1].automations[2].id: duplicate id 'a' (also plans[1].automations[0])")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n  urlSecret: hook-a", "plans[1].automations[0].urlSecret: give url or urlSecret, not both")]
    [InlineData("- id: a\n  on: Invoke\n  url: hooks.example/a", "plans[1].automations[0].url: is not an absolute https URL, e.g. https://automation.contoso.example/webhooks/failover")]
    [InlineData("- id: a\n  on: Invoke\n  url: /webhooks/a", "plans[1].automations[0].url: is not an absolute https URL, e.g. https://automation.contoso.example/webhooks/failover")]
    [InlineData("- id: a\n  on: Invoke\n  url: ftp://hooks.example/a", "plans[1].automations[0].url: is not an absolute https URL, e.g. https://automation.contoso.example/webhooks/failover")]
    [InlineData("- id: a\n  on: Invoke\n  url: http://hooks.example/a", "plans[1].automations[0].url: must use https (http only to localhost, 127.0.0.1 or [::1])")]
    [InlineData("- id: a\n  on: Invoke\n  url: http://127.0.0.2:7071/a", "plans[1].automations[0].url: must use https (http only to localhost, 127.0.0.1 or [::1])")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n  queue: q1", "plans[1].automations[0].queue: is for a serviceBus automation; a webhook posts to its url or urlSecret")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n  topic: t1", "plans[1].automations[0].topic: is for a serviceBus automation; a webhook posts to its url or urlSecret")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus", "plans[1].automations[0].queue: is required for a serviceBus automation (or topic:)")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: q1\n  url: https://h.example/", "plans[1].automations[0].url: is for a webhook; a serviceBus automation sends to its queue or topic")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: q1\n  urlSecret: hook-a", "plans[1].automations[0].urlSecret: is for a webhook; a serviceBus automation sends to its queue or topic")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: /q1", "plans[1].automations[0].queue: '/q1' is not a Service Bus queue or topic name (letters, digits, '.', '-', '_' and '/', at most 260 characters, not starting or ending with '/', '.' or '-')")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  topic: t1.", "plans[1].automations[0].topic: 't1.' is not a Service Bus queue or topic name (letters, digits, '.', '-', '_' and '/', at most 260 characters, not starting or ending with '/', '.' or '-')")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  topic: -t1", "plans[1].automations[0].topic: '-t1' is not a Service Bus queue or topic name (letters, digits, '.', '-', '_' and '/', at most 260 characters, not starting or ending with '/', '.' or '-')")]
    [InlineData("- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: \"q 1\"", "plans[1].automations[0].queue: 'q 1' is not a Service Bus queue or topic name (letters, digits, '.', '-', '_' and '/', at most 260 characters, not starting or ending with '/', '.' or '-')")]
    [InlineData("- id: a\n  on: Invoke\n  urlSecret: hook_a", "plans[1].automations[0].urlSecret: 'hook_a' is not a Key Vault secret name (letters, digits and '-', at most 127 characters)")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n  signingSecret: sign.a", "plans[1].automations[0].signingSecret: 'sign.a' is not a Key Vault secret name (letters, digits and '-', at most 127 characters)")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n  timeout: 59s", "plans[1].automations[0].timeout: 59s is outside 1m–7d (how long the hub waits for the callback)")]
    [InlineData("- id: a\n  on: Invoke\n  url: https://h.example/\n  timeout: 8d", "plans[1].automations[0].timeout: 8d is outside 1m–7d (how long the hub waits for the callback)")]
    public void Each_automation_rule_is_one_problem_naming_its_path(string automations, string expected)
    {
        var problems = Problems(With(automations));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData("url: http://localhost:7071/api/hook")]
    [InlineData("url: http://127.0.0.1:8080/hook")]
    [InlineData("url: \"http://[::1]:8080/hook\"")]
    [InlineData("url: https://hooks.example/a?code=abc")]
    [InlineData("urlSecret: Automation-Failover-1")]
    [InlineData("timeout: 1m")]
    [InlineData("timeout: 7d")]
    [InlineData("kind: serviceBus\n  queue: _ops/automations.v1_")]
    public void Automations_at_the_edges_of_the_rules_are_valid(string keys)
    {
        var withTarget = keys.StartsWith("timeout", StringComparison.Ordinal) ? "url: https://h.example/\n  " + keys : keys;

        var plan = CatalogYamlReader.Read(With("- id: a-1\n  on: Invoke\n  " + withTarget)).Plans[1];

        Assert.Equal("a-1", Assert.Single(plan.Automations).Id);
    }

    [Fact]
    public void Entity_of_261_characters_is_refused_and_of_260_accepted()
    {
        var ok = With($"- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: {new string('q', 260)}");
        var tooLong = With($"- id: a\n  on: Invoke\n  kind: serviceBus\n  queue: {new string('q', 261)}");

        CatalogYamlReader.Read(ok);
        Assert.StartsWith("plans[1].automations[0].queue: 'qqq", Assert.Single(Problems(tooLong)), StringComparison.Ordinal);
    }

    [Fact]
    public void Same_automation_id_in_two_plans_is_allowed()
    {
        var yaml = Catalogue.Replace("    recoveryTime: 30m\n", "    recoveryTime: 30m\n    automations:\n      - {id: failover-sql, on: Alert, url: \"https://h.example/\"}\n", StringComparison.Ordinal);

        var catalog = CatalogYamlReader.Read(yaml);

        Assert.Equal(["failover-sql"], catalog.Plans[0].Automations.Select(a => a.Id));
    }

    [Fact]
    public void Automation_problem_in_a_later_plan_names_its_place_in_the_file()
    {
        // The first plan has a problem of its own, so the second is the only one kept: the path still says plans[1].
        var yaml = With("- id: a\n  on: Invoke").Replace("    recoveryTime: 30m\n", "    recoveryTime: soon\n", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Contains("plans[1].automations[0].url: is required for a webhook (or urlSecret: the name of the secret holding the URL)", problems);
    }
}
