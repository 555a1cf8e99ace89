using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Tests;

/// <summary>Catalogues for tests: sensible defaults, so a test states only what matters to it.</summary>
internal sealed class CatalogBuilder
{
    private readonly List<BusinessService> _services = [];
    private readonly List<ContinuityPlan> _plans = [];
    private readonly List<Exercise> _exercises = [];
    private readonly List<MaintenanceWindow> _maintenance = [];
    private Policy _policy = Policy.Default;

    /// <summary>
    /// A small but complete catalogue: three services (one depending on two others, aliases from several sources
    /// including an Azure resource id; one with heartbeats), two plans (one with a crisis team, documents and automations),
    /// two exercises (one done, with findings; one scheduled), two maintenance windows (one-off and weekly) and a
    /// non-default policy (its calendar in Stockholm).
    /// </summary>
    public static CatalogBuilder Sample() =>
        new CatalogBuilder()
            .WithPolicy(new Policy(0.75, [Priority.P1, Priority.P2, Priority.P3], TimeSpan.FromMinutes(2), TimeSpan.FromDays(180)) { RpoWarnFraction = 0.7, PostIncidentReviewDue = TimeSpan.FromDays(10), Calendar = new BusinessCalendar("Europe/Stockholm") })
            .WithService("payments", s => s with
            {
                Name = "Card payments",
                Tier = 1,
                DependsOn = ["payments-db", "identity"],
                Aliases = new Dictionary<AliasSource, IReadOnlyList<string>>
                {
                    [AliasSource.ServiceNow] = ["Payments Gateway", "CI0012345"],
                    [AliasSource.PagerDuty] = ["PXYZ123"],
                    [AliasSource.AzureMonitor] = ["/subscriptions/0000/resourceGroups/RG-Pay/providers/Microsoft.Web/sites/pay-api/"],
                },
            })
            .WithService("payments-db", s => s with
            {
                Name = "Payments database",
                Tier = 1,
                Rto = TimeSpan.FromHours(1),
                Rpo = TimeSpan.FromMinutes(5),
                Heartbeats =
                [
                    new HeartbeatDeclaration("log-backup", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)),
                    new HeartbeatDeclaration("dc2-replica", TimeSpan.FromMinutes(2), TimeSpan.Zero),
                ],
            })
            .WithService("identity", s => s with { Name = "Identity", Tier = 2, BiaReviewed = null })
            .WithPlan("dr-payments", p => p with
            {
                Title = "Payments disaster recovery",
                Services = ["payments", "payments-db"],
                AutoInvoke = true,
                CrisisTeam = new CrisisTeam(
                    "team-1",
                    "19:channel@thread.tacv2",
                    TimeSpan.FromMinutes(15),
                    [["alice@contoso.example"], ["bob@contoso.example", "carol@contoso.example"]]),
                Documents = [new PlanDocument("docs/dr-payments.pdf", new string('a', 64)), new PlanDocument("docs/runbook.md", null)],
                Automations =
                [
                    new PlanAutomation("failover-payments", AutomationTrigger.Invoke, AutomationKind.Webhook, "https://automation.contoso.example/webhooks/failover", null, null, "automation-failover", TimeSpan.FromMinutes(45)),
                    new PlanAutomation("notify-ops", AutomationTrigger.StandDown, AutomationKind.ServiceBus, null, null, "continuity-automations", null, PlanAutomation.DefaultTimeout),
                ],
            })
            .WithPlan("cm-main", p => p with { Title = "Crisis management", Type = PlanType.CrisisManagement, Status = PlanStatus.Draft, Services = ["identity"] })
            .WithExercise("ex-2025-q1", "dr-payments", e => e with
            {
                Type = ExerciseType.Full,
                Completed = new DateOnly(2025, 3, 14),
                Result = ExerciseResult.PassedWithIssues,
                AchievedRecovery = TimeSpan.FromMinutes(150),
                Findings =
                [
                    new Finding("f1", "Runbook step 4 names the old database", "bob@contoso.example", new DateOnly(2025, 4, 30), new DateOnly(2025, 4, 2)),
                    new Finding("f2", "Failover DNS TTL too long", "carol@contoso.example", new DateOnly(2025, 5, 31), null),
                ],
            })
            .WithExercise("ex-2025-q3", "cm-main")
            .WithMaintenance("mw-payments-db-patching", m => m with { Services = ["payments-db", "payments"] })
            .WithMaintenance("mw-identity-weekly", m => m with
            {
                Services = ["identity"],
                Start = null,
                End = null,
                Weekly = new WeeklyWindow([DayOfWeek.Saturday, DayOfWeek.Sunday], new TimeOnly(23, 30), new TimeOnly(1, 0), "Europe/London"),
            });

    public static BusinessService Service(string id) =>
        new(
            Id: id,
            Name: $"Service {id}",
            Tier: 2,
            Rto: TimeSpan.FromHours(4),
            Rpo: TimeSpan.FromHours(1),
            Mtpd: TimeSpan.FromHours(24),
            Owner: "owner@contoso.example",
            DependsOn: [],
            Aliases: new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Generic] = [id] },
            BiaReviewed: new DateOnly(2025, 1, 15));

    public static ContinuityPlan Plan(string id) =>
        new(
            Id: id,
            Title: $"Plan {id}",
            Type: PlanType.DisasterRecovery,
            Version: "1.0",
            Status: PlanStatus.Approved,
            Owner: "continuity@contoso.example",
            Services: [],
            RecoveryTime: TimeSpan.FromHours(2),
            AutoInvoke: false,
            LastReviewed: new DateOnly(2025, 2, 1),
            NextReview: new DateOnly(2026, 2, 1),
            CrisisTeam: null,
            Documents: []);

    public static Exercise Exercise(string id, string plan) =>
        new(
            Id: id,
            Plan: plan,
            Type: ExerciseType.Walkthrough,
            Scheduled: new DateOnly(2025, 9, 15),
            Completed: null,
            Result: null,
            AchievedRecovery: null,
            Findings: []);

    /// <summary>A one-off window of two hours on the given Sunday morning, Stockholm winter time.</summary>
    public static MaintenanceWindow Maintenance(string id) =>
        new(
            Id: id,
            Services: [],
            Start: new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.FromHours(1)),
            End: new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.FromHours(1)),
            Weekly: null,
            Reason: "Monthly patching",
            ApprovedBy: "cab@contoso.example");

    public CatalogBuilder WithPolicy(Policy policy)
    {
        _policy = policy;
        return this;
    }

    public CatalogBuilder WithService(string id, Func<BusinessService, BusinessService>? configure = null)
    {
        _services.Add(configure is null ? Service(id) : configure(Service(id)));
        return this;
    }

    public CatalogBuilder WithPlan(string id, Func<ContinuityPlan, ContinuityPlan>? configure = null)
    {
        _plans.Add(configure is null ? Plan(id) : configure(Plan(id)));
        return this;
    }

    public CatalogBuilder WithExercise(string id, string plan, Func<Exercise, Exercise>? configure = null)
    {
        _exercises.Add(configure is null ? Exercise(id, plan) : configure(Exercise(id, plan)));
        return this;
    }

    public CatalogBuilder WithMaintenance(string id, Func<MaintenanceWindow, MaintenanceWindow>? configure = null)
    {
        _maintenance.Add(configure is null ? Maintenance(id) : configure(Maintenance(id)));
        return this;
    }

    public CatalogBuilder WithoutMaintenance(string id)
    {
        _maintenance.RemoveAll(m => m.Id == id);
        return this;
    }

    /// <summary>Changes the maintenance window already added under <paramref name="id"/>.</summary>
    public CatalogBuilder ChangeMaintenance(string id, Func<MaintenanceWindow, MaintenanceWindow> change)
    {
        var index = _maintenance.FindIndex(m => m.Id == id);
        _maintenance[index] = change(_maintenance[index]);
        return this;
    }

    public CatalogBuilder WithoutService(string id)
    {
        _services.RemoveAll(s => s.Id == id);
        return this;
    }

    public CatalogBuilder WithoutPlan(string id)
    {
        _plans.RemoveAll(p => p.Id == id);
        return this;
    }

    public CatalogBuilder WithoutExercise(string id)
    {
        _exercises.RemoveAll(e => e.Id == id);
        return this;
    }

    /// <summary>Changes the service already added under <paramref name="id"/>.</summary>
    public CatalogBuilder ChangeService(string id, Func<BusinessService, BusinessService> change)
    {
        var index = _services.FindIndex(s => s.Id == id);
        _services[index] = change(_services[index]);
        return this;
    }

    /// <summary>Changes the plan already added under <paramref name="id"/>.</summary>
    public CatalogBuilder ChangePlan(string id, Func<ContinuityPlan, ContinuityPlan> change)
    {
        var index = _plans.FindIndex(p => p.Id == id);
        _plans[index] = change(_plans[index]);
        return this;
    }

    /// <summary>Changes the exercise already added under <paramref name="id"/>.</summary>
    public CatalogBuilder ChangeExercise(string id, Func<Exercise, Exercise> change)
    {
        var index = _exercises.FindIndex(e => e.Id == id);
        _exercises[index] = change(_exercises[index]);
        return this;
    }

    public ContinuityCatalog Build() => new(_policy, [.. _services], [.. _plans], [.. _exercises]) { Maintenance = [.. _maintenance] };
}
