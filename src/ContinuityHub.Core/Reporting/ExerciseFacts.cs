using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

/// <summary>
/// The exercise programme as of a report date, indexed by plan id: what counts as done (completed on or before the
/// report date), each plan's last completed exercise and its last one that measured a recovery time.
/// </summary>
internal sealed class ExerciseFacts
{
    private readonly Dictionary<string, ContinuityPlan> _plans;
    private readonly Dictionary<string, Exercise> _lastCompleted;
    private readonly Dictionary<string, Exercise> _lastMeasured;
    private readonly IReadOnlyList<Exercise> _exercises;

    public ExerciseFacts(ContinuityCatalog catalog, DateOnly reportDate)
    {
        ReportDate = reportDate;
        _exercises = catalog.Exercises;
        _plans = new Dictionary<string, ContinuityPlan>(catalog.Plans.Count, StringComparer.Ordinal);
        foreach (var plan in catalog.Plans)
        {
            _plans.TryAdd(plan.Id, plan);
        }

        _lastCompleted = new Dictionary<string, Exercise>(catalog.Plans.Count, StringComparer.Ordinal);
        _lastMeasured = new Dictionary<string, Exercise>(catalog.Plans.Count, StringComparer.Ordinal);
        foreach (var exercise in catalog.Exercises)
        {
            if (!IsCompleted(exercise))
            {
                continue;
            }

            Keep(_lastCompleted, exercise);
            if (exercise.AchievedRecovery is not null)
            {
                Keep(_lastMeasured, exercise);
            }
        }
    }

    public DateOnly ReportDate { get; }

    /// <summary>Completed on or before the report date: a completion dated later has not happened yet as of the report.</summary>
    public bool IsCompleted(Exercise exercise) => exercise.Completed is { } completed && completed <= ReportDate;

    public bool IsClosed(Finding finding) => finding.Closed is { } closed && closed <= ReportDate;

    public bool IsRetired(string planId) => _plans.TryGetValue(planId, out var plan) && plan.Status == PlanStatus.Retired;

    public Exercise? LastCompleted(string planId) => _lastCompleted.GetValueOrDefault(planId);

    public Exercise? LastMeasured(string planId) => _lastMeasured.GetValueOrDefault(planId);

    /// <summary>Exercises not completed, of plans not Retired, scheduled up to <paramref name="until"/> (overdue ones included), by date then id.</summary>
    public List<Exercise> Pending(DateOnly until)
    {
        var pending = new List<Exercise>();
        foreach (var exercise in _exercises)
        {
            if (!IsCompleted(exercise) && exercise.Scheduled <= until && !IsRetired(exercise.Plan))
            {
                pending.Add(exercise);
            }
        }

        pending.Sort(static (a, b) => a.Scheduled != b.Scheduled ? a.Scheduled.CompareTo(b.Scheduled) : string.CompareOrdinal(a.Id, b.Id));
        return pending;
    }

    private static void Keep(Dictionary<string, Exercise> last, Exercise candidate)
    {
        if (!last.TryGetValue(candidate.Plan, out var current) || IsLater(candidate, current))
        {
            last[candidate.Plan] = candidate;
        }
    }

    // The later completion wins; on the same day the later scheduled one, then the greater id, so the choice is stable.
    private static bool IsLater(Exercise candidate, Exercise current)
    {
        var byCompleted = candidate.Completed!.Value.CompareTo(current.Completed!.Value);
        if (byCompleted != 0)
        {
            return byCompleted > 0;
        }

        var byScheduled = candidate.Scheduled.CompareTo(current.Scheduled);
        return byScheduled != 0 ? byScheduled > 0 : string.CompareOrdinal(candidate.Id, current.Id) > 0;
    }
}
