using ContinuityHub.Assessment;
using ContinuityHub.Intake;

namespace ContinuityHub.Notifications;

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Teams (through Microsoft Graph): implemented by ContinuityHub.Azure.Graph.GraphTeamsGateway.
// ---------------------------------------------------------------------------------------------------------------

/// <summary>An Adaptive Card (schema 1.5) as JSON, with the plain text Teams shows where the card cannot be drawn.</summary>
public sealed record TeamsCard(string CardJson, string Summary);

/// <summary>A channel message the hub posted: its Graph id and the link that opens it in Teams.</summary>
public sealed record PostedMessage(string Id, string? WebUrl);

/// <summary>A Teams activity-feed notification to one person (<c>activityType</c> is declared in the Teams app manifest).</summary>
public sealed record ActivityNotice(string ActivityType, string Topic, string PreviewText, string WebUrl, IReadOnlyDictionary<string, string> Parameters);

/// <summary>An e-mail from the hub's shared mailbox: the fallback when the activity feed cannot reach a person.</summary>
public sealed record MailNotice(string Subject, string HtmlBody);

/// <summary>The crisis bridge: an online meeting for the crisis team.</summary>
public sealed record MeetingRequest(string Subject, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> Attendees);

/// <summary>The war-room channel created in the crisis team's team on invocation: the first member owns it, the others are added one by one.</summary>
public sealed record WarRoomRequest(string TeamId, string DisplayName, string Description, IReadOnlyList<string> Members);

/// <summary>A channel the hub created: its Graph id and the link that opens it.</summary>
public sealed record CreatedChannel(string Id, string? WebUrl);

/// <summary>
/// What the hub does in Microsoft Teams. Channel posts and replies go as the dedicated notifications account
/// (delegated <c>ChannelMessage.Send</c>: Graph allows no app-only channel post); everything else app-only.
/// Every method either succeeds or throws <see cref="TeamsDeliveryException"/> (or <see cref="OperationCanceledException"/>).
/// </summary>
public interface ITeamsGateway
{
    Task<PostedMessage> PostCardAsync(string teamId, string channelId, TeamsCard card, CancellationToken cancellationToken);

    /// <summary>Replies to <paramref name="messageId"/> (the conversation's first message) with a card.</summary>
    Task<PostedMessage> ReplyCardAsync(string teamId, string channelId, string messageId, TeamsCard card, CancellationToken cancellationToken);

    /// <summary><c>POST /users/{user}/teamwork/sendActivityNotification</c> (<c>TeamsActivity.Send</c>).</summary>
    Task NotifyActivityAsync(string user, ActivityNotice notice, CancellationToken cancellationToken);

    /// <summary><c>POST /users/{mailbox}/sendMail</c> (<c>Mail.Send</c>, scoped to the shared mailbox).</summary>
    Task SendMailAsync(string recipient, MailNotice mail, CancellationToken cancellationToken);

    /// <summary><c>POST /users/{organizer}/onlineMeetings</c>; returns the join link.</summary>
    Task<string> CreateMeetingAsync(MeetingRequest request, CancellationToken cancellationToken);

    /// <summary>Creates a private channel (<c>Channel.Create</c>) owned by the first of <see cref="WarRoomRequest.Members"/>; the others are added with <see cref="AddChannelMemberAsync"/>.</summary>
    Task<CreatedChannel> CreateWarRoomAsync(WarRoomRequest request, CancellationToken cancellationToken);

    /// <summary>Adds a person to a channel the hub created (<c>ChannelMember.ReadWrite.All</c>); one call per person, so a retry resumes where it stopped.</summary>
    Task AddChannelMemberAsync(string teamId, string channelId, string member, CancellationToken cancellationToken);
}

/// <summary>A Teams delivery that failed.</summary>
/// <param name="Transient">Worth retrying later (429, 5xx, timeouts, network); false for a refusal that will not change (400, 403, 404).</param>
/// <param name="Status">The HTTP status Graph answered, if it answered.</param>
public sealed class TeamsDeliveryException : Exception
{
    public TeamsDeliveryException()
    {
    }

    public TeamsDeliveryException(string message)
        : base(message)
    {
    }

    public TeamsDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TeamsDeliveryException(string message, bool transient, int? status, Exception? innerException = null)
        : base(message, innerException)
    {
        Transient = transient;
        Status = status;
    }

    public bool Transient { get; }

    public int? Status { get; }

    /// <summary>The notifications account's sign-in has expired or was revoked: someone must run <c>hub graph login</c>.</summary>
    public bool SignInRequired { get; init; }
}

// ---------------------------------------------------------------------------------------------------------------
// Downstream events: implemented by ContinuityHub.Azure.ServiceBus.ServiceBusEventPublisher (topic continuity-events).
// ---------------------------------------------------------------------------------------------------------------

/// <summary>A plan was invoked, by a person or by the clock where the plan allows it.</summary>
/// <param name="Id">Deterministic per (incident, plan): the CloudEvent id and the Service Bus MessageId, so a retry is a duplicate.</param>
public sealed record PlanInvoked(
    string Id,
    string IncidentKey,
    string IncidentTitle,
    string Plan,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    AssessmentLevel Level,
    IReadOnlyList<string> Reasons);

public interface IEventPublisher
{
    /// <summary>Publishes <c>PlanInvoked</c> as a CloudEvents 1.0 JSON message (type <c>ContinuityHub.PlanInvoked</c>).</summary>
    Task PublishAsync(PlanInvoked planInvoked, CancellationToken cancellationToken);
}

// ---------------------------------------------------------------------------------------------------------------
// Plan documents and reports: implemented by ContinuityHub.Azure.Storage.BlobDocumentLinks.
// ---------------------------------------------------------------------------------------------------------------

public interface IDocumentLinks
{
    /// <summary>
    /// A read-only link to <c>plan-documents/{plan}/{version}/{fileName}</c> valid until <paramref name="expiresAt"/>
    /// (a user-delegation SAS with the managed identity in Azure).
    /// </summary>
    Task<Uri> ReadLinkAsync(string plan, string version, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>A read-only link to a continuity report file, <c>reports/{yyyy-MM-dd}/{fileName}</c>, valid until <paramref name="expiresAt"/>.</summary>
    Task<Uri> ReportLinkAsync(DateOnly reportDate, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

// ---------------------------------------------------------------------------------------------------------------
// The outbox and the alerts: rows in the incident's partition, so they change in the same transaction as the incident.
// Implemented by ContinuityHub.Azure.Intake.TableIncidentStore (outbox rows of an IncidentWrite) and
// ContinuityHub.Azure.Notifications.TableAlertStore.
// ---------------------------------------------------------------------------------------------------------------

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
/// token consumed (added; a token already consumed makes the whole write <see cref="WriteOutcome.Duplicate"/>).
/// </summary>
public sealed record AlertWrite(
    string IncidentKey,
    IReadOnlyList<PlanAlert> Alerts,
    IReadOnlyList<OutboxEntry> Outbox,
    ConsumedToken? Token = null);

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

    /// <summary>Written; Conflict (an alert or entry changed since read: nothing written); Duplicate (the token was used: nothing written).</summary>
    Task<WriteOutcome> WriteAsync(AlertWrite write, CancellationToken cancellationToken);
}

// ---------------------------------------------------------------------------------------------------------------
// The delivery ledger (Notifications table, PartitionKey yyyyMMdd of the entry's time, RowKey the notification id):
// one row per (incident, plan, level, channel, recipient), so a retry never sends twice.
// Implemented by ContinuityHub.Azure.Notifications.TableNotificationLedger.
// ---------------------------------------------------------------------------------------------------------------

public enum NotificationState
{
    Pending,
    Sent,

    /// <summary>Refused for good (e.g. 403, 404); recorded on the alert as a delivery problem.</summary>
    Failed,
}

/// <summary>One delivery: a card, a reply, an activity notification or e-mail to one person, a bridge, a war room, an event.</summary>
/// <param name="Id">The idempotency key: a hash of (incident, plan, level or step, channel, recipient).</param>
/// <param name="Due">The entry's day (UTC): the row's PartitionKey.</param>
/// <param name="Channel">card, reply, activity, mail, bridge, warroom, event.</param>
/// <param name="GraphId">What Graph gave back (message id, join URL, channel id), so a retry can go on from it.</param>
public sealed record NotificationRecord(
    string Id,
    DateOnly Due,
    string IncidentKey,
    string Plan,
    string Step,
    string Channel,
    string Recipient,
    NotificationState State,
    int Attempts,
    string? GraphId,
    string? GraphUrl,
    string? LastError,
    DateTimeOffset UpdatedAt);

public interface INotificationLedger
{
    Task<NotificationRecord?> FindAsync(DateOnly due, string id, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record.</summary>
    Task RecordAsync(NotificationRecord record, CancellationToken cancellationToken);

    /// <summary>Every record of the day <paramref name="due"/> for the incident.</summary>
    IAsyncEnumerable<NotificationRecord> ListAsync(DateOnly due, string incidentKey, CancellationToken cancellationToken);
}
