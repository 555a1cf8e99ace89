using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

public class CatalogYamlReaderTests
{
    private const string Valid = """
        policy:
          alertFraction: 0.5
          assessPriorities: [P1, P2]
          reassessEvery: 1m
          biaReviewInterval: 365d
        services:
          - id: sql-cluster
            name: SQL cluster
            tier: 2
            owner: dba@contoso.com
            rto: 2h
            rpo: 5m
            mtpd: 6h
            aliases:
              servicenow: [CI-SQL-01]
              azuremonitor: [/subscriptions/x/resourceGroups/sql-prod]
          - id: core-ledger
            name: Core Ledger
            tier: 1
            owner: ledger@contoso.com
            rto: 4h
            rpo: 15m
            mtpd: 8h
            dependsOn: [sql-cluster]
            biaReviewed: 2026-03-01
          - id: payments
            name: Payments
            tier: 1
            rto: 2h
            rpo: 1m
            mtpd: 4h
            dependsOn: [core-ledger]
        plans:
          - id: dr-ledger
            title: Ledger DR
            type: DisasterRecovery
            version: "3.1"
            status: Approved
            owner: ledger@contoso.com
            services: [core-ledger, sql-cluster]
            recoveryTime: 2h
            autoInvoke: true
            lastReviewed: 2026-01-10
            nextReview: 2027-01-10
            crisisTeam:
              teamId: team-1
              channelId: "19:abc@thread.tacv2"
              escalationDelay: 15m
              tiers:
                - [a@contoso.com, b@contoso.com]
                - [cio@contoso.com]
          - id: cmp
            title: Crisis management
            type: CrisisManagement
            version: "1"
            status: Approved
            services: []
            recoveryTime: 0m
            nextReview: 2027-01-10
        exercises:
          - id: ex-1
            plan: dr-ledger
            type: full
            scheduled: 2026-04-01
            completed: 2026-04-01
            result: PassedWithIssues
            achievedRecovery: 5h
            findings:
              - id: F-1
                text: DNS TTL too long
                owner: net@contoso.com
                due: 2026-06-30
          - id: ex-2
            plan: cmp
            type: walkthrough
            scheduled: 2026-12-01
        """;

    [Fact]
    public void Valid_catalogue_reads_every_field()
    {
        var catalog = CatalogYamlReader.Read(Valid);

        Assert.Equal(3, catalog.Services.Count);
        var ledger = catalog.Services[1];
        Assert.Equal("core-ledger", ledger.Id);
        Assert.Equal(1, ledger.Tier);
        Assert.Equal(TimeSpan.FromHours(4), ledger.Rto);
        Assert.Equal(TimeSpan.FromMinutes(15), ledger.Rpo);
        Assert.Equal(TimeSpan.FromHours(8), ledger.Mtpd);
        Assert.Equal(["sql-cluster"], ledger.DependsOn);
        Assert.Equal(new DateOnly(2026, 3, 1), ledger.BiaReviewed);
        Assert.Equal(["CI-SQL-01"], catalog.Services[0].Aliases[AliasSource.ServiceNow]);

        var plan = catalog.Plans[0];
        Assert.Equal(PlanType.DisasterRecovery, plan.Type);
        Assert.Equal("3.1", plan.Version);
        Assert.True(plan.AutoInvoke);
        Assert.Equal(TimeSpan.FromMinutes(15), plan.CrisisTeam!.EscalationDelay);
        Assert.Equal(2, plan.CrisisTeam.Tiers.Count);
        Assert.Equal(TimeSpan.Zero, catalog.Plans[1].RecoveryTime);

        var exercise = catalog.Exercises[0];
        Assert.Equal(ExerciseType.Full, exercise.Type);
        Assert.Equal(ExerciseResult.PassedWithIssues, exercise.Result);
        Assert.Equal(TimeSpan.FromHours(5), exercise.AchievedRecovery);
        Assert.Equal("F-1", Assert.Single(exercise.Findings).Id);
        Assert.Null(catalog.Exercises[1].Completed);
    }

    [Fact]
    public void Policy_maps_each_sources_priority_names_and_names_its_major_markers()
    {
        // Arrange
        var yaml = Valid.Replace("  biaReviewInterval: 365d\n", """
              biaReviewInterval: 365d
              priorities:
                jira: {Blocker: P1, "Sev 2": P2}
                servicenow:
                  "1 - Critical": P1
              majorMarkers:
                opsgenie: [major-incident]
                jira: [major-incident, "[System] Major incident"]

            """, StringComparison.Ordinal);

        // Act
        var policy = CatalogYamlReader.Read(yaml).Policy;

        // Assert
        Assert.Equal(Priority.P2, policy.PriorityOf(AliasSource.Jira, "sev 2"));
        Assert.Equal(Priority.P1, policy.PriorityOf(AliasSource.ServiceNow, "1 - Critical"));
        Assert.Null(policy.PriorityOf(AliasSource.Opsgenie, "Blocker"));
        Assert.True(policy.MarksMajor(AliasSource.Jira, ["[system] major incident"]));
        Assert.False(policy.MarksMajor(AliasSource.PagerDuty, ["major-incident"]));
    }

    [Theory]
    [InlineData("priorities:\n    jira: {Blocker: P0}", "policy.priorities.jira.Blocker: unknown priority 'P0' (expected one of P1, P2, P3, P4, P5)")]
    [InlineData("priorities:\n    jira: {Blocker: None}", "policy.priorities.jira.Blocker: unknown priority 'None' (expected one of P1, P2, P3, P4, P5)")]
    [InlineData("priorities:\n    jira: {Major: P2, major: P3}", "policy.priorities.jira.major: is listed twice (names are matched without regard to case)")]
    [InlineData("priorities:\n    jra: {Major: P2}", "policy.priorities.jra: unknown source 'jra' (expected one of servicenow, jira, pagerduty, opsgenie, azuremonitor, generic, alertmanager)")]
    [InlineData("priorities:\n    jira: [Major]", "policy.priorities.jira: expected a mapping of priority names to P1..P5, e.g. {Blocker: P1, Major: P2}")]
    [InlineData("priorities: [P1]", "policy.priorities: expected a mapping of source name to a mapping of the source's priority names to P1..P5, e.g. jira: {Blocker: P1, Major: P2}")]
    [InlineData("majorMarkers:\n    opsgenie: major-incident", "policy.majorMarkers.opsgenie: expected a list, e.g. [major-incident]")]
    public void Unreadable_priority_policy_is_refused_naming_the_path(string policy, string expected)
    {
        // Arrange
        var yaml = Valid.Replace("  biaReviewInterval: 365d\n", "  biaReviewInterval: 365d\n  " + policy + "\n", StringComparison.Ordinal);

        // Act
        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        // Assert
        Assert.Equal(expected, Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void Policy_names_the_servicenow_fields_the_write_back_sets_as_strings_with_the_level_placeholder_kept()
    {
        // Arrange
        var yaml = Valid.Replace("  biaReviewInterval: 365d\n", """
              biaReviewInterval: 365d
              serviceNowFields:
                major_incident_state: accepted
                u_continuity_level: "{level}"
                u_continuity_flag: true
                u_cleared: ""

            """, StringComparison.Ordinal);

        // Act
        var fields = CatalogYamlReader.Read(yaml).Policy.ServiceNowFields;

        // Assert
        Assert.Equal(
            [("major_incident_state", "accepted"), ("u_continuity_level", "{level}"), ("u_continuity_flag", "true"), ("u_cleared", "")],
            fields.Select(f => (f.Key, f.Value)));
    }

    [Theory]
    [InlineData("serviceNowFields:\n    work_notes: \"set by the catalogue\"", "policy.serviceNowFields.work_notes: is the work note the hub writes itself; name the other fields to set beside it")]
    [InlineData("serviceNowFields:\n    Major_Incident_State: accepted", "policy.serviceNowFields.Major_Incident_State: 'Major_Incident_State' is not a ServiceNow field name (lower-case letters, digits and '_', starting with a letter, at most 80 characters)")]
    [InlineData("serviceNowFields:\n    u-level: Alert", "policy.serviceNowFields.u-level: 'u-level' is not a ServiceNow field name (lower-case letters, digits and '_', starting with a letter, at most 80 characters)")]
    [InlineData("serviceNowFields:\n    major_incident_state: [accepted]", "policy.serviceNowFields.major_incident_state: expected a single value, not a list or mapping")]
    [InlineData("serviceNowFields:\n    major_incident_state:", "policy.serviceNowFields.major_incident_state: expected a value (quote an empty one: \"\")")]
    [InlineData("serviceNowFields: [major_incident_state]", "policy.serviceNowFields: expected a mapping of ServiceNow incident field names to values, e.g. {major_incident_state: accepted}")]
    [InlineData("servicenowFields: {}", "policy.servicenowFields: unknown key; did you mean 'serviceNowFields'?")]
    public void Unreadable_or_refused_servicenow_fields_are_named_by_their_path(string policy, string expected)
    {
        // Arrange
        var yaml = Valid.Replace("  biaReviewInterval: 365d\n", "  biaReviewInterval: 365d\n  " + policy + "\n", StringComparison.Ordinal);

        // Act
        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        // Assert
        Assert.Equal(expected, Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void A_servicenow_field_value_longer_than_1000_characters_is_refused()
    {
        var yaml = Valid.Replace("  biaReviewInterval: 365d\n", $"  biaReviewInterval: 365d\n  serviceNowFields:\n    u_summary: {new string('x', 1001)}\n", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Equal("policy.serviceNowFields.u_summary: is 1001 characters long (at most 1000)", Assert.Single(e.Problems).ToString());
        CatalogYamlReader.Read(yaml.Replace(new string('x', 1001), new string('x', 1000), StringComparison.Ordinal));
    }

    [Fact]
    public void An_alert_fraction_that_is_not_a_number_is_one_problem()
    {
        var yaml = Valid.Replace("  alertFraction: 0.5\n", "  alertFraction: half\n", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Equal("policy.alertFraction: 'half' is not a number", Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void Policy_defaults_apply_when_the_file_has_none()
    {
        var catalog = CatalogYamlReader.Read(Valid[Valid.IndexOf("services:", StringComparison.Ordinal)..]);

        Assert.Equal(0.5, catalog.Policy.AlertFraction);
        Assert.Equal([Priority.P1, Priority.P2], catalog.Policy.AssessPriorities);
        Assert.Equal(TimeSpan.FromMinutes(1), catalog.Policy.ReassessEvery);
        Assert.Equal(TimeSpan.FromDays(365), catalog.Policy.BiaReviewInterval);
        Assert.Empty(catalog.Policy.ServiceNowFields);
        Assert.Equal(0.8, catalog.Policy.RpoWarnFraction);
    }

    [Theory]
    [InlineData("    rto: 4h\n    rpo: 15m\n    mtpd: 8h\n    dependsOn", "    rto: 10h\n    rpo: 15m\n    mtpd: 8h\n    dependsOn", "services[1].rto: 10h exceeds mtpd 8h")]
    [InlineData("  - id: payments", "  - id: core-ledger", "services[2].id: duplicate id 'core-ledger' (also services[1])")]
    [InlineData("  - id: cmp", "  - id: dr-ledger", "plans[1].id: duplicate id 'dr-ledger' (also plans[0])")]
    [InlineData("  - id: ex-2", "  - id: ex-1", "exercises[1].id: duplicate id 'ex-1' (also exercises[0])")]
    [InlineData("dependsOn: [core-ledger]", "dependsOn: [core-ledgr]", "services[2].dependsOn[0]: unknown service 'core-ledgr'")]
    [InlineData("services: [core-ledger, sql-cluster]", "services: [core-ledger, sql-clustr]", "plans[0].services[1]: unknown service 'sql-clustr'")]
    [InlineData("    plan: cmp", "    plan: bcp-nowhere", "exercises[1].plan: unknown plan 'bcp-nowhere'")]
    [InlineData("    tier: 2", "    tier: 5", "services[0].tier: 5 is outside 1–4 (1 = vital business function)")]
    [InlineData("    tier: 2", "    tier: 0", "services[0].tier: 0 is outside 1–4 (1 = vital business function)")]
    [InlineData("    rpo: 5m", "    rpo: 0m", "services[0].rpo: must be positive")]
    [InlineData("    rto: 2h\n    rpo: 5m", "    rto: 0h\n    rpo: 5m", "services[0].rto: must be positive")]
    [InlineData("    mtpd: 6h", "    mtpd: 0d", "services[0].mtpd: must be positive")]
    [InlineData("    mtpd: 6h", "    mtpd: 40000d", "services[0].mtpd: 40000d is longer than the 100 years the hub counts with")]
    [InlineData("    type: DisasterRecovery", "    type: Disaster", "plans[0].type: unknown plan type 'Disaster' (expected one of CrisisManagement, EmergencyResponse, DisasterRecovery, BusinessRecovery)")]
    [InlineData("    status: Approved\n    owner: ledger", "    status: Aproved\n    owner: ledger", "plans[0].status: unknown plan status 'Aproved' (expected one of Draft, Approved, Retired)")]
    [InlineData("      servicenow: [CI-SQL-01]", "      servicenw: [CI-SQL-01]", "services[0].aliases.servicenw: unknown alias source 'servicenw' (expected one of servicenow, jira, pagerduty, opsgenie, azuremonitor, generic, alertmanager)")]
    [InlineData("    nextReview: 2027-01-10\n    crisisTeam", "    nextReview: 2025-01-10\n    crisisTeam", "plans[0].nextReview: 2025-01-10 is before lastReviewed 2026-01-10")]
    [InlineData("    rpo: 5m", "    rpo: 5 minutes", "services[0].rpo: '5 minutes' is not a duration (expected a duration like 30s, 90m, 4h or 2d)")]
    [InlineData("    mtpd: 6h", "    mtpd: 6", "services[0].mtpd: '6' is not a duration (expected a duration like 30s, 90m, 4h or 2d)")]
    [InlineData("    biaReviewed: 2026-03-01", "    biaReviewed: 2026-13-01", "services[1].biaReviewed: '2026-13-01' is not a date (expected ISO 8601, e.g. 2026-03-31)")]
    [InlineData("    scheduled: 2026-12-01", "    scheduled: 01/12/2026", "exercises[1].scheduled: '01/12/2026' is not a date (expected ISO 8601, e.g. 2026-03-31)")]
    [InlineData("    rpo: 1m", "    rpoo: 0s", "services[2].rpoo: unknown key; did you mean 'rpo'?")]
    [InlineData("    autoInvoke: true", "    autoinvoke: true", "plans[0].autoinvoke: unknown key; did you mean 'autoInvoke'?")]
    [InlineData("policy:", "polcy:", "polcy: unknown key; did you mean 'policy'?")]
    [InlineData("    type: full", "    type: tabletop", "exercises[0].type: unknown exercise type 'tabletop' (expected one of walkthrough, simulation, component, full)")]
    [InlineData("    result: PassedWithIssues", "    result: Pass", "exercises[0].result: unknown exercise result 'Pass' (expected one of Passed, PassedWithIssues, Failed)")]
    [InlineData("  alertFraction: 0.5", "  alertFraction: 1.5", "policy.alertFraction: 1.5 must be above 0 and at most 1")]
    [InlineData("  assessPriorities: [P1, P2]", "  assessPriorities: [P1, P7]", "policy.assessPriorities[1]: unknown priority 'P7' (expected one of P1, P2, P3, P4, P5)")]
    [InlineData("    title: Ledger DR\n", "", "plans[0].title: is required")]
    [InlineData("        - [cio@contoso.com]", "        - [cio]", "plans[0].crisisTeam.tiers[1][0]: 'cio' is not a user principal name (name@domain)")]
    [InlineData("    escalationDelay: 15m", "    escalationDelay: 0m", "plans[0].crisisTeam.escalationDelay: must be positive")]
    [InlineData("      azuremonitor: [/subscriptions/x/resourceGroups/sql-prod]", "      azuremonitor: [/subscriptions/x/resourceGroups/sql-prod]\n      jira: [Ledger]\n      opsgenie: [x]", "")]
    [InlineData("    dependsOn: [core-ledger]", "    dependsOn: [payments]", "services[2].dependsOn[0]: a service cannot depend on itself")]
    [InlineData("    result: PassedWithIssues\n", "", "exercises[0].result: is required for a completed exercise (one of Passed, PassedWithIssues, Failed)")]
    [InlineData("  - id: sql-cluster", "  - id: sql cluster", "services[0].id: 'sql cluster' is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters)")]
    public void Each_problem_is_one_line_naming_its_path(string find, string replace, string expected)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);

        if (expected.Length == 0)
        {
            CatalogYamlReader.Read(yaml);
            return;
        }

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));
        Assert.Contains(expected, e.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Dependency_cycle_is_named_once_with_every_member()
    {
        var yaml = Valid.Replace("    owner: dba@contoso.com\n", "    owner: dba@contoso.com\n    dependsOn: [payments]\n", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("services[0].dependsOn: dependency cycle sql-cluster -> payments -> core-ledger -> sql-cluster", problem.ToString());
    }

    [Fact]
    public void Same_alias_on_two_services_of_one_source_is_refused()
    {
        var yaml = Valid.Replace("    dependsOn: [sql-cluster]\n", "    dependsOn: [sql-cluster]\n    aliases:\n      servicenow: [ci-sql-01]\n", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Equal("services[1].aliases.servicenow[0]: alias 'ci-sql-01' already belongs to service sql-cluster", Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void Every_problem_in_the_file_is_reported_at_once()
    {
        var yaml = Valid
            .Replace("    tier: 2", "    tier: 9", StringComparison.Ordinal)
            .Replace("    plan: cmp", "    plan: nope", StringComparison.Ordinal)
            .Replace("    rpo: 1m", "    rpo: soon", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Equal(3, e.Problems.Count);
    }

    [Fact]
    public void Reference_to_an_item_with_its_own_problem_is_not_reported_twice()
    {
        var yaml = Valid.Replace("    rpo: 5m", "    rpo: five", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Equal("services[0].rpo", Assert.Single(e.Problems).Path);
    }

    [Theory]
    [InlineData("services: [\n  - id: x\n")]
    [InlineData("services:\n  - id: a\n   name: b\n")]
    [InlineData("key: value\n\tother: 1\n")]
    public void Malformed_yaml_is_a_problem_with_its_line_not_an_exception(string yaml)
    {
        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.StartsWith("line ", Assert.Single(e.Problems).Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("services: 3\n")]
    [InlineData("services:\n  - just-a-string\n")]
    public void Wrong_shapes_are_problems_not_exceptions(string yaml)
    {
        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.NotEmpty(e.Problems);
    }

    [Fact]
    public void Absurd_nesting_is_a_problem_not_a_stack_overflow()
    {
        var yaml = "services: " + new string('[', 50_000) + new string(']', 50_000) + "\n";

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Contains("nested deeper than 64 levels", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Alias_source_that_is_not_a_name_is_a_problem_with_its_path()
    {
        var yaml = Valid.Replace("      servicenow: [CI-SQL-01]", "      ? [x, y]\n      : [CI-SQL-01]", StringComparison.Ordinal);

        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.Equal("services[0].aliases", Assert.Single(e.Problems).Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2]\n")]
    [InlineData("services: []\n---\nplans: []\n")]
    public void Problems_with_the_whole_file_are_named_root(string yaml)
    {
        var e = Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml));

        Assert.StartsWith("(root): ", Assert.Single(e.Problems).ToString(), StringComparison.Ordinal);
    }
}
