using ContinuityHub.Assessment;

namespace ContinuityHub.Notifications;

/// <summary>What a card says about the conversation it belongs to.</summary>
public enum AlertCardKind
{
    /// <summary>The first card of a conversation: the alert.</summary>
    Alert,

    /// <summary>The level changed (a reply in the same conversation).</summary>
    LevelChange,

    /// <summary>Nobody acknowledged: the next tier is paged.</summary>
    Escalation,

    Acknowledged,

    Invoked,

    /// <summary>Stood down (by a person, or because the incident resolved): the conversation is closed.</summary>
    StandDown,
}

/// <summary>A plan document with a short-lived read-only link.</summary>
public sealed record CardDocument(string Name, Uri Link);

/// <summary>The links behind the card's actions: signed decision links and the incident's own page.</summary>
public sealed record CardActions(Uri Acknowledge, Uri Invoke, Uri StandDown, Uri? OpenIncident);

/// <summary>
/// Everything an Adaptive Card about an incident and one plan shows. Every string may come from an incident or the
/// catalogue and is escaped by the renderer. Times are absolute (UTC) and the renderer adds the time left from
/// <see cref="At"/>.
/// </summary>
/// <param name="Level">The level the card announces.</param>
/// <param name="At">The moment of the card (the assessment's time): "time left" counts from it.</param>
/// <param name="Source">The source system's name (servicenow, pagerduty …).</param>
/// <param name="SourceLink">The incident in its source system, when the source gave a link.</param>
/// <param name="Services">The impacted services and their clocks.</param>
/// <param name="Paged">Who has been paged so far, tier by tier.</param>
/// <param name="BridgeUrl">The crisis bridge's join link, once there is one.</param>
/// <param name="WarRoomUrl">The war-room channel, once the plan is invoked.</param>
/// <param name="Actions">Null on a closing card (stand-down): no more actions.</param>
/// <param name="Note">One line on what just happened ("Acknowledged by … at …", "Escalated to tier 2").</param>
public sealed record AlertCardModel(
    AlertCardKind Kind,
    AssessmentLevel Level,
    DateTimeOffset At,
    string IncidentKey,
    string IncidentTitle,
    string Source,
    Uri? SourceLink,
    string PlanId,
    string PlanTitle,
    string PlanVersion,
    IReadOnlyList<CardDocument> Documents,
    IReadOnlyList<ServiceClockDocument> Services,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<PagedTier> Paged,
    string? BridgeUrl,
    string? WarRoomUrl,
    CardActions? Actions,
    string? Note);
