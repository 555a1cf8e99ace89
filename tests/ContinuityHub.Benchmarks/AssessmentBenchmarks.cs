using BenchmarkDotNet.Attributes;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Benchmarks;

/// <summary>
/// Assessing one incident against a 1,000-service catalogue with 5,000 dependency edges (issue 3's target: under
/// 50 µs and under 20 KB allocated per assessment). Two shapes: a platform service down (its business services with
/// it) and an infrastructure service down (a wide blast radius through two layers).
/// </summary>
[MemoryDiagnoser]
public class AssessmentBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private CatalogIndex _catalog = null!;
    private Incident _platformDown = null!;
    private Incident _infrastructureDown = null!;

    [GlobalSetup]
    public void Setup()
    {
        _catalog = new CatalogIndex(SyntheticCatalog.Build());
        _platformDown = Incident("P000250", AliasSource.PagerDuty);
        _infrastructureDown = Incident("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-42/providers/Microsoft.Sql/servers/sql-42", AliasSource.AzureMonitor);
    }

    [Benchmark(Baseline = true)]
    public IncidentAssessment PlatformServiceDown() => InvocationClock.Assess(_platformDown, _catalog, Start.AddHours(3));

    [Benchmark]
    public IncidentAssessment InfrastructureServiceDown() => InvocationClock.Assess(_infrastructureDown, _catalog, Start.AddHours(3));

    private static Incident Incident(string alias, AliasSource source) => new(
        IncidentKey.Create(source, "bench"),
        source,
        "bench",
        "Benchmark incident",
        Priority.P1,
        true,
        IncidentState.Open,
        Start,
        null,
        [alias, "unknown-ci"],
        null);
}
