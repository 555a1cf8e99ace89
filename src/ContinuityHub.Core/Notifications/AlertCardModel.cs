using ContinuityHub.Assessment;
using ContinuityHub.Outbox;

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

    /// <summary>One of the plan's automations reported back, did not in time, or could not be requested (a reply).</summary>
    Automation,
}

/// <summary>A plan document with a short-lived read-only link.</summary>
public sealed record CardDocument(string Name, Uri Link);

/// <summary>The links behind the card's actions: signed decision links and the incident's own page.</summary>
/// <param name="Acknowledge">Null once the alert is acknowledged or the plan invoked: nothing left to acknowledge.</param>
/// <param name="Invoke">Null once the plan is invoked (by a person, or by the clock where the plan allows it).</param>
public sealed record CardActions(Uri? Acknowledge, Uri? Invoke, Uri StandDown, Uri? OpenIncident);

/// <summary>
/// Everything an Adaptive Card about an incident and one plan shows. Every string may come from an incident or the
/// catalogue and is escaped by the renderer. Times are absolute (UTC) and the renderer adds the time left from
/// <see cref="At"/>.
/// </summary>
/// <param name="Level">The level the card announces.</param>
/// <param name="At">The moment of the card (the assessment's time): "time left" counts from it.</param>
/// <param name="Source">The source system's name (servicenow, pagerduty …).</param>
/// <param name="SourceLink">The incident in its source system, when the source gave a link.</param>
/// <param name="Paged">Who has been paged so far, tier by tier.</param>
/// <param name="BridgeUrl">The crisis bridge's join link, once there is one.</param>
/// <param name="WarRoomUrl">The war-room channel, once the plan is invoked.</param>
/// <param name="Actions">Null on a closing card (stand-down): no more actions.</param>
/// <param name="Note">One line on what just happened ("Acknowledged by … at …", "Escalated to tier 2").</param>
/// <param name="Services">The plan's own impacted services (all of them when none is the plan's).</param>
/// <param name="Reasons">The reasons about the plan's own services, and those about the incident as a whole.</param>
/// <param name="Elsewhere">One line on what the incident does to other plans' services, or null.</param>
/// <param name="Decision">Who acknowledged the alert or invoked the plan, and when; null while nobody has.</param>
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
    string? Note,
    string? Elsewhere = null,
    string? Decision = null)
{
    /// <summary>The exercise the incident belongs to (the card says EXERCISE on its band), or null for a real incident.</summary>
    public string? Exercise { get; init; }
}
