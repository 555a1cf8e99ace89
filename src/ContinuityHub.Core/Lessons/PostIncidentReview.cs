using ContinuityHub.Assessment;
using ContinuityHub.Reporting;

namespace ContinuityHub.Lessons;

/// <summary>Where a post-incident review stands.</summary>
public enum ReviewStatus
{
    /// <summary>Drafted by the hub, with the owner to complete.</summary>
    Draft,

    /// <summary>The owner completed it (<c>hub lessons complete</c>).</summary>
    Completed,
}

/// <summary>What became of telling the plan owners a review is theirs.</summary>
public enum ReviewNotice
{
    /// <summary>Not told yet, or Teams could not be reached: the next tick tries again.</summary>
    Pending,

    /// <summary>Each owner got a Teams activity notification (or, where the feed could not reach them, an e-mail).</summary>
    Sent,

    /// <summary>Teams refused for good and no e-mail fallback is configured (logged).</summary>
    Failed,
}

/// <summary>One plan the incident alerted, as the review sees it.</summary>
/// <param name="InvokedAt">When the plan was first invoked (a decision link, or the clock where the plan allows it); null when it was not.</param>
/// <param name="Margin">The latest safe invocation time minus the invocation (negative when late).</param>
/// <param name="RecoveryAfterInvocation">From the invocation to the end of the outage: how long the plan's recovery took.</param>
public sealed record ReviewPlan(
    string Plan,
    string Title,
    string Owner,
    DateTimeOffset? InvokedAt,
    string? InvokedBy,
    DateTimeOffset? LatestSafeInvocation,
    TimeSpan? Margin,
    bool Late,
    TimeSpan? RecoveryAfterInvocation);

/// <summary>
/// The post-incident review the hub drafts once a real incident that reached Alert or above is resolved: the outage
/// against the tightest RTO and MTPD of what it impacted, each plan it alerted with its invocation and recovery, and
/// the timeline (Table Storage: the Reviews table; documents in <c>incident-reviews/{reviewId}/</c>).
/// </summary>
/// <param name="ReviewId"><c>pir-{yyyyMMdd}-{8 hex}</c>: the outage's start day and a hash of the incident key and that start, so each outage has one.</param>
/// <param name="AssignedTo">The owners of the plans it alerted, the first plan's first.</param>
public sealed record PostIncidentReview(
    string ReviewId,
    string IncidentKey,
    string Title,
    DateTimeOffset StartedAt,
    DateTimeOffset ResolvedAt,
    AssessmentLevel HighestLevel,
    TimeSpan AchievedRecovery,
    TimeSpan? Rto,
    TimeSpan? Mtpd,
    IReadOnlyList<ReviewPlan> Plans,
    IReadOnlyList<string> AssignedTo,
    DateOnly Due,
    DateTimeOffset DraftedAt)
{
    public ReviewStatus Status { get; init; } = ReviewStatus.Draft;

    public DateTimeOffset? CompletedAt { get; init; }

    public string? CompletedBy { get; init; }

    public ReviewNotice Notice { get; init; } = ReviewNotice.Pending;

    /// <summary>The stored row's ETag (null before it is stored).</summary>
    public string? ETag { get; init; }

    public bool WithinRto => Rto is not { } rto || AchievedRecovery <= rto;

    public bool WithinMtpd => Mtpd is not { } mtpd || AchievedRecovery <= mtpd;

    /// <summary>Where its documents are: <c>incident-reviews/{reviewId}/</c>.</summary>
    public string Folder => $"incident-reviews/{ReviewId}/";
}

/// <summary>The post-incident reviews (Table Storage: the Reviews table, PartitionKey the incident key, RowKey the review id).</summary>
public interface IReviewStore
{
    /// <summary>Stores a new review; false when the outage has one already (nothing written).</summary>
    Task<bool> AddAsync(PostIncidentReview review, CancellationToken cancellationToken);

    Task<PostIncidentReview?> FindAsync(string incidentKey, string reviewId, CancellationToken cancellationToken);

    /// <summary>Every review, the latest resolved first.</summary>
    Task<IReadOnlyList<PostIncidentReview>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a stored review, conditional on its ETag; the review with its new ETag, or null when it changed meanwhile.</summary>
    Task<PostIncidentReview?> UpdateAsync(PostIncidentReview review, CancellationToken cancellationToken);
}

/// <summary>The reviews' documents (Blob Storage: <c>incident-reviews/{reviewId}/{fileName}</c>).</summary>
public interface IReviewDocumentStore
{
    Task WriteAsync(string reviewId, ReportFile file, CancellationToken cancellationToken);
}
