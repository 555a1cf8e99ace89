using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>The standing checks of a valid catalogue: warnings a continuity manager must hear, each by its path.</summary>
public class CatalogChecksTests
{
    [Fact]
    public void A_plan_whose_recovery_exceeds_a_covered_services_rto_cannot_meet_it()
    {
        var catalog = new CatalogBuilder()
            .WithService("payments", name: "Payments", tier: 1, rto: TimeSpan.FromHours(2))
            .WithPlan("dr-payments", ["payments"], recoveryTime: TimeSpan.FromHours(3))
            .Build();

        var warning = Assert.Single(CatalogChecks.Warnings(catalog));

        Assert.Equal("plans[0].recoveryTime", warning.Path);
        Assert.Equal("the plan's recovery takes 3 h, beyond the RTO of 2 h of Payments (payments): it cannot meet it", warning.Message);
    }

    [Fact]
    public void A_tier_1_or_2_service_without_an_approved_plan_and_a_dependency_no_plan_covers_are_named_once()
    {
        var catalog = new CatalogBuilder()
            .WithService("network", tier: 3)
            .WithService("ledger", tier: 2, dependsOn: ["network"])
            .WithService("cards", tier: 1, dependsOn: ["network"])
            .WithService("intranet", tier: 4)
            .WithPlan("dr-ledger", ["ledger"])
            .WithPlan("dr-cards", ["cards"])
            .WithPlan("dr-cards-draft", ["cards"], status: PlanStatus.Draft)
            .Build();

        var warnings = CatalogChecks.Warnings(catalog);

        Assert.Equal(
            [("services[0]", "no Approved recovery plan covers network, yet 3 plan(s) cover services that depend on it: dr-ledger, dr-cards, dr-cards-draft (for ledger, cards)")],
            warnings.Select(w => (w.Path, w.Message)));
        var uncovered = new CatalogBuilder().WithService("cards", tier: 1).WithPlan("dr-cards", ["cards"], status: PlanStatus.Draft).Build();
        Assert.Equal([("services[0]", "cards is tier 1 and no Approved recovery plan covers it")], CatalogChecks.Warnings(uncovered).Select(w => (w.Path, w.Message)));
    }
}
