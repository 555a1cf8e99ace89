using ContinuityHub.Assessment;

namespace ContinuityHub.Catalog;

/// <summary>
/// Standing checks of a valid catalogue: what it allows but a continuity manager must hear about. Warnings, not
/// errors: `hub catalog validate` and `hub catalog import` print them and go on. A plan whose own recovery takes longer
/// than a service it covers may be down (it cannot meet that RTO); a tier-1 or tier-2 service no Approved recovery plan
/// covers; a plan covering a service that depends on a service no plan covers.
/// </summary>
public static class CatalogChecks
{
    public static IReadOnlyList<ValidationProblem> Warnings(ContinuityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var warnings = new List<ValidationProblem>();
        var index = new CatalogIndex(catalog);
        var services = catalog.Services.Select((s, i) => (s, i)).ToDictionary(x => x.s.Id, x => x.i, StringComparer.Ordinal);
        var uncovered = new Dictionary<int, List<(string Plan, string Service)>>();
        for (var p = 0; p < catalog.Plans.Count; p++)
        {
            var plan = catalog.Plans[p];
            if (plan.Status == PlanStatus.Retired)
            {
                continue;
            }

            foreach (var id in plan.Services)
            {
                if (!services.TryGetValue(id, out var s))
                {
                    continue;
                }

                var service = catalog.Services[s];
                if (plan.RecoveryTime > service.Rto)
                {
                    warnings.Add(new ValidationProblem(
                        $"plans[{p}].recoveryTime",
                        $"the plan's recovery takes {HumanText.Duration(plan.RecoveryTime)}, beyond the RTO of {HumanText.Duration(service.Rto)} of {service.Name} ({service.Id}): it cannot meet it"));
                }

                foreach (var dependency in service.DependsOn)
                {
                    if (services.TryGetValue(dependency, out var d) && index.PlanOf(d) is null)
                    {
                        (uncovered.TryGetValue(d, out var list) ? list : uncovered[d] = []).Add((plan.Id, service.Id));
                    }
                }
            }
        }

        // One line per dependency no plan covers, naming the plans that rely on it.
        foreach (var (d, dependents) in uncovered.OrderBy(u => u.Key))
        {
            var plans = dependents.Select(x => x.Plan).Distinct(StringComparer.Ordinal).ToList();
            var covered = dependents.Select(x => x.Service).Distinct(StringComparer.Ordinal).ToList();
            warnings.Add(new ValidationProblem(
                $"services[{d}]",
                $"no Approved recovery plan covers {catalog.Services[d].Id}, yet {plans.Count} plan(s) cover services that depend on it: {string.Join(", ", plans)} (for {string.Join(", ", covered)})"));
        }

        for (var s = 0; s < catalog.Services.Count; s++)
        {
            var service = catalog.Services[s];
            if (service.Tier <= 2 && index.PlanOf(s) is null)
            {
                warnings.Add(new ValidationProblem($"services[{s}]", $"{service.Id} is tier {service.Tier} and no Approved recovery plan covers it"));
            }
        }

        return warnings;
    }
}
