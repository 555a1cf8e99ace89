using ContinuityHub.Assessment;
using ContinuityHub.Intake;

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
