using ContinuityHub.Assessment;
using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Assessment;

/// <summary>An incident on a service under maintenance is assessed but capped at Monitor; after the window, the cap lifts.</summary>
public class MaintenanceCapTests
{
    private static readonly DateTimeOffset Start = IncidentBuilder.Start;

    private static CatalogIndex Catalog() => new(new CatalogBuilder()
        .WithService("sql", rto: TimeSpan.FromHours(1), name: "SQL platform")
        .WithService("ledger", dependsOn: ["sql"], name: "Core Ledger")
        .WithPlan("dr-sql", ["sql"])
        .WithPlan("dr-ledger", ["ledger"])
        .Build() with
    {
        Maintenance = [new MaintenanceWindow("mw-sql-patching", ["sql"], Start.AddMinutes(-30), Start.AddHours(2), null, "Monthly patching", "cab@contoso.com")],
    });

    [Fact]
    public void During_the_window_the_service_and_those_impacted_through_it_are_capped_at_monitor_with_the_window_named()
    {
        var a = InvocationClock.Assess(new IncidentBuilder().On("sql").WithPriority(Priority.P1, major: true).Build(), Catalog(), Start.AddMinutes(50));

        Assert.Equal(AssessmentLevel.Monitor, a.Level);
        Assert.Empty(a.Plans);
        Assert.Contains(a.Reasons, r => r.StartsWith("SQL platform: maintenance window mw-sql-patching (Monthly patching; approved by cab@contoso.com) until", StringComparison.Ordinal));
        Assert.Contains(a.Reasons, r => r.StartsWith("Core Ledger: maintenance window mw-sql-patching on SQL platform", StringComparison.Ordinal));
    }

    [Fact]
    public void After_the_window_the_cap_lifts_and_the_clock_counts_from_the_real_start()
    {
        var a = InvocationClock.Assess(new IncidentBuilder().On("sql").WithPriority(Priority.P1, major: true).Build(), Catalog(), Start.AddHours(2));

        Assert.True(a.Level >= AssessmentLevel.RecommendInvocation, a.Level.ToString());
        Assert.Contains(a.Reasons, r => r.Contains("SQL platform: the incident began during maintenance window mw-sql-patching", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromHours(2), a.ImpactedServices.Single(s => s.Id == "sql").Elapsed);
    }

    [Fact]
    public void A_dependents_own_incident_during_its_dependencys_window_is_not_capped()
    {
        var a = InvocationClock.Assess(new IncidentBuilder().On("ledger").WithPriority(Priority.P1, major: true).Build(), Catalog(), Start.AddMinutes(10));

        Assert.Equal(AssessmentLevel.Alert, a.Level);
        Assert.DoesNotContain(a.Reasons, r => r.Contains("maintenance", StringComparison.Ordinal));
    }
}
