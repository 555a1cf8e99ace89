using ContinuityHub.Catalog;
using ContinuityHub.Lessons;

namespace ContinuityHub.Azure.Http;

/// <summary>A post-incident review as <c>GET /api/lessons</c> and <c>hub lessons list --json</c> show it.</summary>
public sealed record ReviewView(
    string ReviewId,
    string IncidentKey,
    string Title,
    DateTimeOffset StartedAt,
    DateTimeOffset ResolvedAt,
    string HighestLevel,
    string AchievedRecovery,
    bool WithinRto,
    bool WithinMtpd,
    IReadOnlyList<string> AssignedTo,
    DateOnly Due,
    bool Overdue,
    string Status,
    string Notice,
    IReadOnlyList<string> Plans,
    int OpenActions,
    IReadOnlyList<Finding> CorrectiveActions,
    string Report)
{
    /// <summary>Every review with its corrective actions, the latest resolved first; <paramref name="open"/>: only those not completed or with actions open.</summary>
    public static async Task<List<ReviewView>> ListAsync(ReviewService reviews, bool open, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(time);
        var actions = (await reviews.ActionsAsync(null, cancellationToken)).ToLookup(a => a.Owner, a => a.Finding, StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return [.. (await reviews.ListAsync(cancellationToken)).Select(r =>
        {
            var own = actions[r.ReviewId].ToList();
            return new ReviewView(
                r.ReviewId, r.IncidentKey, r.Title, r.StartedAt, r.ResolvedAt, r.HighestLevel.ToString(), System.Xml.XmlConvert.ToString(r.AchievedRecovery), r.WithinRto, r.WithinMtpd,
                r.AssignedTo, r.Due, r.Status == ReviewStatus.Draft && r.Due < today, r.Status.ToString(), r.Notice.ToString(), [.. r.Plans.Select(p => p.Plan)],
                own.Count(a => a.Closed is null), own, r.Folder);
        }).Where(v => !open || v.Status == nameof(ReviewStatus.Draft) || v.OpenActions > 0)];
    }
}
