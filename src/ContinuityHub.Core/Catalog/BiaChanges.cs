using ContinuityHub.Assessment;

namespace ContinuityHub.Catalog;

/// <summary>What an import's change to the BIA means for a plan (or, for a new service nothing covers, for nobody yet).</summary>
/// <param name="Plan">The plan that must be reviewed; null for a new service no Approved plan covers.</param>
public sealed record BiaConsequence(string? Plan, string Service, string Text);

/// <summary>
/// Plans follow the BIA: compares the stored catalogue with the one about to be imported and says, per plan covering a
/// changed service, what changed and whether the plan still meets it ("RTO of payments tightened from 4 h to 2 h; the
/// plan's recovery takes 3 h: it cannot meet the new RTO"); and names each new service no Approved plan covers.
/// </summary>
public static class BiaChanges
{
    public static IReadOnlyList<BiaConsequence> Compare(ContinuityCatalog stored, ContinuityCatalog incoming)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(incoming);
        var before = stored.Services.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var index = new CatalogIndex(incoming);
        var consequences = new List<BiaConsequence>();
        for (var i = 0; i < incoming.Services.Count; i++)
        {
            var service = incoming.Services[i];
            if (!before.TryGetValue(service.Id, out var old))
            {
                if (stored.Services.Count > 0 && index.PlanOf(i) is null)
                {
                    consequences.Add(new BiaConsequence(null, service.Id, $"new service {service.Id} (tier {service.Tier}): no Approved recovery plan covers it"));
                }

                continue;
            }

            var changes = Changes(old, service);
            if (changes.Count == 0)
            {
                continue;
            }

            foreach (var plan in incoming.Plans.Where(p => p.Status != PlanStatus.Retired && p.Services.Contains(service.Id, StringComparer.Ordinal)))
            {
                var verdict = service.Rto < old.Rto || plan.RecoveryTime > service.Rto
                    ? plan.RecoveryTime > service.Rto
                        ? $"; the plan's recovery takes {HumanText.Duration(plan.RecoveryTime)}: it cannot meet the new RTO"
                        : $"; the plan's recovery ({HumanText.Duration(plan.RecoveryTime)}) still meets it"
                    : string.Empty;
                consequences.Add(new BiaConsequence(plan.Id, service.Id, $"{plan.Id}: review required: {string.Join("; ", changes)}{verdict}"));
            }
        }

        return consequences;
    }

    private static List<string> Changes(BusinessService old, BusinessService now)
    {
        var changes = new List<string>();
        if (old.Tier != now.Tier)
        {
            changes.Add($"tier of {now.Id} {(now.Tier < old.Tier ? "raised" : "lowered")} from {old.Tier} to {now.Tier}");
        }

        Duration(changes, "RTO", now.Id, old.Rto, now.Rto);
        Duration(changes, "RPO", now.Id, old.Rpo, now.Rpo);
        Duration(changes, "MTPD", now.Id, old.Mtpd, now.Mtpd);
        var added = now.DependsOn.Except(old.DependsOn, StringComparer.Ordinal).ToList();
        var removed = old.DependsOn.Except(now.DependsOn, StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            changes.Add($"{now.Id} now depends on {string.Join(", ", added)}");
        }

        if (removed.Count > 0)
        {
            changes.Add($"{now.Id} no longer depends on {string.Join(", ", removed)}");
        }

        return changes;
    }

    private static void Duration(List<string> changes, string name, string service, TimeSpan old, TimeSpan now)
    {
        if (old != now)
        {
            changes.Add($"{name} of {service} {(now < old ? "tightened" : "relaxed")} from {HumanText.Duration(old)} to {HumanText.Duration(now)}");
        }
    }
}
