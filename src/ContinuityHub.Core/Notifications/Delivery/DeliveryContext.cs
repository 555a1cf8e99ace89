using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>One outbox entry being delivered: the incident as stored, the catalogue's plans and policy, and what the steps did.</summary>
internal sealed class DeliveryContext(EntryWork work, StoredIncident stored, IReadOnlyDictionary<string, ContinuityPlan> plans, Policy policy)
{
    public EntryWork Work { get; } = work;

    public OutboxEntry Entry => Work.Entry;

    public StoredIncident Stored { get; } = stored;

    public Incident Incident => Stored.Incident;

    public IReadOnlyDictionary<string, ContinuityPlan> Plans { get; } = plans;

    /// <summary>The catalogue's policy as the entry is delivered: the ServiceNow fields the write-back sets, among others.</summary>
    public Policy Policy { get; } = policy;

    /// <summary>War rooms opened during this entry, per plan, for the alert change written when it finishes.</summary>
    public Dictionary<string, string?> WarRooms { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The level the entry means for one plan: the highest of the plan's own services in the incident's assessment,
    /// never above the entry's (a later entry tells of a later rise). A plan with no service assessed takes the
    /// entry's level. So a crisis team hears of what happens to its own services, not of another plan's clock.
    /// </summary>
    public AssessmentLevel LevelFor(string planId)
    {
        var own = Stored.LatestAssessment?.ImpactedServices
            .Where(s => s.Plan == planId)
            .Select(s => Enum.TryParse<AssessmentLevel>(s.Level, out var level) ? level : AssessmentLevel.None)
            .DefaultIfEmpty(Entry.Level)
            .Max() ?? Entry.Level;
        return own < Entry.Level ? own : Entry.Level;
    }

    /// <summary>
    /// The plan and its crisis team, or null when the plan has none (or is no longer in the catalogue). An exercise's
    /// incident reaches its own plan only, and of its team the participants only (<see cref="ExerciseMark.Within"/>).
    /// </summary>
    public (ContinuityPlan Plan, CrisisTeam Team)? CrisisTeamOf(string planId)
    {
        if (!Plans.TryGetValue(planId, out var plan) || plan.CrisisTeam is not { } team)
        {
            return null;
        }

        return Incident.Exercise switch
        {
            null => (plan, team),
            { } exercise when exercise.Plan == planId => (plan, ExerciseMark.Within(team, exercise.Participants)),
            _ => null,
        };
    }
}

/// <summary>An entry being delivered, and the changes its steps make to alerts (applied when it finishes).</summary>
internal sealed class EntryWork(OutboxEntry entry)
{
    public OutboxEntry Entry { get; set; } = entry;

    /// <summary>This is the entry's first claim ever: no step of it is in the ledger but those recorded in <see cref="Recorded"/>.</summary>
    public bool FirstClaim { get; init; }

    /// <summary>The ledger records this delivery wrote, by id: what the ledger holds of them without reading it.</summary>
    public Dictionary<string, NotificationRecord> Recorded { get; } = new(StringComparer.Ordinal);

    public List<(string Plan, Func<PlanAlert, PlanAlert> Change)> Changes { get; } = [];

    /// <summary>Deliveries refused for good, per plan, in plain words.</summary>
    public Dictionary<string, string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>The plans whose part could not finish now, with why: tried again by the sweep.</summary>
    public Dictionary<string, string> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>The plans whose part was not tried: an earlier entry of theirs is still pending.</summary>
    public HashSet<string> Waiting { get; } = new(StringComparer.Ordinal);

    /// <summary>Composes <paramref name="change"/> after the plan's earlier changes.</summary>
    public void Change(string plan, Func<PlanAlert, PlanAlert> change)
    {
        var index = Changes.FindIndex(c => c.Plan == plan);
        if (index < 0)
        {
            Changes.Add((plan, change));
            return;
        }

        var before = Changes[index].Change;
        Changes[index] = (plan, a => change(before(a)));
    }
}

/// <summary>One plan's part of an entry: what delivering the entry means for that plan's crisis team.</summary>
internal sealed record EntryPart(string Plan, Func<Task> DeliverAsync);

/// <summary>A step that cannot finish now (throttled, an outage, a sign-in to renew): the plan's part stays pending.</summary>
internal sealed class DeliveryPendingException(string message, Exception? inner) : Exception(message, inner);

/// <summary>What delivering one entry came to.</summary>
internal enum EntryOutcome
{
    /// <summary>Every part delivered: the entry is done.</summary>
    Delivered,

    /// <summary>A part is pending or waiting; the later entries go on for the other plans.</summary>
    Left,

    /// <summary>Another sender holds the entry: it delivers the rest.</summary>
    Held,
}

/// <summary>One kind of outbox entry (or a few akin): the part each plan has in it.</summary>
internal interface IEntryHandler
{
    IReadOnlyCollection<OutboxKind> Kinds { get; }

    Task<IReadOnlyList<EntryPart>> PartsAsync(DeliveryContext context, CancellationToken cancellationToken);
}
