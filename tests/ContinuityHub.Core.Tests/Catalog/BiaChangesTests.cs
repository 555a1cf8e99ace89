using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>Plans follow the BIA: what an import's change to a service means for the plans that cover it.</summary>
public class BiaChangesTests
{
    private static ContinuityCatalog Catalog(TimeSpan rto, int tier = 1, string[]? dependsOn = null, bool extra = false)
    {
        var builder = new CatalogBuilder()
            .WithService("payments", tier: tier, rto: rto, dependsOn: dependsOn)
            .WithService("swift")
            .WithPlan("dr-payments", ["payments", "swift"], recoveryTime: TimeSpan.FromHours(3));
        return (extra ? builder.WithService("fx", tier: 2) : builder).Build();
    }

    [Fact]
    public void A_tightened_rto_the_plan_cannot_meet_marks_it_for_review_with_the_reason()
    {
        var consequences = BiaChanges.Compare(Catalog(TimeSpan.FromHours(4)), Catalog(TimeSpan.FromHours(2)));

        var consequence = Assert.Single(consequences);
        Assert.Equal(("dr-payments", "payments"), (consequence.Plan, consequence.Service));
        Assert.Equal("dr-payments: review required: RTO of payments tightened from 4 h to 2 h; the plan's recovery takes 3 h: it cannot meet the new RTO", consequence.Text);
    }

    [Fact]
    public void A_tier_or_dependency_change_still_met_says_so_and_an_unchanged_file_says_nothing()
    {
        var before = Catalog(TimeSpan.FromHours(6));

        Assert.Equal(
            ["dr-payments: review required: tier of payments lowered from 1 to 2; payments now depends on swift"],
            BiaChanges.Compare(before, Catalog(TimeSpan.FromHours(6), tier: 2, dependsOn: ["swift"])).Select(c => c.Text));
        Assert.Equal(
            ["dr-payments: review required: RTO of payments tightened from 6 h to 4 h; the plan's recovery (3 h) still meets it"],
            BiaChanges.Compare(before, Catalog(TimeSpan.FromHours(4))).Select(c => c.Text));
        Assert.Empty(BiaChanges.Compare(before, before));
        Assert.Equal(["new service fx (tier 2): no Approved recovery plan covers it"], BiaChanges.Compare(before, Catalog(TimeSpan.FromHours(6), extra: true)).Select(c => c.Text));
        Assert.Empty(BiaChanges.Compare(ContinuityCatalog.Empty, before));
    }
}
