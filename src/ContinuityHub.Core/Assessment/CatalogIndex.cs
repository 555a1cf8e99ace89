using ContinuityHub.Catalog;

namespace ContinuityHub.Assessment;

/// <summary>
/// A catalogue made ready for assessment: alias lookups, who depends on whom, and each service's plan. Built once per
/// catalogue and shared; assessing against it allocates little.
/// </summary>
public sealed class CatalogIndex
{
    private readonly Dictionary<string, int> _byIdOrName;
    private readonly Dictionary<string, int>[] _bySource;
    private readonly int[][] _dependents;
    private readonly int[] _plan;

    public CatalogIndex(ContinuityCatalog catalog)
    {
        Catalog = catalog;
        var services = catalog.Services;
        Services = services;
        _byIdOrName = new Dictionary<string, int>(services.Count * 2, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < services.Count; i++)
        {
            _byIdOrName.TryAdd(services[i].Id.Trim(), i);
        }

        for (var i = 0; i < services.Count; i++)
        {
            _byIdOrName.TryAdd(services[i].Name.Trim(), i);
        }

        var sources = Enum.GetValues<AliasSource>();
        _bySource = new Dictionary<string, int>[sources.Length];
        foreach (var source in sources)
        {
            _bySource[(int)source] = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        var index = new Dictionary<string, int>(services.Count, StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            index.TryAdd(services[i].Id, i);
            foreach (var (source, aliases) in services[i].Aliases)
            {
                foreach (var alias in aliases)
                {
                    _bySource[(int)source].TryAdd(CatalogNames.NormalizeAlias(source, alias), i);
                }
            }
        }

        var dependents = new List<int>[services.Count];
        for (var i = 0; i < services.Count; i++)
        {
            foreach (var dep in services[i].DependsOn)
            {
                if (index.TryGetValue(dep, out var d) && d != i)
                {
                    (dependents[d] ??= []).Add(i);
                }
            }
        }

        _dependents = dependents.Select(l => l is null ? [] : l.Distinct().ToArray()).ToArray();

        _plan = new int[services.Count];
        Array.Fill(_plan, -1);
        for (var p = 0; p < catalog.Plans.Count; p++)
        {
            var plan = catalog.Plans[p];
            if (plan.Status != PlanStatus.Approved || plan.Type is not (PlanType.DisasterRecovery or PlanType.BusinessRecovery))
            {
                continue;
            }

            foreach (var id in plan.Services)
            {
                if (index.TryGetValue(id, out var s) && IsBetter(plan, _plan[s]))
                {
                    _plan[s] = p;
                }
            }
        }
    }

    public ContinuityCatalog Catalog { get; }

    public IReadOnlyList<BusinessService> Services { get; }

    public Policy Policy => Catalog.Policy;

    /// <summary>The plan that recovers service <paramref name="service"/>, or null.</summary>
    public ContinuityPlan? PlanOf(int service) => _plan[service] < 0 ? null : Catalog.Plans[_plan[service]];

    public IReadOnlyList<int> DependentsOf(int service) => _dependents[service];

    /// <summary>
    /// The service an alias from <paramref name="source"/> names, or -1. Ids and names match from any source; aliases
    /// only from their own; an Azure Monitor alias is a resource-id prefix and matches every resource under it.
    /// </summary>
    public int Resolve(AliasSource source, string alias)
    {
        var trimmed = alias.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return -1;
        }

        if (_byIdOrName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(trimmed, out var byName))
        {
            return byName;
        }

        var normalized = CatalogNames.NormalizeAlias(source, alias);
        var table = _bySource[(int)source];
        if (table.TryGetValue(normalized, out var found))
        {
            return found;
        }

        if (source != AliasSource.AzureMonitor)
        {
            return -1;
        }

        var lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = normalized.AsSpan();
        for (var cut = span.LastIndexOf('/'); cut > 0; cut = span.LastIndexOf('/'))
        {
            span = span[..cut];
            if (lookup.TryGetValue(span, out found))
            {
                return found;
            }
        }

        return -1;
    }

    private bool IsBetter(ContinuityPlan candidate, int current)
    {
        if (current < 0)
        {
            return true;
        }

        var best = Catalog.Plans[current];
        return candidate.RecoveryTime > best.RecoveryTime
            || (candidate.RecoveryTime == best.RecoveryTime && string.CompareOrdinal(candidate.Id, best.Id) < 0);
    }
}
