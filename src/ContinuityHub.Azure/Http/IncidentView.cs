using ContinuityHub.Assessment;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// What <c>GET /api/incidents/{key}</c> answers: the incident (the shape of <see cref="AssessmentJson"/>), its level,
/// when the hub first and last heard of it, where its raw payloads are archived, its event log and assessments
/// (oldest first) and the latest assessment in full. Times are ISO 8601 UTC, enumerations by name.
/// </summary>
public sealed record IncidentView(
    IncidentDocument Incident,
    string Level,
    string FirstSeen,
    string LastUpdated,
    IReadOnlyList<string> ArchivePaths,
    IReadOnlyList<IncidentEventView> Events,
    IReadOnlyList<AssessmentEntryView> Assessments,
    AssessmentDocument? LatestAssessment)
{
    /// <summary>The crisis teams alerted about the incident, by plan: the conversation, who was paged, who acted, and any delivery problem.</summary>
    public IReadOnlyList<AlertView> Alerts { get; init; } = [];

    /// <summary>What the hub did by itself about the incident beyond Teams: each note written back to the source record, with its state.</summary>
    public IReadOnlyList<ReactionView> Reactions { get; init; } = [];

    /// <summary>The plans' automations run for the incident, each with the statuses its callback reported (its history).</summary>
    public IReadOnlyList<AutomationView> Automations { get; init; } = [];

    public static IncidentView From(IncidentHistory history, IReadOnlyList<PlanAlert> alerts) =>
        From(history) with { Alerts = [.. alerts.Select(AlertView.From)] };

    public static IncidentView From(IncidentHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var stored = history.Incident;
        return new IncidentView(
            AssessmentJson.ToDocument(stored.Incident),
            stored.Level.ToString(),
            AssessmentJson.Time(stored.FirstSeen),
            AssessmentJson.Time(stored.LastUpdated),
            stored.ArchivePaths,
            [.. history.Events.Select(e => new IncidentEventView(
                e.DeliveryKey,
                AssessmentJson.Time(e.ReceivedAt),
                e.Channel.ToString(),
                e.ArchivePath,
                e.State.ToString(),
                e.Priority.ToString(),
                e.Title))],
            [.. history.Assessments.Select(a => new AssessmentEntryView(AssessmentJson.Time(a.At), a.Level.ToString()))],
            stored.LatestAssessment);
    }
}

/// <summary>One delivery in an incident's event log.</summary>
public sealed record IncidentEventView(
    string DeliveryKey,
    string ReceivedAt,
    string Channel,
    string ArchivePath,
    string State,
    string Priority,
    string Title);

/// <summary>An assessment recorded in an incident's history.</summary>
public sealed record AssessmentEntryView(string At, string Level);

/// <summary>The alert to one plan's crisis team (times ISO 8601 UTC; <see cref="DeliveryProblem"/> null when every notification got through).</summary>
public sealed record AlertView(
    string Plan,
    string Level,
    string Status,
    string? MessageUrl,
    string? BridgeUrl,
    string? WarRoomUrl,
    IReadOnlyList<PagedTierView> Paged,
    string? NextEscalationAt,
    string? AcknowledgedBy,
    string? AcknowledgedAt,
    string? DecidedBy,
    string? DecidedAt,
    string? DeliveryProblem)
{
    public static AlertView From(PlanAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertView(
            alert.Plan,
            alert.Level.ToString(),
            alert.Status.ToString(),
            alert.MessageUrl,
            alert.BridgeUrl,
            alert.WarRoomUrl,
            [.. alert.Paged.Select(p => new PagedTierView(p.Tier + 1, p.People, AssessmentJson.Time(p.At)))],
            Time(alert.NextEscalationAt),
            alert.AcknowledgedBy,
            Time(alert.AcknowledgedAt),
            alert.DecidedBy,
            Time(alert.DecidedAt),
            alert.DeliveryProblem);
    }

    private static string? Time(DateTimeOffset? at) => at is { } value ? AssessmentJson.Time(value) : null;
}

/// <summary>A roster tier paged (numbered from 1, as the catalogue lists them), the people in it, and when.</summary>
public sealed record PagedTierView(int Tier, IReadOnlyList<string> People, string At);

/// <summary>
/// One plan's automation for the incident: when it was requested and sent, until when the hub waits for a callback
/// (<c>callbackDue</c>), whether the wait ran out (<c>overdue</c>), its <c>status</c> (Requested before it went out,
/// Sent while nothing was reported, else the last status reported) and every status reported, oldest first.
/// </summary>
public sealed record AutomationView(
    string Plan,
    string Automation,
    string On,
    string Status,
    string RequestedAt,
    string? SentAt,
    string? CallbackDue,
    bool Overdue,
    IReadOnlyList<AutomationReportView> Reports)
{
    public static AutomationView From(AutomationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var status = run.Reports.Count > 0 ? run.Reports[^1].Status.ToString() : run.SentAt is null ? "Requested" : "Sent";
        return new AutomationView(
            run.Plan,
            run.Automation,
            run.On.ToString(),
            status,
            AssessmentJson.Time(run.RequestedAt),
            run.SentAt is { } sent ? AssessmentJson.Time(sent) : null,
            run.CallbackDue is { } due ? AssessmentJson.Time(due) : null,
            run.Overdue,
            [.. run.Reports.Select(r => new AutomationReportView(r.Status.ToString(), AssessmentJson.Time(r.At), r.Message, r.Link?.AbsoluteUri))]);
    }
}

/// <summary>A status an automation reported through its callback.</summary>
public sealed record AutomationReportView(string Status, string At, string? Message, string? Link);

/// <summary>
/// One reaction: <c>kind</c> <c>writeback</c> (a note on the source record; <c>target</c> <c>servicenow</c>,
/// <c>jira</c>, <c>pagerduty</c>, <c>opsgenie</c>, <c>azuremonitor</c>) or <c>automation</c> (a plan's automation
/// request; <c>target</c> the automation's id), <c>status</c> (Sent, Pending: retried by the
/// sweep, Failed: refused for good), <c>attempts</c>, <c>lastError</c> and when it was last tried.
/// </summary>
public sealed record ReactionView(string Kind, string Target, string Status, int Attempts, string? LastError, string UpdatedAt)
{
    public static ReactionView From(NotificationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ReactionView(record.Channel, record.Recipient, record.State.ToString(), record.Attempts, record.LastError, AssessmentJson.Time(record.UpdatedAt));
    }
}
