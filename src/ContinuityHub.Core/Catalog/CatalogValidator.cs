using System.Globalization;
using System.Text.RegularExpressions;

namespace ContinuityHub.Catalog;

/// <summary>The rules a catalogue must keep, across fields and items; each broken rule is one problem with its path.</summary>
public static partial class CatalogValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(ContinuityCatalog catalog, CatalogLayout? layout = null)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string path, string message) => problems.Add(new ValidationProblem(path, message));

        string S(int i) => $"services[{(layout is null ? i : layout.Services[i])}]";
        string P(int i) => $"plans[{(layout is null ? i : layout.Plans[i])}]";
        string E(int i) => $"exercises[{(layout is null ? i : layout.Exercises[i])}]";

        ValidatePolicy(catalog.Policy, Problem);

        var serviceIds = KnownIds(catalog.Services.Select(s => s.Id), layout?.OtherServiceIds);
        var planIds = KnownIds(catalog.Plans.Select(p => p.Id), layout?.OtherPlanIds);

        // Services
        var firstService = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var aliasOwners = new Dictionary<(AliasSource, string), string>();
        for (var i = 0; i < catalog.Services.Count; i++)
        {
            var s = catalog.Services[i];
            var path = S(i);
            CheckId(s.Id, $"{path}.id", firstService, i, S, Problem);
            if (s.Tier is < 1 or > 4)
            {
                Problem($"{path}.tier", $"{s.Tier} is outside 1–4 (1 = vital business function)");
            }

            CheckPositive(s.Rto, $"{path}.rto", Problem);
            CheckPositive(s.Rpo, $"{path}.rpo", Problem);
            CheckPositive(s.Mtpd, $"{path}.mtpd", Problem);
            if (s.Rto > s.Mtpd && s.Mtpd > TimeSpan.Zero)
            {
                Problem($"{path}.rto", $"{Durations.Format(s.Rto)} exceeds mtpd {Durations.Format(s.Mtpd)}");
            }

            for (var d = 0; d < s.DependsOn.Count; d++)
            {
                var dep = s.DependsOn[d];
                if (string.Equals(dep, s.Id, StringComparison.Ordinal))
                {
                    Problem($"{path}.dependsOn[{d}]", "a service cannot depend on itself");
                }
                else if (!serviceIds.Contains(dep))
                {
                    Problem($"{path}.dependsOn[{d}]", $"unknown service '{dep}'");
                }
            }

            foreach (var (source, aliases) in s.Aliases)
            {
                for (var a = 0; a < aliases.Count; a++)
                {
                    var aliasPath = $"{path}.aliases.{CatalogNames.Name(source)}[{a}]";
                    if (string.IsNullOrWhiteSpace(aliases[a]))
                    {
                        Problem(aliasPath, "must not be empty");
                        continue;
                    }

                    var key = (source, CatalogNames.NormalizeAlias(source, aliases[a]));
                    if (aliasOwners.TryGetValue(key, out var owner))
                    {
                        if (!string.Equals(owner, s.Id, StringComparison.Ordinal))
                        {
                            Problem(aliasPath, $"alias '{aliases[a]}' already belongs to service {owner}");
                        }
                    }
                    else
                    {
                        aliasOwners[key] = s.Id;
                    }
                }
            }

            ValidateHeartbeats(s, path, Problem);
        }

        foreach (var (index, cycle) in FindCycles(catalog.Services))
        {
            Problem($"{S(index)}.dependsOn", $"dependency cycle {string.Join(" -> ", cycle)}");
        }

        // Plans
        var firstPlan = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < catalog.Plans.Count; i++)
        {
            var p = catalog.Plans[i];
            var path = P(i);
            CheckId(p.Id, $"{path}.id", firstPlan, i, P, Problem);
            if (p.Version.IndexOfAny(['/', '\\', '?', '#']) >= 0 || p.Version is "." or "..")
            {
                Problem($"{path}.version", $"'{p.Version}' cannot name a folder: no '/', '\\', '?' or '#'");
            }

            for (var j = 0; j < p.Services.Count; j++)
            {
                if (!serviceIds.Contains(p.Services[j]))
                {
                    Problem($"{path}.services[{j}]", $"unknown service '{p.Services[j]}'");
                }
            }

            if (p.RecoveryTime < TimeSpan.Zero)
            {
                Problem($"{path}.recoveryTime", "must not be negative");
            }
            else
            {
                CheckAtMost(p.RecoveryTime, $"{path}.recoveryTime", Problem);
            }

            if (p is { LastReviewed: { } last, NextReview: { } next } && next < last)
            {
                Problem($"{path}.nextReview", $"{Date(next)} is before lastReviewed {Date(last)}");
            }

            if (p.Status == PlanStatus.Approved && p.NextReview is null)
            {
                Problem($"{path}.nextReview", "is required for an Approved plan");
            }

            if (p.CrisisTeam is { } team)
            {
                CheckPositive(team.EscalationDelay, $"{path}.crisisTeam.escalationDelay", Problem);
                if (team.Tiers.Count == 0)
                {
                    Problem($"{path}.crisisTeam.tiers", "must list at least one tier of people");
                }

                for (var t = 0; t < team.Tiers.Count; t++)
                {
                    if (team.Tiers[t].Count == 0)
                    {
                        Problem($"{path}.crisisTeam.tiers[{t}]", "must name at least one person");
                    }

                    for (var u = 0; u < team.Tiers[t].Count; u++)
                    {
                        if (!UpnPattern().IsMatch(team.Tiers[t][u]))
                        {
                            Problem($"{path}.crisisTeam.tiers[{t}][{u}]", $"'{team.Tiers[t][u]}' is not a user principal name (name@domain)");
                        }
                    }
                }
            }

            var fileNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var d = 0; d < p.Documents.Count; d++)
            {
                var doc = p.Documents[d];
                if (doc.FileName.Length == 0)
                {
                    Problem($"{path}.documents[{d}].path", "must name a file");
                }
                else if (!fileNames.TryAdd(doc.FileName, d))
                {
                    Problem($"{path}.documents[{d}].path", $"file name '{doc.FileName}' is already used by documents[{fileNames[doc.FileName]}] of this plan");
                }
            }

            ValidateAutomations(p.Automations, path, layout, Problem);
        }

        // Exercises
        var firstExercise = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < catalog.Exercises.Count; i++)
        {
            var e = catalog.Exercises[i];
            var path = E(i);
            CheckId(e.Id, $"{path}.id", firstExercise, i, E, Problem);
            if (!planIds.Contains(e.Plan))
            {
                Problem($"{path}.plan", $"unknown plan '{e.Plan}'");
            }

            if (e.Completed is null && e.Result is not null)
            {
                Problem($"{path}.result", "is given but the exercise has no completed date");
            }

            if (e.Completed is not null && e.Result is null)
            {
                Problem($"{path}.result", $"is required for a completed exercise (one of {CatalogNames.Expected<ExerciseResult>()})");
            }

            if (e.AchievedRecovery is { } achieved)
            {
                if (e.Completed is null)
                {
                    Problem($"{path}.achievedRecovery", "is given but the exercise has no completed date");
                }
                else if (achieved < TimeSpan.Zero)
                {
                    Problem($"{path}.achievedRecovery", "must not be negative");
                }
            }

            var findingIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var f = 0; f < e.Findings.Count; f++)
            {
                if (!findingIds.Add(e.Findings[f].Id))
                {
                    Problem($"{path}.findings[{f}].id", $"duplicate finding id '{e.Findings[f].Id}'");
                }
            }

            ValidatePlay(e, path, planIds, Problem);
        }

        ValidateMaintenance(catalog.Maintenance, catalog.Policy.Calendar, serviceIds, layout, Problem);
        return problems;
    }

    private static void ValidatePolicy(Policy policy, Action<string, string> problem)
    {
        if (!(policy.AlertFraction > 0 && policy.AlertFraction <= 1))
        {
            problem("policy.alertFraction", $"{policy.AlertFraction.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most 1");
        }

        if (!(policy.RpoWarnFraction > 0 && policy.RpoWarnFraction < 1))
        {
            problem("policy.rpoWarnFraction", $"{policy.RpoWarnFraction.ToString(CultureInfo.InvariantCulture)} must be above 0 and below 1");
        }

        ValidateCalendar(policy.Calendar, problem);
        CheckPositive(policy.ReassessEvery, "policy.reassessEvery", problem);
        CheckPositive(policy.BiaReviewInterval, "policy.biaReviewInterval", problem);
        CheckPositive(policy.PostIncidentReviewDue, "policy.postIncidentReviewDue", problem);
        if (policy.AssessPriorities.Distinct().Count() != policy.AssessPriorities.Count)
        {
            problem("policy.assessPriorities", "lists a priority twice");
        }

        foreach (var (field, value) in policy.ServiceNowFields)
        {
            var path = $"policy.serviceNowFields.{field}";
            if (field == ServiceNowWorkNotes)
            {
                problem(path, "is the work note the hub writes itself; name the other fields to set beside it");
            }
            else if (!ServiceNowFieldPattern().IsMatch(field))
            {
                problem(path, $"'{field}' is not a ServiceNow field name (lower-case letters, digits and '_', starting with a letter, at most 80 characters)");
            }

            if (value.Length > MaxServiceNowValue)
            {
                problem(path, string.Create(CultureInfo.InvariantCulture, $"is {value.Length} characters long (at most {MaxServiceNowValue})"));
            }
        }
    }

    /// <summary>The ServiceNow field the write-back's note goes in: never a policy field.</summary>
    private const string ServiceNowWorkNotes = "work_notes";

    private const int MaxServiceNowValue = 1000;

    private static HashSet<string> KnownIds(IEnumerable<string> ids, HashSet<string>? others)
    {
        var set = new HashSet<string>(ids, StringComparer.Ordinal);
        if (others is not null)
        {
            set.UnionWith(others);
        }

        return set;
    }

    private static void CheckId(string id, string path, Dictionary<string, int> first, int index, Func<int, string> pathOf, Action<string, string> problem)
    {
        if (!IdPattern().IsMatch(id))
        {
            problem(path, $"'{id}' is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters)");
        }

        if (!first.TryAdd(id, index))
        {
            problem(path, $"duplicate id '{id}' (also {pathOf(first[id])})");
        }
    }

    /// <summary>
    /// The longest duration the catalogue may give: the hub adds these to incident times (up to the year 8999,
    /// <see cref="Incidents.IncidentTimes"/>), and a century is already far beyond any RTO, MTPD or review cycle.
    /// </summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromDays(36_525);

    private static void CheckPositive(TimeSpan value, string path, Action<string, string> problem)
    {
        if (value <= TimeSpan.Zero)
        {
            problem(path, "must be positive");
        }
        else
        {
            CheckAtMost(value, path, problem);
        }
    }

    private static void CheckAtMost(TimeSpan value, string path, Action<string, string> problem)
    {
        if (value > MaxDuration)
        {
            problem(path, $"{Durations.Format(value)} is longer than the 100 years the hub counts with");
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Each dependsOn cycle once, as the index of the service it is reported on and the ids around it.</summary>
    internal static IEnumerable<(int Index, IReadOnlyList<string> Cycle)> FindCycles(IReadOnlyList<BusinessService> services)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            index.TryAdd(services[i].Id, i);
        }

        var state = new int[services.Count]; // 0 new, 1 on stack, 2 done
        var stack = new List<int>();
        var cycles = new List<(int, IReadOnlyList<string>)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Visit(int v)
        {
            state[v] = 1;
            stack.Add(v);
            foreach (var dep in services[v].DependsOn)
            {
                if (!index.TryGetValue(dep, out var w) || w == v)
                {
                    continue;
                }

                if (state[w] == 1)
                {
                    var members = stack.Skip(stack.IndexOf(w)).ToList();
                    var first = members.Min();
                    var start = members.IndexOf(first);
                    var rotated = members.Skip(start).Concat(members.Take(start)).Select(m => services[m].Id).ToList();
                    rotated.Add(services[first].Id);
                    if (seen.Add(string.Join("\n", rotated)))
                    {
                        cycles.Add((first, rotated));
                    }
                }
                else if (state[w] == 0)
                {
                    Visit(w);
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[v] = 2;
        }

        for (var i = 0; i < services.Count; i++)
        {
            if (state[i] == 0)
            {
                Visit(i);
            }
        }

        return cycles.OrderBy(c => c.Item1);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,79}\z")]
    private static partial Regex ServiceNowFieldPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex UpnPattern();
}
