using ContinuityHub.Assessment;

namespace ContinuityHub.Outbox;

// The outbox and the alerts: rows in the incident's partition, so they change in the same transaction as the incident.
// Implemented by ContinuityHub.Azure.Intake.TableIncidentStore (outbox rows of an IncidentWrite) and
// ContinuityHub.Azure.Notifications.TableAlertStore.

/// <summary>What an outbox entry asks the sender to do.</summary>
public enum OutboxKind
{
    /// <summary>The level rose to Alert or above: card (new or a reply), the tier on duty, the bridge from RecommendInvocation.</summary>
    Alert,

    /// <summary>The level fell to None after an alert (the incident resolved): every active conversation is stood down.</summary>
    StandDown,

    /// <summary>The level changed otherwise while a conversation is open (e.g. fell back from RecommendInvocation): a reply in it, nobody paged.</summary>
    LevelChange,

    /// <summary>Nobody acknowledged within the escalation delay: page the next tier (<see cref="OutboxEntry.Tier"/>).</summary>
    Escalate,

    /// <summary>A person acknowledged the alert through a decision link.</summary>
    Acknowledged,

    /// <summary>The plan was invoked (by a person, or by the clock where the plan allows): PlanInvoked, the war room.</summary>
    Invoked,

    /// <summary>A person stood the crisis team down through a decision link.</summary>
    StoodDown,

    /// <summary>A plan's automation reported a status through its callback (<see cref="OutboxEntry.Automation"/>, <see cref="OutboxEntry.Status"/>): a reply in the conversation.</summary>
    AutomationReported,

    /// <summary>A plan's automation sent no callback within its timeout (<see cref="OutboxEntry.Automation"/>): a reply in the conversation.</summary>
    AutomationOverdue,
}

/// <summary>
/// One row of the outbox (<c>outbox~{ticks:D19}</c> in the incident's partition), written in the same transaction as
/// the change that caused it, delivered in <see cref="Id"/> order per incident.
/// </summary>
/// <param name="Id">The row key: <c>outbox~{At ticks:D19}</c>, suffixed when two share a tick. Orders the entries of an incident.</param>
/// <param name="Plans">The plans concerned (Alert, StandDown); one plan for the other kinds.</param>
/// <param name="Actor">Who acted (Acknowledged, Invoked, StoodDown): the decision link's user hint, or the hub itself.</param>
/// <param name="Tier">The tier to page (Escalate), 0-based.</param>
/// <param name="ETag">The version read; null for a new entry.</param>
public sealed record OutboxEntry(
    string IncidentKey,
    string Id,
    DateTimeOffset At,
    OutboxKind Kind,
    AssessmentLevel Level,
    IReadOnlyList<string> Plans,
    string? Actor = null,
    int Tier = 0,
    string? ETag = null)
{
    /// <summary>How many times delivery was tried and did not finish.</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last attempt did not finish.</summary>
    public string? LastError { get; init; }

    /// <summary>A sender holds the entry until then; others leave it alone (a crashed sender's claim runs out).</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>Delivered (every step sent, or failed for good and recorded as such).</summary>
    public bool Done { get; init; }

    /// <summary>
    /// How many times a sender claimed it: 0 for one no sender has touched, so none of its steps is in the ledger
    /// and its first delivery need not look; null for an entry stored before claims were counted (look).
    /// </summary>
    public int? Claims { get; init; }

    /// <summary>The plan's automation the entry is about (AutomationReported, AutomationOverdue).</summary>
    public string? Automation { get; init; }

    /// <summary>The status the automation reported (AutomationReported).</summary>
    public AutomationStatus? Status { get; init; }

    /// <summary>The row key of an entry at <paramref name="at"/>.</summary>
    public static string IdAt(DateTimeOffset at) => "outbox~" + at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Where an alert to a crisis team stands.</summary>
public enum AlertStatus
{
    /// <summary>Sent; nobody acknowledged yet: escalation runs.</summary>
    Active,

    Acknowledged,

    Invoked,

    /// <summary>Stood down by a person, or because the incident resolved: the conversation is closed.</summary>
    StoodDown,
}

/// <summary>A roster tier paged, and when.</summary>
public sealed record PagedTier(int Tier, IReadOnlyList<string> People, DateTimeOffset At);

/// <summary>
/// The alert to one plan's crisis team about one incident (<c>alert~{plan}</c> in the incident's partition): the
/// conversation in the channel, the bridge, who was paged, who acknowledged, what was decided.
/// </summary>
/// <param name="MessageId">The conversation's first message (replies go under it).</param>
/// <param name="NextEscalationAt">When the next tier is paged if nobody acknowledges; null once acknowledged, decided or out of tiers.</param>
/// <param name="DeliveryProblem">A delivery that keeps failing (or failed for good), in plain words; null when all is well.</param>
/// <param name="ETag">The version read; null for a new alert.</param>
public sealed record PlanAlert(
    string IncidentKey,
    string Plan,
    AssessmentLevel Level,
    AlertStatus Status,
    string? MessageId,
    string? MessageUrl,
    string? BridgeUrl,
    string? WarRoomUrl,
    IReadOnlyList<PagedTier> Paged,
    DateTimeOffset? NextEscalationAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DeliveryProblem,
    string? ETag)
{
    public static PlanAlert Start(string incidentKey, string plan, AssessmentLevel level) =>
        new(incidentKey, plan, level, AlertStatus.Active, null, null, null, null, [], null, null, null, null, null, null, null);
}

/// <summary>
/// One atomic change to an incident's alerts and outbox (one entity-group transaction in its partition): alerts added
/// (ETag null) or replaced at their ETag, outbox entries added (ETag null) or replaced at their ETag, and a decision
/// token consumed (added; a token already consumed makes the whole write <see cref="WriteOutcome.Duplicate"/>), and
/// automation runs added (ETag null) or replaced at their ETag.
/// </summary>
public sealed record AlertWrite(
    string IncidentKey,
    IReadOnlyList<PlanAlert> Alerts,
    IReadOnlyList<OutboxEntry> Outbox,
    ConsumedToken? Token = null)
{
    public IReadOnlyList<AutomationRun> Runs { get; init; } = [];
}

/// <summary>A decision token used once (<c>token~{nonce}</c>): who used it, when, for what.</summary>
public sealed record ConsumedToken(string Nonce, string Plan, DecisionAction Action, string UsedBy, DateTimeOffset UsedAt);

public interface IAlertStore
{
    /// <summary>Outbox entries not <see cref="OutboxEntry.Done"/>, across all incidents, ordered by incident then <see cref="OutboxEntry.Id"/>.</summary>
    IAsyncEnumerable<OutboxEntry> ListPendingOutboxAsync(CancellationToken cancellationToken);

    /// <summary>The incident's outbox entries not yet done, in <see cref="OutboxEntry.Id"/> order.</summary>
    Task<IReadOnlyList<OutboxEntry>> PendingOutboxAsync(string incidentKey, CancellationToken cancellationToken);

    Task<PlanAlert?> FindAlertAsync(string incidentKey, string plan, CancellationToken cancellationToken);

    /// <summary>Every alert of the incident, by plan id.</summary>
    Task<IReadOnlyList<PlanAlert>> ListAlertsAsync(string incidentKey, CancellationToken cancellationToken);

    /// <summary>Alerts with a <see cref="PlanAlert.NextEscalationAt"/> at or before <paramref name="now"/>, across all incidents.</summary>
    IAsyncEnumerable<PlanAlert> ListEscalationsDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The decision token's use, if it was used.</summary>
    Task<ConsumedToken?> FindTokenAsync(string incidentKey, string nonce, CancellationToken cancellationToken);

    /// <summary>Every decision taken on the incident through a decision link (each token's use), oldest first.</summary>
    Task<IReadOnlyList<ConsumedToken>> ListTokensAsync(string incidentKey, CancellationToken cancellationToken);

    /// <summary>The run of one plan's automation for the incident, if it was asked for.</summary>
    Task<AutomationRun?> FindRunAsync(string incidentKey, string plan, string automation, CancellationToken cancellationToken);

    /// <summary>Every automation run of the incident, by plan then automation id.</summary>
    Task<IReadOnlyList<AutomationRun>> ListRunsAsync(string incidentKey, CancellationToken cancellationToken);

    /// <summary>Runs with a <see cref="AutomationRun.CallbackDue"/> at or before <paramref name="now"/>, across all incidents.</summary>
    IAsyncEnumerable<AutomationRun> ListRunsOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Written; Conflict (an alert, entry or run changed since read, or a new run exists: nothing written); Duplicate (the token was used: nothing written).</summary>
    Task<WriteOutcome> WriteAsync(AlertWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces one stored outbox entry (a claim) while it is still at its <see cref="OutboxEntry.ETag"/>: the entry as
    /// written, with the ETag storage gave it (no read after), or null when it changed or went meanwhile.
    /// </summary>
    Task<OutboxEntry?> ReplaceOutboxAsync(OutboxEntry entry, CancellationToken cancellationToken);
}
