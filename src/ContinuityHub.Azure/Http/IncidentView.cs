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
/// One reaction: <c>kind</c> <c>writeback</c> (a note on the source record), its <c>target</c>
/// (<c>servicenow</c>, <c>jira</c>, <c>pagerduty</c>, <c>opsgenie</c>), <c>status</c> (Sent, Pending: retried by the
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
