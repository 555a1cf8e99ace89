using ContinuityHub.Catalog;

namespace ContinuityHub.Testing;

/// <summary>
/// The smallest catalogue a crisis team is alerted from: online banking (tier 1, RTO 4 h, MTPD 12 h) recovered by
/// plan <see cref="Plan"/> (3 h), whose crisis team has three roster tiers, 15 minutes apart. A P1 major incident on
/// it that started five minutes ago is at Alert; 60 minutes in, past the latest safe invocation, at RecommendInvocation.
/// </summary>
public static class CrisisTeamCatalog
{
    public const string Team = "6f1c1a2e-0000-4000-8000-000000000001";
    public const string Channel = "19:crisis0001@thread.tacv2";
    public const string Plan = "dr-online";
    public const string Service = "online-banking";

    public static IReadOnlyList<string> Tier1 { get; } = ["james.whitfield@contoso.example", "sofia.rossi@contoso.example"];

    public static IReadOnlyList<string> Tier2 { get; } = ["cio@contoso.example"];

    public static IReadOnlyList<string> Tier3 { get; } = ["coo@contoso.example"];

    /// <param name="planTitle">The plan's title (tests put markup in it to see it escaped).</param>
    public static ContinuityCatalog Create(string planTitle = "Online banking disaster recovery") =>
        new(
            Policy.Default,
            [
                new BusinessService(
                    Service,
                    "Online and Mobile Banking",
                    1,
                    TimeSpan.FromHours(4),
                    TimeSpan.FromMinutes(15),
                    TimeSpan.FromHours(12),
                    "james.whitfield@contoso.example",
                    [],
                    new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Generic] = [Service] },
                    new DateOnly(2026, 8, 25)),
            ],
            [
                new ContinuityPlan(
                    Plan,
                    planTitle,
                    PlanType.DisasterRecovery,
                    "3.3",
                    PlanStatus.Approved,
                    "james.whitfield@contoso.example",
                    [Service],
                    TimeSpan.FromHours(3),
                    false,
                    new DateOnly(2026, 8, 25),
                    new DateOnly(2027, 2, 25),
                    new CrisisTeam(Team, Channel, TimeSpan.FromMinutes(15), [Tier1, Tier2, Tier3]),
                    [new PlanDocument("documents/dr-online-runbook.md", null)]),
            ],
            []);
}
