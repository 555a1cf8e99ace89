using System.Globalization;
using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents;

public enum IncidentState
{
    Open,
    Mitigated,
    Resolved,
    Closed,
}

/// <summary>The canonical form of anything that came in, whatever tool it came from.</summary>
/// <param name="Key">Unique per source record: <c>{source}~{escaped externalId}</c> (see <see cref="IncidentKey"/>).</param>
/// <param name="Aliases">How the source named the affected things (CIs, services, resource ids, tags), in its order.</param>
/// <param name="EventId">The source's id for this delivery when it has one (PagerDuty event id), for idempotent intake.</param>
/// <param name="OtherNames">
/// Aliases that name the same thing as another alias of the incident (a ServiceNow reference's value and display
/// value, a PagerDuty service's id and summary), each mapped to its partner: one of the two matching is enough.
/// </param>
public sealed record Incident(
    string Key,
    AliasSource Source,
    string ExternalId,
    string Title,
    Priority Priority,
    bool Major,
    IncidentState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? EstimatedRestoreAt,
    IReadOnlyList<string> Aliases,
    string? Link,
    string? EventId = null,
    IReadOnlyDictionary<string, string>? OtherNames = null)
{
    /// <summary>The other name of the thing <paramref name="alias"/> names, if the source gave two.</summary>
    public string? OtherNameOf(string alias) => OtherNames is not null && OtherNames.TryGetValue(alias, out var other) ? other : null;

    public bool IsOpen => State is IncidentState.Open or IncidentState.Mitigated;

    /// <summary>
    /// The source did not say when the incident started, so <see cref="StartedAt"/> is when this delivery's event
    /// happened (an older PagerDuty v3 acknowledged or resolved event): the start of a new incident, never a
    /// replacement for the start already known.
    /// </summary>
    public bool StartedAtIsEventTime { get; init; }

    /// <summary>
    /// The delivery did not say the incident's state (an Opsgenie note or tag): <see cref="State"/> Open stands for a
    /// new incident, and an incident already known keeps its state (a note on a closed alert never reopens it).
    /// </summary>
    public bool StateIsImplied { get; init; }

    /// <summary>
    /// When the source says it reopened the incident (PagerDuty's <c>reopened_at</c>): the start of the new outage
    /// when the intake takes the delivery as a reopen. A delivery's word, not kept.
    /// </summary>
    public DateTimeOffset? ReopenedAt { get; init; }

    /// <summary>
    /// When the current outage was resolved: the source's time when a parser reads one, else when the hub received
    /// the delivery that resolved it. Null while the incident is open.
    /// </summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>
    /// The outages before the incident was reopened, oldest first (at most <see cref="MaxEarlierOutages"/>, the latest
    /// kept): a reopen restarts the clock, so <see cref="StartedAt"/> is the start of the current outage only.
    /// </summary>
    public IReadOnlyList<Outage> EarlierOutages { get; init; } = [];

    /// <summary>How many earlier outages an incident keeps (a flapping alert must not outgrow its table row).</summary>
    public const int MaxEarlierOutages = 100;

    /// <summary>The priority or severity as the source named it (<c>Major</c>, <c>Sev1</c>, <c>3</c>), which <see cref="Policy.Priorities"/> may map.</summary>
    public string? SourcePriority { get; init; }

    /// <summary>The source's own markers (tags, labels, issue or incident type) that <see cref="Policy.MajorMarkers"/> may name as major.</summary>
    public IReadOnlyList<string> Markers { get; init; } = [];

    /// <summary>
    /// The exercise the incident belongs to (it came from a scenario's inject), or null for a real one: marked
    /// EXERCISE everywhere, alerting only the exercise's plan and participants, never written back to a record.
    /// </summary>
    public ExerciseMark? Exercise { get; init; }

    /// <summary>The priority as a person reads it: <c>P2</c>, <c>P3 ('Major')</c>, <c>no priority</c>, <c>no priority ('Urgent')</c>.</summary>
    public string PriorityText
    {
        get
        {
            var text = Priority == Priority.None ? "no priority" : Priority.ToString();
            return SourcePriority is { } named && !string.Equals(named, text, StringComparison.OrdinalIgnoreCase)
                ? $"{text} ('{HumanText.Truncate(named, 40)}')"
                : text;
        }
    }

    /// <summary>
    /// The incident as <paramref name="policy"/> reads it: the source's priority name mapped where the policy maps it,
    /// and major when it already is (the source marked it, or sent P1), the policy names one of its markers, or the
    /// policy's mapping makes it P1. The policy never makes an incident less major than its source said.
    /// </summary>
    public Incident Under(Policy policy)
    {
        var priority = policy.PriorityOf(Source, SourcePriority) ?? Priority;
        var major = Major || priority == Priority.P1 || policy.MarksMajor(Source, Markers);
        return priority == Priority && major == Major ? this : this with { Priority = priority, Major = major };
    }
}

/// <summary>
/// What makes an incident an exercise's: which exercise and run, the one plan that takes part, who may hear of it,
/// and whether its automations and events go out for real.
/// </summary>
/// <param name="ExerciseId">The catalogue's exercise id.</param>
/// <param name="RunId">This playing of it (<c>yyyyMMddTHHmmssZ</c> of its start): a rehearsal and the day itself are different incidents.</param>
/// <param name="Plan">The exercise's plan: the only plan its incidents alert.</param>
/// <param name="Participants">The only people its cards and notifications reach (UPNs); empty: the plan's crisis team.</param>
/// <param name="LiveAutomations">The plan's automations and PlanInvoked events go out for real; else they are recorded only.</param>
public sealed record ExerciseMark(string ExerciseId, string RunId, string Plan, IReadOnlyList<string> Participants, bool LiveAutomations)
{
    /// <summary>The word every card, message and event of an exercise carries.</summary>
    public const string Word = "EXERCISE";

    /// <summary>The incident an inject becomes: its key within the run (<c>exercise~{exerciseId}~{runId}~{escaped key}</c>), marked.</summary>
    public Incident Apply(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var title = incident.Title.StartsWith(Word + ": ", StringComparison.Ordinal) ? incident.Title : $"{Word}: {incident.Title}";
        return incident with { Key = KeyOf(incident.Key), Title = title, Exercise = this };
    }

    /// <summary>
    /// The crisis team as the exercise reaches it: each tier with the participants in it only (empty tiers dropped);
    /// when no tier holds a participant, the participants as one tier. The whole team when none are named.
    /// </summary>
    public static CrisisTeam Within(CrisisTeam team, IReadOnlyList<string> participants)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(participants);
        if (participants.Count == 0)
        {
            return team;
        }

        var tiers = team.Tiers
            .Select(t => (IReadOnlyList<string>)[.. t.Where(p => participants.Contains(p, StringComparer.OrdinalIgnoreCase))])
            .Where(t => t.Count > 0)
            .ToList();
        return team with { Tiers = tiers.Count > 0 ? tiers : [participants] };
    }

    /// <summary>The exercise id of an exercise's incident key (<c>exercise~{exerciseId}~…</c>), or null for a real incident's.</summary>
    public static string? ExerciseIdOf(string incidentKey)
    {
        ArgumentNullException.ThrowIfNull(incidentKey);
        var parts = incidentKey.Split('~', 4);
        return parts.Length == 4 && parts[0] == "exercise" ? parts[1] : null;
    }

    /// <summary>The key an exercise's incident had at its source (<c>servicenow~INC0012345</c>); the key itself for a real incident.</summary>
    public static string SourceKeyOf(string incidentKey)
    {
        ArgumentNullException.ThrowIfNull(incidentKey);
        var parts = incidentKey.Split('~', 4);
        return parts.Length == 4 && parts[0] == "exercise" ? IncidentKey.Unescape(parts[3]) : incidentKey;
    }

    /// <summary>The key an incident of <paramref name="sourceKey"/> has in this run.</summary>
    public string KeyOf(string sourceKey) => $"{KeyPrefix}{IncidentKey.Escape(sourceKey)}";

    /// <summary>What every incident key of this run begins with.</summary>
    public string KeyPrefix => $"exercise~{ExerciseId}~{RunId}~";

    /// <summary>Whether <paramref name="upn"/> may hear of the exercise: a participant, or anyone on the plan's team when none are named.</summary>
    public bool Reaches(string upn) => Participants.Count == 0 || Participants.Contains(upn, StringComparer.OrdinalIgnoreCase);

    public bool Equals(ExerciseMark? other) =>
        other is not null && ExerciseId == other.ExerciseId && RunId == other.RunId && Plan == other.Plan
        && LiveAutomations == other.LiveAutomations && Participants.SequenceEqual(other.Participants, StringComparer.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(ExerciseId, RunId, Plan);
}

/// <summary>An earlier outage of a reopened incident: from its start to when it was resolved.</summary>
public sealed record Outage(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Incident keys: <c>{source}~{externalId}</c> with the characters Table Storage keys forbid (and <c>~</c> and
/// <c>%</c> themselves) percent-encoded, so a key is a valid PartitionKey and splits back unambiguously.
/// </summary>
public static class IncidentKey
{
    /// <remarks>
    /// A heartbeat's incident is <c>heartbeat~{serviceId}~{name}</c>: its id is a service id and a heartbeat name, which
    /// hold only letters, digits and '-', joined by the '~' kept as it is.
    /// </remarks>
    public static string Create(AliasSource source, string externalId) =>
        source == AliasSource.Heartbeat
            ? $"{CatalogNames.Name(source)}~{string.Join('~', externalId.Split('~').Select(Escape))}"
            : $"{CatalogNames.Name(source)}~{Escape(externalId)}";

    public static string Escape(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '~' || char.IsControl(c))
            {
                foreach (var by in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    b.Append('%').Append(by.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    public static string Unescape(string value) => Uri.UnescapeDataString(value);
}
