using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using CsCheck;

namespace ContinuityHub.Core.Tests.Assessment;

public class InvocationClockPropertyTests
{
    private static readonly DateTimeOffset Start = IncidentBuilder.Start;

    /// <summary>Random acyclic catalogues: service i may depend on any service before it; random plans over them.</summary>
    private static readonly Gen<CatalogIndex> Catalogs =
        from n in Gen.Int[1, 12]
        from services in Gen.Select(
            Gen.Int[1, 4],
            Gen.Int[1, 48],
            Gen.Int[0, 48],
            Gen.Int[0, 3].Array[0, 3]).Array[n]
        from plans in Gen.Select(Gen.Int[0, 11].Array[1, 3], Gen.Int[0, 8], Gen.Bool, Gen.Int[0, 3]).Array[0, 4]
        from fraction in Gen.Int[1, 10]
        select Build(services, plans, fraction / 10.0);

    private static readonly Gen<(Priority Priority, bool Major, int? EtaHours)> Incidents =
        Gen.Select(Gen.Int[1, 5], Gen.Bool, Gen.Int[-1, 72]).Select(x => ((Priority)x.Item1, x.Item2, x.Item3 < 0 ? (int?)null : x.Item3));

    [Fact]
    public void Level_never_falls_as_time_passes_for_an_open_incident()
    {
        Gen.Select(Catalogs, Incidents, Gen.Int[0, 11].Array[1, 4], Gen.Int[-120, 4000], Gen.Int[0, 4000])
            .Sample((catalog, shape, hit, t1, dt) =>
            {
                var incident = Incident(catalog, shape, hit);
                var earlier = InvocationClock.Assess(incident, catalog, Start.AddMinutes(t1)).Level;
                var later = InvocationClock.Assess(incident, catalog, Start.AddMinutes(t1 + dt)).Level;
                return later >= earlier;
            });
    }

    [Fact]
    public void Adding_an_impacted_service_never_lowers_the_level()
    {
        Gen.Select(Catalogs, Incidents, Gen.Int[0, 11].Array[0, 3], Gen.Int[0, 11], Gen.Int[-120, 4000])
            .Sample((catalog, shape, hit, extra, t) =>
            {
                var at = Start.AddMinutes(t);
                var before = InvocationClock.Assess(Incident(catalog, shape, hit), catalog, at).Level;
                var after = InvocationClock.Assess(Incident(catalog, shape, [.. hit, extra]), catalog, at).Level;
                return after >= before;
            });
    }

    private static Incident Incident(CatalogIndex catalog, (Priority Priority, bool Major, int? EtaHours) shape, int[] hit) => new(
        "generic~x",
        AliasSource.Generic,
        "x",
        "t",
        shape.Priority,
        shape.Major,
        IncidentState.Open,
        Start,
        shape.EtaHours is { } h ? Start.AddHours(h) : null,
        hit.Select(i => $"s{i % catalog.Services.Count}").ToArray(),
        null);

    private static CatalogIndex Build((int Tier, int Rto, int Extra, int[] Deps)[] services, (int[] Covers, int Recovery, bool Auto, int Type)[] plans, double fraction)
    {
        var list = services.Select((s, i) => new BusinessService(
            $"s{i}",
            $"Service {i}",
            s.Tier,
            TimeSpan.FromHours(s.Rto),
            TimeSpan.FromMinutes(5),
            TimeSpan.FromHours(s.Rto + s.Extra),
            string.Empty,
            i == 0 ? [] : s.Deps.Select(d => $"s{d % i}").Distinct().ToArray(),
            new Dictionary<AliasSource, IReadOnlyList<string>>(),
            null)).ToList();
        var planList = plans.Select((p, i) => new ContinuityPlan(
            $"p{i}",
            $"Plan {i}",
            (PlanType)p.Type,
            "1",
            PlanStatus.Approved,
            string.Empty,
            p.Covers.Select(c => $"s{c % list.Count}").Distinct().ToArray(),
            TimeSpan.FromHours(p.Recovery),
            p.Auto,
            null,
            new DateOnly(2027, 1, 1),
            null,
            [])).ToList();
        var policy = Policy.Default with { AlertFraction = fraction };
        return new CatalogIndex(new ContinuityCatalog(policy, list, planList, []));
    }
}
