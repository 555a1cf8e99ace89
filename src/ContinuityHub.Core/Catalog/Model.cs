namespace ContinuityHub.Catalog;

/// <summary>The continuity programme's facts: the BIA, the plans, the exercises and the policy.</summary>
public sealed record ContinuityCatalog(
    Policy Policy,
    IReadOnlyList<BusinessService> Services,
    IReadOnlyList<ContinuityPlan> Plans,
    IReadOnlyList<Exercise> Exercises)
{
    public static ContinuityCatalog Empty { get; } = new(Policy.Default, [], [], []);

    /// <summary>Planned work (catalogue <c>maintenance:</c>): an incident on a service under a window is capped at Monitor.</summary>
    public IReadOnlyList<MaintenanceWindow> Maintenance { get; init; } = [];
}

/// <summary>A service in the business impact analysis.</summary>
public sealed record BusinessService(
    string Id,
    string Name,
    int Tier,
    TimeSpan Rto,
    TimeSpan Rpo,
    TimeSpan Mtpd,
    string Owner,
    IReadOnlyList<string> DependsOn,
    IReadOnlyDictionary<AliasSource, IReadOnlyList<string>> Aliases,
    DateOnly? BiaReviewed)
{
    /// <summary>
    /// The jobs that secure the service's recovery points (backups, replication), each expected to report a heartbeat
    /// every so often (catalogue <c>heartbeats:</c>); the RPO clock counts from the oldest latest recovery point.
    /// </summary>
    public IReadOnlyList<HeartbeatDeclaration> Heartbeats { get; init; } = [];
}

/// <summary>
/// Planned work on some services, approved in advance: one-off (<see cref="Start"/> to <see cref="End"/>) or weekly
/// (<see cref="Weekly"/>). While it holds, an incident on one of its services is recorded and assessed but capped at
/// Monitor: no alert, no escalation, no automation; when it ends with the incident still open, the cap lifts.
/// </summary>
/// <param name="Id">Unique in the catalogue: lower-case letters, digits and '-'.</param>
/// <param name="Services">The service ids it covers; services impacted through them are capped too (the planned work is the cause), a dependent's own incident is not.</param>
/// <param name="Start">A one-off window's start (with its offset); null for a weekly one.</param>
/// <param name="End">A one-off window's end; null for a weekly one.</param>
/// <param name="Weekly">A weekly window's days and hours; null for a one-off one.</param>
public sealed record MaintenanceWindow(
    string Id,
    IReadOnlyList<string> Services,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    WeeklyWindow? Weekly,
    string Reason,
    string ApprovedBy);

/// <summary>
/// A window that recurs every week on <see cref="Days"/> from <see cref="From"/> to <see cref="To"/> on the wall clock of
/// <see cref="TimeZone"/> (an IANA id such as <c>Europe/Stockholm</c>; null: the policy's calendar time zone), so it
/// keeps its local hours across daylight-saving changes. <see cref="To"/> at or before <see cref="From"/> ends the next day.
/// </summary>
public sealed record WeeklyWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To, string? TimeZone)
{
    /// <summary>The window holds on the calendar's holidays too, at the same hours (<c>days: [Sunday, Holidays]</c>).</summary>
    public bool OnHolidays { get; init; }

    /// <summary>The days as the catalogue names them: <c>Sunday</c>, …, and <c>Holidays</c> last when it holds on them.</summary>
    public IEnumerable<string> DayNames => OnHolidays ? Days.Select(d => d.ToString()).Append(HolidaysDay) : Days.Select(d => d.ToString());

    /// <summary>The name that stands for the calendar's holidays in a weekly window's days.</summary>
    public const string HolidaysDay = "Holidays";
}

/// <summary>
/// The business calendar of the policy (catalogue <c>policy.calendar</c>): the time zone weekly windows keep, the
/// working hours (the report tells which maintenance fell inside them), and the holidays (no working hours; a weekly
/// window whose days name <c>Holidays</c> holds on them too).
/// </summary>
/// <param name="TimeZone">An IANA time zone id (default <c>UTC</c>).</param>
public sealed record BusinessCalendar(string TimeZone)
{
    public static BusinessCalendar Default { get; } = new("UTC");

    /// <summary>The working week, on the wall clock of <see cref="TimeZone"/>; null: none declared.</summary>
    public WorkingHours? WorkingHours { get; init; }

    /// <summary>Dates (in <see cref="TimeZone"/>) that are not working days.</summary>
    public IReadOnlyList<Holiday> Holidays { get; init; } = [];

    /// <summary>Nothing but UTC: what a catalogue without <c>policy.calendar</c> has.</summary>
    public bool IsDefault => TimeZone == Default.TimeZone && WorkingHours is null && Holidays.Count == 0;

    public bool IsHoliday(DateOnly day) => Holidays.Any(h => h.Date == day);

    public bool Equals(BusinessCalendar? other) =>
        other is not null && TimeZone == other.TimeZone && WorkingHours == other.WorkingHours && Holidays.SequenceEqual(other.Holidays);

    public override int GetHashCode() => HashCode.Combine(TimeZone, WorkingHours, Holidays.Count);
}

/// <summary>Working hours: on <see cref="Days"/> (holidays aside) from <see cref="From"/> to <see cref="To"/>, the same day.</summary>
public sealed record WorkingHours(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To)
{
    public bool Equals(WorkingHours? other) => other is not null && From == other.From && To == other.To && Days.SequenceEqual(other.Days);

    public override int GetHashCode() => HashCode.Combine(From, To, Days.Count);
}

/// <summary>A day off in the business calendar, with its name when the catalogue gives one.</summary>
public sealed record Holiday(DateOnly Date, string? Name);

/// <summary>A heartbeat a service's backup or replication job reports each time it completes.</summary>
/// <param name="Name">Unique within the service: lower-case letters, digits and '-' (it is part of the route and the incident key).</param>
/// <param name="Every">The expected interval between heartbeats.</param>
/// <param name="Grace">Lateness allowed before a missed heartbeat counts (zero when the catalogue names none).</param>
public sealed record HeartbeatDeclaration(string Name, TimeSpan Every, TimeSpan Grace);

/// <summary>The systems an incident can come from; aliases are kept per source.</summary>
public enum AliasSource
{
    ServiceNow,
    Jira,
    PagerDuty,
    Opsgenie,
    AzureMonitor,
    Generic,
    Alertmanager,

    /// <summary>The hub itself, when a service's recovery point grows old (its heartbeats are late): the RPO clock.</summary>
    Heartbeat,
}

public enum PlanType
{
    CrisisManagement,
    EmergencyResponse,
    DisasterRecovery,
    BusinessRecovery,
}

public enum PlanStatus
{
    Draft,
    Approved,
    Retired,
}

public sealed record ContinuityPlan(
    string Id,
    string Title,
    PlanType Type,
    string Version,
    PlanStatus Status,
    string Owner,
    IReadOnlyList<string> Services,
    TimeSpan RecoveryTime,
    bool AutoInvoke,
    DateOnly? LastReviewed,
    DateOnly? NextReview,
    CrisisTeam? CrisisTeam,
    IReadOnlyList<PlanDocument> Documents)
{
    /// <summary>What should happen by itself at a point of the plan's life (catalogue <c>automations:</c>), in catalogue order.</summary>
    public IReadOnlyList<PlanAutomation> Automations { get; init; } = [];
}

/// <summary>When a plan's automation runs.</summary>
public enum AutomationTrigger
{
    /// <summary>The plan's crisis team is alerted (its level rose to Alert or above).</summary>
    Alert,

    /// <summary>The plan's level rose to RecommendInvocation or above.</summary>
    RecommendInvocation,

    /// <summary>The plan was invoked: by a person's decision, or by the clock where the plan allows it; never on a recommendation.</summary>
    Invoke,

    /// <summary>The crisis team was stood down: by a person, or because the incident resolved.</summary>
    StandDown,
}

/// <summary>How an automation request goes out.</summary>
public enum AutomationKind
{
    /// <summary>An HTTPS POST of the CloudEvent to <see cref="PlanAutomation.Url"/> (or the URL in <see cref="PlanAutomation.UrlSecret"/>).</summary>
    Webhook,

    /// <summary>A Service Bus message (the CloudEvent) to the queue or topic <see cref="PlanAutomation.Entity"/>.</summary>
    ServiceBus,
}

/// <summary>
/// One automation of a plan: once per incident, when <see cref="On"/> happens, the hub sends a
/// <c>ContinuityHub.AutomationRequested</c> CloudEvent and waits <see cref="Timeout"/> for its callback.
/// </summary>
/// <param name="Id">Unique within the plan: lower-case letters, digits and '-' (it names sink files and ledger rows).</param>
/// <param name="Url">The webhook's URL (https; http only to loopback), when it is not a secret.</param>
/// <param name="UrlSecret">The name of the secret (Key Vault, or configuration <c>Automations:Secrets:{name}</c>) holding the webhook's URL.</param>
/// <param name="Entity">The Service Bus queue or topic (<c>queue:</c> or <c>topic:</c> in YAML).</param>
/// <param name="SigningSecret">The name of the secret whose value signs the body (HMAC-SHA256 in <c>X-Hub-Signature-256</c>); null: unsigned.</param>
/// <param name="Timeout">How long the hub waits for a callback before it says so on the card.</param>
public sealed record PlanAutomation(
    string Id,
    AutomationTrigger On,
    AutomationKind Kind,
    string? Url,
    string? UrlSecret,
    string? Entity,
    string? SigningSecret,
    TimeSpan Timeout)
{
    /// <summary>The wait for a callback when the catalogue names none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
}

/// <summary>Where a plan's crisis team is reached and who is paged, tier by tier.</summary>
public sealed record CrisisTeam(
    string TeamId,
    string ChannelId,
    TimeSpan EscalationDelay,
    IReadOnlyList<IReadOnlyList<string>> Tiers);

/// <summary>
/// A plan document. <see cref="Path"/> is as written in the catalogue (relative to the YAML file);
/// <see cref="Sha256"/> is the hex SHA-256 of its content once known (computed on import, exported after).
/// </summary>
public sealed record PlanDocument(string Path, string? Sha256)
{
    /// <summary>The file name the blob is stored under: <c>plan-documents/{planId}/{version}/{FileName}</c>.</summary>
    public string FileName => System.IO.Path.GetFileName(Path.Replace('\\', '/'));
}

public enum ExerciseType
{
    Walkthrough,
    Simulation,
    Component,
    Full,
}

public enum ExerciseResult
{
    Passed,
    PassedWithIssues,
    Failed,
}

public sealed record Exercise(
    string Id,
    string Plan,
    ExerciseType Type,
    DateOnly Scheduled,
    DateOnly? Completed,
    ExerciseResult? Result,
    TimeSpan? AchievedRecovery,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>
    /// The injects the hub receives when the exercise is played (catalogue <c>scenario:</c>), in offset order; empty:
    /// the exercise has no scenario (a tabletop recorded after the fact).
    /// </summary>
    public IReadOnlyList<ExerciseInject> Scenario { get; init; } = [];

    /// <summary>The decisions <c>hub exercise run</c> scripts (catalogue <c>decisions:</c>); a live exercise takes them from people.</summary>
    public IReadOnlyList<ScriptedDecision> Decisions { get; init; } = [];

    /// <summary>
    /// Who takes part (UPNs): the only people an exercise's cards and notifications reach. Empty: the plan's crisis
    /// team (its channel and roster).
    /// </summary>
    public IReadOnlyList<string> Participants { get; init; } = [];

    /// <summary>The exercise's automations and PlanInvoked events go out for real (<c>liveAutomations: true</c>); else they are recorded only.</summary>
    public bool LiveAutomations { get; init; }
}

/// <summary>
/// One inject of a scenario: a payload the hub receives from <see cref="Source"/> at <see cref="At"/> after the
/// exercise starts (its times shifted so that the incident's own start falls there), or the end of the outage
/// (<see cref="Resolve"/>: every open incident of the exercise resolved).
/// </summary>
/// <param name="At">The offset from the exercise's start.</param>
/// <param name="Source">The source the payload comes from; null for a resolve.</param>
/// <param name="Payload">The payload as JSON text (the sample file's content, or the YAML's inline <c>payload:</c>); null for a resolve.</param>
/// <param name="Sample">The sample file the payload was read from, as the catalogue names it (kept for export); null when inline.</param>
public sealed record ExerciseInject(TimeSpan At, AliasSource? Source, string? Payload, string? Sample, bool Resolve);

/// <summary>A decision <c>hub exercise run</c> makes at <see cref="At"/> after the start, as <see cref="By"/>, through the plan's decision link.</summary>
/// <param name="Action">Acknowledge, Invoke or StandDown.</param>
public sealed record ScriptedDecision(TimeSpan At, ContinuityHub.Outbox.DecisionAction Action, string Plan, string By);

public sealed record Finding(string Id, string Text, string Owner, DateOnly Due, DateOnly? Closed);

/// <summary>An incident's priority, P1 (gravest) to P5; <see cref="None"/> when the source gave none the hub can read.</summary>
public enum Priority
{
    /// <summary>The source gave no priority, or one neither the hub nor <see cref="Policy.Priorities"/> knows: the clock still runs.</summary>
    None = 0,
    P1 = 1,
    P2 = 2,
    P3 = 3,
    P4 = 4,
    P5 = 5,
}

/// <summary>Thresholds the continuity manager can change without a deploy.</summary>
public sealed record Policy(
    double AlertFraction,
    IReadOnlyList<Priority> AssessPriorities,
    TimeSpan ReassessEvery,
    TimeSpan BiaReviewInterval)
{
    public static Policy Default { get; } = new(0.5, [Priority.P1, Priority.P2], TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));

    /// <summary>
    /// Per source, priority or severity names (case-insensitive, as the source sends them: <c>Major</c>, <c>Sev1</c>,
    /// <c>1 - Critical</c>, <c>SEV-1</c>) and the priority each stands for. They come before the hub's own reading of
    /// the vendor's standard scheme, so a custom scheme, or a different view of a standard one, needs no code.
    /// </summary>
    public IReadOnlyDictionary<AliasSource, IReadOnlyDictionary<string, Priority>> Priorities { get; init; } =
        new Dictionary<AliasSource, IReadOnlyDictionary<string, Priority>>();

    /// <summary>
    /// Per source, the markers (case-insensitive) that make an incident major: Opsgenie tags, Jira labels or issue
    /// types, PagerDuty incident types or priority names, Alertmanager label values, ServiceNow categories.
    /// </summary>
    public IReadOnlyDictionary<AliasSource, IReadOnlyList<string>> MajorMarkers { get; init; } =
        new Dictionary<AliasSource, IReadOnlyList<string>>();

    /// <summary>
    /// ServiceNow incident fields (<c>major_incident_state</c>, <c>u_continuity_level</c>) and the values the hub sets on
    /// them, in the same Table API PATCH as the work note of a change of level at or above Alert; <see cref="LevelPlaceholder"/>
    /// in a value becomes the level's name.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServiceNowFields { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The share of a service's RPO its data exposure (now − its oldest latest recovery point) may reach before the
    /// hub raises an RPO incident of its own (catalogue <c>policy.rpoWarnFraction</c>, default 0.8).
    /// </summary>
    public double RpoWarnFraction { get; init; } = DefaultRpoWarnFraction;

    public const double DefaultRpoWarnFraction = 0.8;

    /// <summary>
    /// How long a post-incident review's owner has to complete it, from the end of the outage (catalogue
    /// <c>policy.postIncidentReviewDue</c>, default 14d).
    /// </summary>
    public TimeSpan PostIncidentReviewDue { get; init; } = DefaultPostIncidentReviewDue;

    public static TimeSpan DefaultPostIncidentReviewDue => TimeSpan.FromDays(14);

    /// <summary>The business calendar (catalogue <c>policy.calendar</c>).</summary>
    public BusinessCalendar Calendar { get; init; } = BusinessCalendar.Default;

    /// <summary>In a <see cref="ServiceNowFields"/> value, the level the incident reached: <c>Alert</c>, <c>RecommendInvocation</c>, <c>Invoke</c>.</summary>
    public const string LevelPlaceholder = "{level}";

    /// <summary>Equal when every threshold, priority, name and field is (the lists and mappings compared by content).</summary>
    public bool Equals(Policy? other) =>
        other is not null
        && AlertFraction.Equals(other.AlertFraction)
        && AssessPriorities.SequenceEqual(other.AssessPriorities)
        && ReassessEvery == other.ReassessEvery
        && BiaReviewInterval == other.BiaReviewInterval
        && SameKeys(Priorities, other.Priorities, (a, b) => a.Count == b.Count && a.All(n => b.TryGetValue(n.Key, out var p) && p == n.Value))
        && SameKeys(MajorMarkers, other.MajorMarkers, (a, b) => a.SequenceEqual(b))
        && RpoWarnFraction.Equals(other.RpoWarnFraction)
        && PostIncidentReviewDue == other.PostIncidentReviewDue
        && Calendar == other.Calendar
        && ServiceNowFields.Count == other.ServiceNowFields.Count
        && ServiceNowFields.All(f => other.ServiceNowFields.TryGetValue(f.Key, out var value) && string.Equals(value, f.Value, StringComparison.Ordinal));

    public override int GetHashCode() =>
        HashCode.Combine(AlertFraction, AssessPriorities.Count, ReassessEvery, BiaReviewInterval, Priorities.Count, MajorMarkers.Count, ServiceNowFields.Count);

    /// <summary>The priority <paramref name="name"/> stands for in <paramref name="source"/>'s mapping, if the policy maps it.</summary>
    public Priority? PriorityOf(AliasSource source, string? name)
    {
        var key = name?.Trim();
        if (string.IsNullOrEmpty(key) || !Priorities.TryGetValue(source, out var names))
        {
            return null;
        }

        foreach (var (n, p) in names)
        {
            if (string.Equals(n.Trim(), key, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Whether any of <paramref name="markers"/> is one the policy names as major for <paramref name="source"/>.</summary>
    public bool MarksMajor(AliasSource source, IEnumerable<string> markers) =>
        MajorMarkers.TryGetValue(source, out var named)
        && markers.Any(m => named.Any(n => string.Equals(n.Trim(), m.Trim(), StringComparison.OrdinalIgnoreCase)));

    private static bool SameKeys<T>(IReadOnlyDictionary<AliasSource, T> a, IReadOnlyDictionary<AliasSource, T> b, Func<T, T, bool> same) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && same(pair.Value, other));
}
