using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Core.Tests.Assessment;

public class InvocationClockTests
{
    private static readonly DateTimeOffset Start = IncidentBuilder.Start;

    // sql (tier 2) <- ledger-db (tier 2) <- ledger (tier 1) <- payments (tier 1); online (tier 2) depends on ledger and sql (diamond)
    private static CatalogIndex Bank(bool autoInvoke = false, TimeSpan? recovery = null) => new(new CatalogBuilder()
        .WithService("sql", tier: 2, rto: TimeSpan.FromHours(2), mtpd: TimeSpan.FromHours(6),
            aliases: new() { [AliasSource.AzureMonitor] = ["/subscriptions/s1/resourceGroups/rg-sql"], [AliasSource.PagerDuty] = ["PSQL"] })
        .WithService("ledger-db", tier: 2, dependsOn: ["sql"])
        .WithService("ledger", tier: 1, rto: TimeSpan.FromHours(4), mtpd: TimeSpan.FromHours(8), dependsOn: ["ledger-db"], name: "Core Ledger")
        .WithService("payments", tier: 1, dependsOn: ["ledger"])
        .WithService("online", tier: 2, rto: TimeSpan.FromHours(4), mtpd: TimeSpan.FromHours(8), dependsOn: ["ledger", "sql"])
        .WithPlan("dr-ledger", ["ledger", "ledger-db"], recoveryTime: recovery ?? TimeSpan.FromHours(2), autoInvoke: autoInvoke)
        .Build());

    private static CatalogIndex Catalog(Policy policy) => new(new CatalogBuilder()
        .WithPolicy(policy)
        .WithService("ledger", tier: 1, rto: TimeSpan.FromHours(4), mtpd: TimeSpan.FromHours(8), name: "Core Ledger",
            aliases: new() { [AliasSource.Jira] = ["ledger"], [AliasSource.Opsgenie] = ["ledger"] })
        .Build());

    private static IncidentAssessment Assess(CatalogIndex catalog, Incident incident, DateTimeOffset at) => InvocationClock.Assess(incident, catalog, at);

    private static ServiceClock Clock(IncidentAssessment a, string id) => Assert.Single(a.ImpactedServices, s => s.Id == id);

    [Fact]
    public void Outage_of_sql_takes_its_dependents_three_deep_each_once()
    {
        var a = Assess(Bank(), new IncidentBuilder().On("sql").WithPriority(Priority.P2).Build(), Start.AddMinutes(1));

        Assert.Equal(["sql", "ledger-db", "online", "ledger", "payments"], a.ImpactedServices.Select(s => s.Id));
        Assert.True(Clock(a, "sql").Direct);
        Assert.Null(Clock(a, "sql").Via);
        Assert.Equal("sql", Clock(a, "ledger-db").Via);
        Assert.Equal("ledger-db", Clock(a, "ledger").Via);
        Assert.Equal("ledger", Clock(a, "payments").Via);
        Assert.Equal("sql", Clock(a, "online").Via);
        Assert.False(Clock(a, "payments").Direct);
    }

    [Fact]
    public void Latest_safe_invocation_is_start_plus_rto_minus_plan_recovery()
    {
        var a = Assess(Bank(), new IncidentBuilder().On("ledger").WithPriority(Priority.P2).Build(), Start);

        Assert.Equal(Start.AddHours(2), Clock(a, "ledger").LatestSafeInvocation);
        Assert.Equal("dr-ledger", Clock(a, "ledger").Plan);
        Assert.Equal(Start.AddHours(4), Clock(a, "payments").LatestSafeInvocation); // no plan: start + RTO
        Assert.Null(Clock(a, "payments").Plan);
    }

    [Theory]
    // at (minutes after start), priority, expected level of ledger (tier 1, RTO 4h, MTPD 8h, plan recovery 2h -> safe until +120m)
    [InlineData(-30, Priority.P2, AssessmentLevel.Monitor)] // before start: elapsed 0
    [InlineData(119, Priority.P2, AssessmentLevel.Monitor)] // below 0.5 x 4h
    [InlineData(120, Priority.P2, AssessmentLevel.RecommendInvocation)] // exactly at latest safe invocation (which equals 0.5 x RTO here)
    [InlineData(0, Priority.P1, AssessmentLevel.Alert)] // P1 on a tier-1 service alerts at once
    [InlineData(0, Priority.P3, AssessmentLevel.Monitor)] // not assessed
    [InlineData(600, Priority.P3, AssessmentLevel.Monitor)] // not assessed, however long
    public void Ledger_level_follows_the_clock(int minutes, Priority priority, AssessmentLevel expected)
    {
        var a = Assess(Bank(), new IncidentBuilder().On("ledger").WithPriority(priority).Build(), Start.AddMinutes(minutes));

        Assert.Equal(expected, Clock(a, "ledger").Level);
    }

    [Theory]
    // online: tier 2, RTO 4h, MTPD 8h, no plan -> alert at 2h, safe until 4h
    [InlineData(119, AssessmentLevel.Monitor)]
    [InlineData(120, AssessmentLevel.Alert)] // exactly alertFraction x RTO
    [InlineData(239, AssessmentLevel.Alert)]
    [InlineData(240, AssessmentLevel.RecommendInvocation)] // exactly at latest safe invocation
    public void Tier_2_service_alerts_at_the_alert_fraction_of_its_rto(int minutes, AssessmentLevel expected)
    {
        var a = Assess(Bank(), new IncidentBuilder().On("online").WithPriority(Priority.P2).Build(), Start.AddMinutes(minutes));

        Assert.Equal(expected, a.Level);
        Assert.Equal(TimeSpan.FromMinutes(Math.Max(0, minutes)), Clock(a, "online").Elapsed);
    }

    [Fact]
    public void Major_incident_of_a_low_priority_is_assessed()
    {
        var a = Assess(Bank(), new IncidentBuilder().On("ledger").WithPriority(Priority.P3, major: true).Build(), Start);

        Assert.Equal(AssessmentLevel.Alert, a.Level);
    }

    [Theory]
    [InlineData(0, AssessmentLevel.Monitor)]
    [InlineData(120, AssessmentLevel.RecommendInvocation)] // latest safe invocation of ledger: the clock runs as for an assessed priority
    public void Incident_without_a_priority_runs_on_each_services_clock(int minutes, AssessmentLevel expected)
    {
        var incident = new IncidentBuilder().On("ledger").WithPriority(Priority.None).Build();

        var a = Assess(Bank(), incident, Start.AddMinutes(minutes));

        Assert.Equal(expected, Clock(a, "ledger").Level);
        Assert.Contains("The incident has no priority (generic sent no priority): each impacted service is assessed on its own clock.", a.Reasons);
    }

    [Fact]
    public void Unmapped_priority_name_is_named_in_the_reasons_with_the_policy_key_that_would_map_it()
    {
        var incident = new IncidentBuilder().From(AliasSource.Jira).On("ledger").WithPriority(Priority.None).Build() with { SourcePriority = "Sev 1" };

        var a = Assess(Bank(), incident, Start);

        Assert.Contains("The incident has no priority (its priority 'Sev 1' is not one the hub knows and policy.priorities.jira does not map it): each impacted service is assessed on its own clock.", a.Reasons);
    }

    [Fact]
    public void Policy_maps_a_custom_priority_name_so_a_sev_1_on_a_tier_1_service_alerts_at_once()
    {
        var catalog = Catalog(Policy.Default with
        {
            Priorities = new Dictionary<AliasSource, IReadOnlyDictionary<string, Priority>> { [AliasSource.Jira] = new Dictionary<string, Priority> { ["Sev 1"] = Priority.P1 } },
        });
        var incident = new IncidentBuilder().From(AliasSource.Jira).On("ledger").WithPriority(Priority.None).Build() with { SourcePriority = "sev 1" };

        var a = Assess(catalog, incident, Start);

        Assert.Equal(AssessmentLevel.Alert, a.Level);
        Assert.Equal((Priority.P1, true), (a.Incident.Priority, a.Incident.Major));
        Assert.Equal("P1 ('sev 1')", a.Incident.PriorityText);
    }

    [Fact]
    public void Policy_major_marker_makes_a_p4_incident_major_and_assessed()
    {
        var catalog = Catalog(Policy.Default with
        {
            MajorMarkers = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Opsgenie] = ["Major-Incident"] },
        });
        var incident = new IncidentBuilder().From(AliasSource.Opsgenie).On("ledger").WithPriority(Priority.P4).Build() with { Markers = ["ledger", "major-incident"] };

        var a = Assess(catalog, incident, Start);

        Assert.True(a.Incident.Major);
        Assert.Equal(AssessmentLevel.Alert, a.Level);
    }

    [Fact]
    public void Policy_never_makes_a_major_incident_less_major()
    {
        var catalog = Catalog(Policy.Default with
        {
            Priorities = new Dictionary<AliasSource, IReadOnlyDictionary<string, Priority>> { [AliasSource.Generic] = new Dictionary<string, Priority> { ["P1"] = Priority.P2 } },
        });
        var incident = new IncidentBuilder().On("ledger").WithPriority(Priority.P1).Build() with { SourcePriority = "P1" };

        var a = Assess(catalog, incident, Start);

        Assert.Equal((Priority.P2, true), (a.Incident.Priority, a.Incident.Major));
    }

    [Fact]
    public void Estimated_restore_beyond_mtpd_invokes_an_auto_invoke_plan_at_once()
    {
        var incident = new IncidentBuilder().On("ledger").WithPriority(Priority.P2).RestoredBy(Start.AddHours(30)).Build();

        var a = Assess(Bank(autoInvoke: true), incident, Start.AddMinutes(5));

        Assert.Equal(AssessmentLevel.Invoke, a.Level);
        Assert.Equal(TimeSpan.FromHours(30), Clock(a, "ledger").Projected);
        Assert.Contains("Core Ledger: projected outage 1 d 6 h exceeds MTPD 8 h; plan dr-ledger allows automatic invocation.", a.Reasons);
        Assert.Equal(["dr-ledger"], a.Plans);
    }

    [Fact]
    public void Without_auto_invoke_the_clock_only_recommends()
    {
        var incident = new IncidentBuilder().On("ledger").WithPriority(Priority.P2).RestoredBy(Start.AddHours(30)).Build();

        var a = Assess(Bank(autoInvoke: false), incident, Start.AddMinutes(5));

        Assert.Equal(AssessmentLevel.RecommendInvocation, a.Level);
        Assert.Contains(a.Reasons, r => r.Contains("plan dr-ledger needs a human decision", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_earlier_than_elapsed_does_not_shorten_the_projection()
    {
        var incident = new IncidentBuilder().On("online").WithPriority(Priority.P2).RestoredBy(Start.AddMinutes(10)).Build();

        var a = Assess(Bank(), incident, Start.AddMinutes(150));

        Assert.Equal(TimeSpan.FromMinutes(150), Clock(a, "online").Projected);
    }

    [Theory]
    [InlineData(IncidentState.Resolved)]
    [InlineData(IncidentState.Closed)]
    public void Resolved_incident_assesses_to_None(IncidentState state)
    {
        var a = Assess(Bank(), new IncidentBuilder().On("ledger").InState(state).Build(), Start.AddDays(3));

        Assert.Equal(AssessmentLevel.None, a.Level);
        Assert.All(a.ImpactedServices, s => Assert.Equal(AssessmentLevel.None, s.Level));
        Assert.Empty(a.Plans);
        Assert.Contains(a.Reasons, r => r.Contains("stands down", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_aliases_are_reported_never_dropped()
    {
        var a = Assess(Bank(), new IncidentBuilder().On("ledger", "mainframe-7").Build(), Start);

        Assert.Equal(["mainframe-7"], a.UnknownAliases);
        Assert.Contains(a.Reasons, r => r.Contains("mainframe-7", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_impacted_is_None()
    {
        var a = Assess(Bank(), new IncidentBuilder().On("nothing-we-know").Build(), Start.AddDays(1));

        Assert.Equal(AssessmentLevel.None, a.Level);
        Assert.Empty(a.ImpactedServices);
    }

    [Theory]
    [InlineData(AliasSource.AzureMonitor, "/subscriptions/s1/resourceGroups/rg-sql/providers/Microsoft.Sql/servers/sql1", true)]
    [InlineData(AliasSource.AzureMonitor, "/SUBSCRIPTIONS/S1/resourcegroups/RG-SQL", true)]
    [InlineData(AliasSource.AzureMonitor, "/subscriptions/s1/resourceGroups/rg-sql-2/providers/x", false)]
    [InlineData(AliasSource.PagerDuty, "psql", true)]
    [InlineData(AliasSource.Opsgenie, "PSQL", false)] // an alias matches from its own source only
    [InlineData(AliasSource.Jira, "SQL", true)] // an id matches from any source
    [InlineData(AliasSource.ServiceNow, "core ledger", true)] // so does a name
    public void Aliases_resolve_case_insensitively_by_source(AliasSource source, string alias, bool matches)
    {
        var a = Assess(Bank(), new IncidentBuilder().From(source).On(alias).Build(), Start);

        Assert.Equal(matches, a.ImpactedServices.Count > 0);
    }

    [Fact]
    public void Plan_of_a_service_is_the_approved_recovery_plan_with_the_longest_recovery()
    {
        var catalog = new CatalogIndex(new CatalogBuilder()
            .WithService("s")
            .WithPlan("b-short", ["s"], recoveryTime: TimeSpan.FromHours(1))
            .WithPlan("c-long", ["s"], recoveryTime: TimeSpan.FromHours(3))
            .WithPlan("a-long", ["s"], type: PlanType.BusinessRecovery, recoveryTime: TimeSpan.FromHours(3))
            .WithPlan("draft", ["s"], status: PlanStatus.Draft, recoveryTime: TimeSpan.FromHours(9))
            .WithPlan("crisis", ["s"], type: PlanType.CrisisManagement, recoveryTime: TimeSpan.FromHours(9))
            .Build());

        var a = Assess(catalog, new IncidentBuilder().On("s").Build(), Start);

        Assert.Equal("a-long", Clock(a, "s").Plan);
    }

    [Fact]
    public void Plans_list_only_services_at_alert_or_above()
    {
        // P2 at +30m: nothing at Alert yet
        var early = Assess(Bank(), new IncidentBuilder().On("ledger").WithPriority(Priority.P2).Build(), Start.AddMinutes(30));
        var late = Assess(Bank(), new IncidentBuilder().On("ledger").WithPriority(Priority.P2).Build(), Start.AddHours(2));

        Assert.Empty(early.Plans);
        Assert.Equal(["dr-ledger"], late.Plans);
    }

    [Fact]
    public void Every_rule_that_fired_is_a_reason_with_its_figures()
    {
        var a = Assess(Bank(), new IncidentBuilder().On("ledger").Build(), Start.AddHours(9));

        Assert.Contains("Core Ledger: projected outage 9 h exceeds MTPD 8 h; plan dr-ledger needs a human decision to invoke.", a.Reasons);
        Assert.Contains("Core Ledger: latest safe invocation time 24 Nov 2026 10:00 UTC (start + RTO 4 h − plan recovery 2 h) has passed; plan dr-ledger needs a human decision to invoke.", a.Reasons);
    }
}

public class InvocationClockAliasPairTests
{
    [Fact]
    public void One_name_of_a_reference_matching_is_enough_and_the_other_is_not_unknown()
    {
        var catalog = new CatalogIndex(new CatalogBuilder().WithService("ledger", name: "Core Ledger").Build());
        var incident = new IncidentBuilder().From(AliasSource.ServiceNow).On("0c43af40sysid", "Core Ledger", "27d3sysid", "Nowhere").Build()
            with { OtherNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["0c43af40sysid"] = "Core Ledger", ["Core Ledger"] = "0c43af40sysid", ["27d3sysid"] = "Nowhere", ["Nowhere"] = "27d3sysid" } };

        var a = InvocationClock.Assess(incident, catalog, IncidentBuilder.Start);

        Assert.Equal(["ledger"], a.ImpactedServices.Select(s => s.Id));
        Assert.Equal(["27d3sysid", "Nowhere"], a.UnknownAliases);
    }

    [Fact]
    public void Azure_Monitor_configuration_item_of_a_matched_resource_is_not_unknown()
    {
        // Arrange: Microsoft's activity log test action names test-VM by its id and, as a configuration item, by its name.
        var catalog = new CatalogIndex(new CatalogBuilder()
            .WithService("vm", tier: 2, aliases: new() { [AliasSource.AzureMonitor] = ["/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/test-RG"] })
            .Build());
        var incident = ContinuityHub.Incidents.Parsing.IncidentParsers.Parse(
            AliasSource.AzureMonitor,
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Incidents", "Parsing", "Samples", "azuremonitor", "activity-log-administrative-test-action.json")));

        // Act
        var a = InvocationClock.Assess(incident, catalog, incident.StartedAt.AddMinutes(1));

        // Assert
        Assert.Equal(["vm"], a.ImpactedServices.Select(s => s.Id));
        Assert.Empty(a.UnknownAliases);
    }
}
