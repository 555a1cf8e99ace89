using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Tests;

/// <summary>
/// Field-by-field equality of catalogues. The records hold lists, which records compare by reference, so each
/// record is compared with its lists set aside (replaced by one shared instance) and then the lists element by element.
/// </summary>
internal static class CatalogAssert
{
    private static readonly IReadOnlyList<string> _noStrings = [];
    private static readonly IReadOnlyDictionary<AliasSource, IReadOnlyList<string>> _noAliases = new Dictionary<AliasSource, IReadOnlyList<string>>();
    private static readonly IReadOnlyList<Priority> _noPriorities = [];
    private static readonly IReadOnlyList<HeartbeatDeclaration> _noHeartbeats = [];
    private static readonly IReadOnlyList<PlanDocument> _noDocuments = [];
    private static readonly IReadOnlyList<PlanAutomation> _noAutomations = [];
    private static readonly IReadOnlyList<IReadOnlyList<string>> _noTiers = [];
    private static readonly IReadOnlyList<Finding> _noFindings = [];
    private static readonly IReadOnlyList<DayOfWeek> _noDays = [];
    private static readonly IReadOnlyList<ExerciseInject> _noInjects = [];
    private static readonly IReadOnlyList<ScriptedDecision> _noDecisions = [];

    public static void Equal(ContinuityCatalog expected, ContinuityCatalog actual)
    {
        Assert.Equal(expected.Policy with { AssessPriorities = _noPriorities }, actual.Policy with { AssessPriorities = _noPriorities });
        Assert.Equal(expected.Policy.AssessPriorities, actual.Policy.AssessPriorities);

        Assert.Equal(expected.Services.Select(s => s.Id), actual.Services.Select(s => s.Id));
        foreach (var (e, a) in expected.Services.Zip(actual.Services))
        {
            Equal(e, a);
        }

        Assert.Equal(expected.Plans.Select(p => p.Id), actual.Plans.Select(p => p.Id));
        foreach (var (e, a) in expected.Plans.Zip(actual.Plans))
        {
            Equal(e, a);
        }

        Assert.Equal(expected.Exercises.Select(x => (x.Plan, x.Id)), actual.Exercises.Select(x => (x.Plan, x.Id)));
        foreach (var (e, a) in expected.Exercises.Zip(actual.Exercises))
        {
            Assert.Equal(
                e with { Findings = _noFindings, Scenario = _noInjects, Decisions = _noDecisions, Participants = _noStrings },
                a with { Findings = _noFindings, Scenario = _noInjects, Decisions = _noDecisions, Participants = _noStrings });
            Assert.Equal(e.Findings, a.Findings);
            Assert.Equal(e.Scenario, a.Scenario);
            Assert.Equal(e.Decisions, a.Decisions);
            Assert.Equal(e.Participants, a.Participants);
        }

        Assert.Equal(expected.Maintenance.Select(m => m.Id), actual.Maintenance.Select(m => m.Id));
        foreach (var (e, a) in expected.Maintenance.Zip(actual.Maintenance))
        {
            Equal(e, a);
        }
    }

    /// <summary>Equal times with the same offsets too: a window's wall clock is part of what it says.</summary>
    public static void Equal(MaintenanceWindow expected, MaintenanceWindow actual)
    {
        Assert.Equal(expected with { Services = _noStrings, Weekly = null }, actual with { Services = _noStrings, Weekly = null });
        Assert.Equal(expected.Start?.Offset, actual.Start?.Offset);
        Assert.Equal(expected.End?.Offset, actual.End?.Offset);
        Assert.Equal(expected.Services, actual.Services);
        if (expected.Weekly is null)
        {
            Assert.Null(actual.Weekly);
            return;
        }

        Assert.NotNull(actual.Weekly);
        Assert.Equal(expected.Weekly with { Days = _noDays }, actual.Weekly with { Days = _noDays });
        Assert.Equal(expected.Weekly.Days, actual.Weekly.Days);
    }

    public static void Equal(BusinessService expected, BusinessService actual)
    {
        Assert.Equal(
            expected with { DependsOn = _noStrings, Aliases = _noAliases, Heartbeats = _noHeartbeats },
            actual with { DependsOn = _noStrings, Aliases = _noAliases, Heartbeats = _noHeartbeats });
        Assert.Equal(expected.DependsOn, actual.DependsOn);
        Assert.Equal(expected.Heartbeats, actual.Heartbeats);
        Assert.Equal(expected.Aliases.Keys.Order(), actual.Aliases.Keys.Order());
        foreach (var (source, aliases) in expected.Aliases)
        {
            Assert.Equal(aliases, actual.Aliases[source]);
        }
    }

    public static void Equal(ContinuityPlan expected, ContinuityPlan actual)
    {
        Assert.Equal(
            expected with { Services = _noStrings, CrisisTeam = null, Documents = _noDocuments, Automations = _noAutomations },
            actual with { Services = _noStrings, CrisisTeam = null, Documents = _noDocuments, Automations = _noAutomations });
        Assert.Equal(expected.Services, actual.Services);
        Assert.Equal(expected.Documents, actual.Documents);
        Assert.Equal(expected.Automations, actual.Automations);
        if (expected.CrisisTeam is null)
        {
            Assert.Null(actual.CrisisTeam);
            return;
        }

        Assert.NotNull(actual.CrisisTeam);
        Assert.Equal(expected.CrisisTeam with { Tiers = _noTiers }, actual.CrisisTeam with { Tiers = _noTiers });
        Assert.Equal(expected.CrisisTeam.Tiers.Count, actual.CrisisTeam.Tiers.Count);
        foreach (var (e, a) in expected.CrisisTeam.Tiers.Zip(actual.CrisisTeam.Tiers))
        {
            Assert.Equal(e, a);
        }
    }
}
