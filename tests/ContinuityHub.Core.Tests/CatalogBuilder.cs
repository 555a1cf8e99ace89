using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests;

/// <summary>Catalogues for tests: sensible defaults, so a test shows only what matters to it.</summary>
internal sealed class CatalogBuilder
{
    private readonly List<BusinessService> _services = [];
    private readonly List<ContinuityPlan> _plans = [];
    private readonly List<Exercise> _exercises = [];
    private Policy _policy = Policy.Default;

    public CatalogBuilder WithPolicy(Policy policy)
    {
        _policy = policy;
        return this;
    }

    public CatalogBuilder WithService(
        string id,
        int tier = 1,
        TimeSpan? rto = null,
        TimeSpan? mtpd = null,
        string[]? dependsOn = null,
        Dictionary<AliasSource, IReadOnlyList<string>>? aliases = null,
        string? name = null,
        DateOnly? biaReviewed = null,
        bool neverReviewed = false,
        string? owner = null,
        TimeSpan? rpo = null,
        HeartbeatDeclaration[]? heartbeats = null)
    {
        _services.Add(new BusinessService(
            id,
            name ?? id,
            tier,
            rto ?? TimeSpan.FromHours(4),
            rpo ?? TimeSpan.FromMinutes(15),
            mtpd ?? TimeSpan.FromHours(8),
            owner ?? "owner@contoso.com",
            dependsOn ?? [],
            aliases ?? [],
            neverReviewed ? null : biaReviewed ?? new DateOnly(2026, 1, 1))
        {
            Heartbeats = heartbeats ?? [],
        });
        return this;
    }

    public CatalogBuilder WithPlan(
        string id,
        string[] services,
        PlanType type = PlanType.DisasterRecovery,
        PlanStatus status = PlanStatus.Approved,
        TimeSpan? recoveryTime = null,
        bool autoInvoke = false,
        string version = "1.0",
        PlanDocument[]? documents = null,
        DateOnly? nextReview = null,
        bool noNextReview = false,
        string? title = null,
        string? owner = null)
    {
        _plans.Add(new ContinuityPlan(
            id,
            title ?? $"Plan {id}",
            type,
            version,
            status,
            owner ?? "owner@contoso.com",
            services,
            recoveryTime ?? TimeSpan.FromHours(1),
            autoInvoke,
            new DateOnly(2026, 1, 1),
            noNextReview ? null : nextReview ?? new DateOnly(2027, 1, 1),
            new CrisisTeam("team", "19:channel@thread.tacv2", TimeSpan.FromMinutes(15), [["a@contoso.com"], ["b@contoso.com"]]),
            documents ?? []));
        return this;
    }

    public CatalogBuilder WithExercise(
        string id,
        string plan,
        DateOnly? scheduled = null,
        DateOnly? completed = null,
        ExerciseResult? result = null,
        TimeSpan? achieved = null,
        Finding[]? findings = null,
        ExerciseType type = ExerciseType.Simulation)
    {
        _exercises.Add(new Exercise(
            id,
            plan,
            type,
            scheduled ?? new DateOnly(2026, 4, 1),
            completed,
            result,
            achieved,
            findings ?? [new Finding($"{id}-f1", "A finding", "owner@contoso.com", new DateOnly(2026, 6, 1), null)]));
        return this;
    }

    public ContinuityCatalog Build() => new(_policy, [.. _services], [.. _plans], [.. _exercises]);
}
