using ContinuityHub.Catalog;

namespace ContinuityHub.Benchmarks;

/// <summary>
/// A large, realistic-shaped catalogue: 100 infrastructure services, 400 platform services each depending on 5 of
/// them, 500 business services each depending on 6 platform services — 1,000 services and 5,000 dependency edges —
/// with a DR plan for every platform service and a BR plan for every fifth business service.
/// </summary>
internal static class SyntheticCatalog
{
    public static ContinuityCatalog Build()
    {
        var random = new Random(22301);
        var services = new List<BusinessService>(1000);
        for (var i = 0; i < 1000; i++)
        {
            var (layer, deps, from, span) = i switch
            {
                < 100 => ("infra", 0, 0, 0),
                < 500 => ("platform", 5, 0, 100),
                _ => ("business", 6, 100, 400),
            };
            var dependsOn = new HashSet<string>();
            while (dependsOn.Count < deps)
            {
                dependsOn.Add($"svc-{from + random.Next(span)}");
            }

            services.Add(new BusinessService(
                $"svc-{i}",
                $"{layer} service {i}",
                1 + (i % 4),
                TimeSpan.FromHours(2 + (i % 6)),
                TimeSpan.FromMinutes(15),
                TimeSpan.FromHours(12 + (i % 12)),
                "owner@contoso.com",
                [.. dependsOn],
                new Dictionary<AliasSource, IReadOnlyList<string>>
                {
                    [AliasSource.PagerDuty] = [$"P{i:D6}"],
                    [AliasSource.AzureMonitor] = [$"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-{i}"],
                },
                new DateOnly(2026, 1, 1)));
        }

        var plans = new List<ContinuityPlan>();
        for (var i = 100; i < 1000; i += i < 500 ? 1 : 5)
        {
            plans.Add(new ContinuityPlan(
                $"plan-{i}",
                $"Plan {i}",
                i < 500 ? PlanType.DisasterRecovery : PlanType.BusinessRecovery,
                "1",
                PlanStatus.Approved,
                "owner@contoso.com",
                [$"svc-{i}"],
                TimeSpan.FromHours(1),
                i % 2 == 0,
                new DateOnly(2026, 1, 1),
                new DateOnly(2027, 1, 1),
                null,
                []));
        }

        return new ContinuityCatalog(Policy.Default, services, plans, []);
    }
}
