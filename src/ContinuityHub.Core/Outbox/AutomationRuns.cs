using ContinuityHub.Catalog;

namespace ContinuityHub.Outbox;

/// <summary>What an automation reported through its callback.</summary>
public enum AutomationStatus
{
    Started,

    Succeeded,

    Failed,
}

/// <summary>One status an automation reported, when, and what it said.</summary>
/// <param name="Message">Its own words (at most <see cref="AutomationRun.MaxMessageChars"/>), or null.</param>
/// <param name="Link">Where its run can be seen (a job, a pipeline run), absolute http(s), or null.</param>
public sealed record AutomationReport(AutomationStatus Status, DateTimeOffset At, string? Message, Uri? Link);

/// <summary>
/// One automation of one plan for one incident (<c>automation~{plan}~{id}</c> in the incident's partition): at most
/// one per incident, created by the outbox entry that first asked for it, before its request goes out, so a callback
/// always finds it.
/// </summary>
/// <param name="EntryId">The outbox entry that asked for it: a later entry finds the run and asks no more.</param>
/// <param name="EventId">The CloudEvent's id: the same on every retry of the request, so a receiver sees a retry as one.</param>
/// <param name="SentAt">When the request went out; null until then.</param>
/// <param name="CallbackDue">When no callback by then is said on the card; null unless the hub is waiting for one.</param>
/// <param name="Reports">The statuses reported, in the order they came.</param>
/// <param name="Overdue">The timeout was said on the card.</param>
/// <param name="ETag">The version read; null for a new run.</param>
public sealed record AutomationRun(
    string IncidentKey,
    string Plan,
    string Automation,
    AutomationTrigger On,
    string EntryId,
    string EventId,
    DateTimeOffset RequestedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? CallbackDue,
    IReadOnlyList<AutomationReport> Reports,
    bool Overdue,
    string? ETag)
{
    /// <summary>The longest message a callback may carry.</summary>
    public const int MaxMessageChars = 2000;

    /// <summary>Succeeded or failed: nothing more is taken.</summary>
    public bool Finished => Reports.Any(r => r.Status is AutomationStatus.Succeeded or AutomationStatus.Failed);

    /// <summary>A run just asked for: not sent, nothing reported.</summary>
    public static AutomationRun Start(string incidentKey, string plan, PlanAutomation automation, string entryId, string eventId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(automation);
        return new AutomationRun(incidentKey, plan, automation.Id, automation.On, entryId, eventId, now, null, null, [], false, null);
    }
}
