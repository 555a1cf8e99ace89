using System.Globalization;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;

namespace ContinuityHub.Exercises;

/// <summary>One line of an exercise's timeline: when, how long after the start, what kind of thing and what.</summary>
/// <param name="Kind">inject, assessment, alert, escalation, acknowledgement, decision, automation, resolved.</param>
public sealed record TimelineItem(DateTimeOffset At, TimeSpan Offset, string Kind, string Text);

/// <summary>
/// A decision of the exercise against the clock: <see cref="Margin"/> is the latest safe invocation time minus the
/// decision's time (negative when late); <see cref="Late"/> when the decision came after it.
/// </summary>
public sealed record DecisionTiming(string Action, string Plan, string By, DateTimeOffset At, DateTimeOffset? LatestSafeInvocation, TimeSpan? Margin, bool Late);

/// <summary>How long a tier took to acknowledge after it was paged; null when it did not.</summary>
public sealed record TierAcknowledgement(int Tier, DateTimeOffset PagedAt, TimeSpan? AcknowledgedAfter);

/// <summary>
/// The after-action report of one playing of an exercise: what happened when, against the plan's clock, and the
/// result it earns. Built from what the hub stored (incidents, assessments, alerts, automation runs), not from the script.
/// </summary>
public sealed record AfterActionReport(
    string ExerciseId,
    string Plan,
    string PlanTitle,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    ExerciseResult Result,
    TimeSpan? AchievedRecovery,
    TimeSpan Rto,
    TimeSpan Mtpd,
    TimeSpan? TimeToFirstAlert,
    IReadOnlyList<TierAcknowledgement> Acknowledgements,
    IReadOnlyList<DecisionTiming> Decisions,
    IReadOnlyList<TimelineItem> Timeline,
    IReadOnlyList<string> Participants,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> ResultReasons)
{
    /// <summary>The report's folder: <c>exercise-reports/{planId}/{exerciseId}/</c>.</summary>
    public string Folder => $"exercise-reports/{Plan}/{ExerciseId}/";
}

/// <summary>What the hub stored about one incident of an exercise's run.</summary>
/// <param name="Decisions">The decisions taken through the incident's decision links (each token's use).</param>
public sealed record ExerciseIncident(IncidentHistory History, IReadOnlyList<PlanAlert> Alerts, IReadOnlyList<AutomationRun> Runs, IReadOnlyList<ConsumedToken> Decisions);

/// <summary>Builds the <see cref="AfterActionReport"/> of a run from the injects played and what the hub stored of each incident.</summary>
public static class AfterActionReports
{
    private static readonly string[] KindOrder = ["inject", "assessment", "alert", "escalation", "acknowledgement", "decision", "automation", "resolved"];

    public static AfterActionReport Build(
        Exercise exercise,
        ContinuityCatalog catalog,
        DateTimeOffset startedAt,
        DateTimeOffset endedAt,
        IReadOnlyList<InjectOutcome> injects,
        IReadOnlyList<ExerciseIncident> incidents)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(injects);
        ArgumentNullException.ThrowIfNull(incidents);
        var plan = catalog.Plans.FirstOrDefault(p => p.Id == exercise.Plan);
        var planServices = catalog.Services.Where(s => plan?.Services.Contains(s.Id, StringComparer.Ordinal) == true).ToList();
        var timeline = new List<TimelineItem>();
        void Add(DateTimeOffset at, string kind, string text) => timeline.Add(new TimelineItem(at, at - startedAt, kind, text));

        foreach (var inject in injects)
        {
            Add(inject.At, "inject", inject.Text);
        }

        var alerts = incidents.SelectMany(i => i.Alerts.Where(a => a.Plan == exercise.Plan).Select(a => (Alert: a, i.History))).ToList();
        var decisions = new List<DecisionTiming>();
        var acknowledgements = new List<TierAcknowledgement>();
        DateTimeOffset? latestSafe = null;
        var impacted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var incident in incidents)
        {
            var title = incident.History.Incident.Incident.Title;
            foreach (var entry in incident.History.Assessments)
            {
                Add(entry.At, "assessment", $"'{title}' assessed at {entry.Level}");
                foreach (var service in entry.Assessment.ImpactedServices.Where(s => s.Plan == exercise.Plan))
                {
                    impacted.Add(service.Id);
                    if (DateTimeOffset.TryParse(service.LatestSafeInvocation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var safe) && (latestSafe is null || safe < latestSafe))
                    {
                        latestSafe = safe;
                    }
                }
            }

            if (incident.History.Incident.Incident.ResolvedAt is { } resolved)
            {
                Add(resolved, "resolved", $"'{title}' resolved");
            }

            foreach (var run in incident.Runs.Where(r => r.Plan == exercise.Plan))
            {
                Add(run.RequestedAt, "automation", $"Automation {run.Automation} requested");
                foreach (var report in run.Reports)
                {
                    Add(report.At, "automation", $"Automation {run.Automation} reported {report.Status}{(string.IsNullOrWhiteSpace(report.Message) ? string.Empty : ": " + HumanText.Truncate(report.Message, 200))}");
                }
            }
        }

        foreach (var (alert, history) in alerts)
        {
            foreach (var tier in alert.Paged)
            {
                // The level the incident had when the tier was paged, not the alert's level now.
                var level = history.Assessments.LastOrDefault(a => a.At <= tier.At)?.Level ?? alert.Level;
                Add(tier.At, tier.Tier == 0 ? "alert" : "escalation", string.Create(CultureInfo.InvariantCulture, $"Tier {tier.Tier + 1} of {exercise.Plan} paged ({tier.People.Count} {(tier.People.Count == 1 ? "person" : "people")}) at {level}"));
                var acknowledged = alert.AcknowledgedAt is { } ack && ack >= tier.At ? ack - tier.At : (TimeSpan?)null;
                acknowledgements.Add(new TierAcknowledgement(tier.Tier + 1, tier.At, acknowledged));
            }

            // The clock's own invocation, where the plan allows it: no link was used.
            if (alert is { DecidedAt: { } decidedAt, DecidedBy: Notifications.NotificationSettings.AutomaticActor })
            {
                Add(decidedAt, "decision", "Plan invoked by the clock");
                decisions.Add(Timing("Invoke", exercise.Plan, Notifications.NotificationSettings.AutomaticActor, decidedAt, latestSafe));
            }
        }

        foreach (var token in incidents.SelectMany(i => i.Decisions).Where(t => t.Plan == exercise.Plan))
        {
            var (kind, words) = token.Action switch
            {
                DecisionAction.Acknowledge => ("acknowledgement", "Acknowledged"),
                DecisionAction.Invoke => ("decision", "Plan invoked"),
                _ => ("decision", "Stood down"),
            };
            Add(token.UsedAt, kind, $"{words} by {token.UsedBy}");
            decisions.Add(Timing(token.Action.ToString(), exercise.Plan, token.UsedBy, token.UsedAt, latestSafe));
        }

        // At the same moment, in the order one thing causes the next.
        timeline.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : Array.IndexOf(KindOrder, a.Kind).CompareTo(Array.IndexOf(KindOrder, b.Kind)));
        decisions.Sort(static (a, b) => a.At.CompareTo(b.At));

        // A plan invoked (or acknowledged, or stood down) once is so: another incident of the same outage doing it
        // again later is in the timeline, not another decision to time.
        decisions = [.. decisions.GroupBy(d => (d.Action, d.Plan)).Select(g => g.First()).OrderBy(d => d.At)];
        var concerned = planServices.Where(s => impacted.Contains(s.Id)).DefaultIfEmpty().ToList();
        var rto = concerned.Where(s => s is not null).Select(s => s!.Rto).DefaultIfEmpty(planServices.Select(s => s.Rto).DefaultIfEmpty(TimeSpan.Zero).Min()).Min();
        var mtpd = concerned.Where(s => s is not null).Select(s => s!.Mtpd).DefaultIfEmpty(planServices.Select(s => s.Mtpd).DefaultIfEmpty(TimeSpan.Zero).Min()).Min();
        var starts = incidents.Select(i => i.History.Incident.Incident.EarlierOutages.Count > 0 ? i.History.Incident.Incident.EarlierOutages[0].Start : i.History.Incident.Incident.StartedAt).ToList();
        var ends = incidents.Select(i => i.History.Incident.Incident.ResolvedAt).ToList();
        TimeSpan? achieved = starts.Count > 0 && ends.All(e => e is not null) ? ends.Max()!.Value - starts.Min() : null;
        var firstAlert = alerts.SelectMany(a => a.Alert.Paged).Select(p => (DateTimeOffset?)p.At).Min();
        var participants = exercise.Participants.Count > 0
            ? exercise.Participants
            : plan?.CrisisTeam?.Tiers.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        var (result, reasons) = Judge(firstAlert, achieved, rto, mtpd, decisions, latestSafe, exercise.Findings);
        return new AfterActionReport(
            exercise.Id,
            exercise.Plan,
            plan?.Title ?? exercise.Plan,
            startedAt,
            endedAt,
            result,
            achieved,
            rto,
            mtpd,
            firstAlert - startedAt,
            acknowledgements,
            decisions,
            timeline,
            participants,
            exercise.Findings,
            reasons);
    }

    private static DecisionTiming Timing(string action, string plan, string by, DateTimeOffset at, DateTimeOffset? latestSafe)
    {
        var margin = latestSafe - at;
        return new DecisionTiming(action, plan, by, at, latestSafe, margin, margin < TimeSpan.Zero);
    }

    /// <summary>
    /// Failed: the crisis team was never alerted, the outage never ended, or recovery took beyond the MTPD.
    /// PassedWithIssues: an invocation came late or never came while the clock ran out, recovery took beyond the RTO,
    /// or a finding is open. Passed: none of these.
    /// </summary>
    private static (ExerciseResult, IReadOnlyList<string>) Judge(
        DateTimeOffset? firstAlert, TimeSpan? achieved, TimeSpan rto, TimeSpan mtpd, IReadOnlyList<DecisionTiming> decisions, DateTimeOffset? latestSafe, IReadOnlyList<Finding> findings)
    {
        var failed = new List<string>();
        var issues = new List<string>();
        if (firstAlert is null)
        {
            failed.Add("The plan's crisis team was never alerted.");
        }

        if (achieved is not { } recovery)
        {
            failed.Add("The outage never ended: recovery is not achieved.");
        }
        else if (recovery > mtpd)
        {
            failed.Add($"Recovery took {HumanText.Duration(recovery)}, beyond the MTPD of {HumanText.Duration(mtpd)}.");
        }
        else if (recovery > rto)
        {
            issues.Add($"Recovery took {HumanText.Duration(recovery)}, beyond the RTO of {HumanText.Duration(rto)}.");
        }

        var invoke = decisions.FirstOrDefault(d => d.Action == "Invoke");
        if (invoke is { Late: true, Margin: { } margin })
        {
            issues.Add($"The plan was invoked {HumanText.Duration(margin.Duration())} after the latest safe invocation time.");
        }
        else if (invoke is null && latestSafe is { } safe && achieved is { } took && firstAlert is not null && safe < firstAlert.Value + took)
        {
            issues.Add($"Nobody invoked the plan though the latest safe invocation time ({HumanText.Time(safe)}) passed during the outage.");
        }

        if (findings.Any(f => f.Closed is null))
        {
            issues.Add($"{findings.Count(f => f.Closed is null)} finding(s) open.");
        }

        return failed.Count > 0 ? (ExerciseResult.Failed, [.. failed, .. issues])
            : issues.Count > 0 ? (ExerciseResult.PassedWithIssues, issues)
            : (ExerciseResult.Passed, ["Alerted, invoked in time where needed, and recovered within the RTO."]);
    }
}
