using System.Globalization;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Outbox;

namespace ContinuityHub.Catalog;

/// <summary>
/// The rules of what playing an exercise needs: injects in time order within a week, from sources the hub reads, each
/// payload one the source's parser accepts, at most one resolve and that one last, the whole small enough to store;
/// scripted decisions on known plans by a person; participants named once each.
/// </summary>
public static partial class CatalogValidator
{
    /// <summary>The longest an exercise's scenario or scripted decisions may run from its start.</summary>
    public static readonly TimeSpan MaxExerciseOffset = TimeSpan.FromDays(7);

    public const int MaxInjects = 100;

    public const int MaxDecisions = 100;

    public const int MaxParticipants = 500;

    private static void ValidatePlay(Exercise e, string path, HashSet<string> planIds, Action<string, string> problem)
    {
        ValidateScenario(e.Scenario, path, problem);

        if (e.Decisions.Count > MaxDecisions)
        {
            problem($"{path}.decisions", string.Create(CultureInfo.InvariantCulture, $"{e.Decisions.Count} decisions; an exercise scripts at most {MaxDecisions}"));
        }

        for (var d = 0; d < e.Decisions.Count; d++)
        {
            var decision = e.Decisions[d];
            var at = $"{path}.decisions[{d}]";
            CheckOffset(decision.At, $"{at}.at", problem);
            if (!Enum.IsDefined(decision.Action))
            {
                problem($"{at}.action", $"unknown decision action (expected one of {CatalogNames.Expected<DecisionAction>()})");
            }

            if (!planIds.Contains(decision.Plan))
            {
                problem($"{at}.plan", $"unknown plan '{decision.Plan}'");
            }

            if (string.IsNullOrWhiteSpace(decision.By))
            {
                problem($"{at}.by", "is required: the person the decision is made as");
            }
            else if (!UpnPattern().IsMatch(decision.By))
            {
                problem($"{at}.by", $"'{decision.By}' is not a user principal name (name@domain)");
            }
        }

        if (e.Participants.Count > MaxParticipants)
        {
            problem($"{path}.participants", string.Create(CultureInfo.InvariantCulture, $"{e.Participants.Count} people; an exercise names at most {MaxParticipants}"));
        }

        var first = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var p = 0; p < e.Participants.Count; p++)
        {
            var upn = e.Participants[p];
            if (!UpnPattern().IsMatch(upn))
            {
                problem($"{path}.participants[{p}]", $"'{upn}' is not a user principal name (name@domain)");
            }
            else if (!first.TryAdd(upn, p))
            {
                problem($"{path}.participants[{p}]", $"'{upn}' is listed twice (also participants[{first[upn]}])");
            }
        }
    }

    private static void ValidateScenario(IReadOnlyList<ExerciseInject> scenario, string exercisePath, Action<string, string> problem)
    {
        if (scenario.Count > MaxInjects)
        {
            problem($"{exercisePath}.scenario", string.Create(CultureInfo.InvariantCulture, $"{scenario.Count} injects; a scenario holds at most {MaxInjects}"));
            return;
        }

        for (var j = 0; j < scenario.Count; j++)
        {
            var inject = scenario[j];
            var path = $"{exercisePath}.scenario[{j}]";
            if (CheckOffset(inject.At, $"{path}.at", problem) && j > 0 && inject.At < scenario[j - 1].At)
            {
                problem($"{path}.at", $"{Durations.Format(inject.At)} is before the previous inject's {Durations.Format(scenario[j - 1].At)}");
            }

            if (inject.Resolve)
            {
                if (j < scenario.Count - 1)
                {
                    problem($"{path}.resolve", "only the last inject may resolve: it ends the scenario's outage");
                }

                if (inject.Source is not null || inject.Payload is not null || inject.Sample is not null)
                {
                    problem(path, "a resolve inject has no source, sample or payload");
                }

                continue;
            }

            CheckInjectPayload(inject, path, problem);
        }

        var stored = ScenarioJson.Write(scenario).Length;
        if (stored > ScenarioJson.MaxChars)
        {
            problem($"{exercisePath}.scenario", string.Create(
                CultureInfo.InvariantCulture,
                $"the injects are too large to store ({stored} characters as JSON; at most {ScenarioJson.MaxChars}): use smaller samples or fewer injects"));
        }
    }

    /// <summary>A source the hub reads from a tool, and a payload (once there is one: a sample's is read after the file) its parser takes.</summary>
    private static void CheckInjectPayload(ExerciseInject inject, string path, Action<string, string> problem)
    {
        if (inject.Source is not { } source)
        {
            problem($"{path}.source", $"is required (one of {string.Join(", ", CatalogNames.ToolSourceNames)})");
            return;
        }

        if (!IsInjectable(source))
        {
            problem($"{path}.source", $"{CatalogNames.Name(source)} is the hub's own RPO report, not a tool a scenario injects from (expected one of {string.Join(", ", CatalogNames.ToolSourceNames)})");
            return;
        }

        if (inject.Payload is null)
        {
            if (inject.Sample is null)
            {
                problem(path, "needs a sample (a file) or a payload (inline)");
            }

            return;
        }

        try
        {
            IncidentParsers.Parse(source, inject.Payload);
        }
        catch (HubValidationException e)
        {
            var what = inject.Sample is null ? $"{path}.payload" : $"{path}.sample";
            var subject = inject.Sample ?? "it";
            var reasons = string.Join("; ", e.Problems.Select(p => p.Path is "" or "body" ? p.Message : p.ToString()));
            problem(what, $"the {CatalogNames.Name(source)} parser refuses {subject}: {reasons}");
        }
    }

    /// <summary>The sources a scenario may inject from: every tool whose webhook the hub reads, not its own heartbeat reports.</summary>
    public static bool IsInjectable(AliasSource source) => Enum.IsDefined(source) && source != AliasSource.Heartbeat;

    private static bool CheckOffset(TimeSpan at, string path, Action<string, string> problem)
    {
        if (at < TimeSpan.Zero)
        {
            problem(path, "must not be negative");
            return false;
        }

        if (at > MaxExerciseOffset)
        {
            problem(path, $"{Durations.Format(at)} is beyond the {Durations.Format(MaxExerciseOffset)} an exercise may run");
            return false;
        }

        return true;
    }
}
