using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Core.Tests.Assessment;

/// <summary>A heartbeat's incident is assessed on its service's RPO: the exposure since the last recovery point.</summary>
public class RpoClockTests
{
    private static readonly DateTimeOffset RecoveryPoint = new(2026, 11, 24, 2, 10, 0, TimeSpan.Zero);

    private static CatalogIndex Catalog(double? warn = null) => new(new CatalogBuilder()
        .WithPolicy(Policy.Default with { RpoWarnFraction = warn ?? Policy.DefaultRpoWarnFraction })
        .WithService("ledger-db", rpo: TimeSpan.FromHours(24), name: "Ledger Database")
        .WithService("core-ledger", dependsOn: ["ledger-db"], name: "Core Ledger")
        .WithPlan("dr-ledger", ["ledger-db"])
        .Build());

    private static Incident Heartbeat(IncidentState state = IncidentState.Open) =>
        new(IncidentKey.Create(AliasSource.Heartbeat, "ledger-db~nightly-backup"), AliasSource.Heartbeat, "ledger-db~nightly-backup", "RPO at risk", Priority.P2, false, state, RecoveryPoint, null, ["ledger-db"], null);

    [Fact]
    public void Below_the_warning_share_of_the_rpo_the_service_is_only_monitored()
    {
        var a = InvocationClock.Assess(Heartbeat(), Catalog(), RecoveryPoint.AddHours(19));

        Assert.Equal(AssessmentLevel.Monitor, a.Level);
        Assert.Contains(a.Reasons, r => r.Contains("last recovery point 19 h ago, within 80% of RPO 1 d", StringComparison.Ordinal));
    }

    [Fact]
    public void At_the_warning_share_the_rpo_is_at_risk_and_the_plans_crisis_team_is_alerted()
    {
        var a = InvocationClock.Assess(Heartbeat(), Catalog(warn: 0.75), RecoveryPoint.AddHours(19));

        Assert.Equal(AssessmentLevel.Alert, a.Level);
        Assert.Equal(["dr-ledger"], a.Plans);
        Assert.Contains("Ledger Database: RPO at risk: last recovery point 19 h ago, RPO 1 d; breached at 25 Nov 2026 02:10 UTC.", a.Reasons);
        Assert.Equal(RecoveryPoint.AddHours(24), a.ImpactedServices.Single(s => s.Id == "ledger-db").LatestSafeInvocation);
    }

    [Fact]
    public void Past_the_rpo_the_reasons_say_which_changes_are_at_risk_and_dependents_are_marked_at_risk()
    {
        var a = InvocationClock.Assess(Heartbeat(), Catalog(), RecoveryPoint.AddHours(25));

        Assert.Equal(AssessmentLevel.RecommendInvocation, a.Level);
        Assert.Contains("Ledger Database: RPO breached: last recovery point 1 d 1 h ago, RPO 1 d; changes since 24 Nov 2026 02:10 UTC are at risk.", a.Reasons);
        var dependent = a.ImpactedServices.Single(s => s.Id == "core-ledger");
        Assert.Equal((AssessmentLevel.Monitor, "ledger-db"), (dependent.Level, dependent.Via));
        Assert.Contains(a.Reasons, r => r.StartsWith("Core Ledger: at risk: it depends on Ledger Database, whose RPO is breached", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resolved_heartbeat_incident_is_nothing_to_invoke()
    {
        Assert.Equal(AssessmentLevel.None, InvocationClock.Assess(Heartbeat(IncidentState.Resolved), Catalog(), RecoveryPoint.AddHours(25)).Level);
    }
}
