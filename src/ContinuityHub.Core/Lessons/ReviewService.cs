using System.Globalization;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Lessons;

/// <summary>What one run of the review timer did.</summary>
public sealed record ReviewTickResult(int Drafted, int Notified);

/// <summary>
/// Lessons learned from real events. The <c>DraftPostIncidentReviews</c> timer (<c>hub serve</c> runs it too) finds
/// each real incident (not an exercise's) that reached Alert or above and is resolved, and drafts its outage's
/// review once (the Reviews table refuses a second), writes its documents to <c>incident-reviews/{reviewId}/</c> and
/// tells the plan owners in Teams (an activity notification linking the review; e-mail where the feed cannot reach
/// them and mail is on). A notice Teams could not take now is tried again at the next tick. Corrective actions are
/// kept like exercise findings (the Findings table, <c>review~{reviewId}</c>).
/// </summary>
public sealed partial class ReviewService(
    ICatalogProvider catalogs,
    IIncidentStore incidents,
    IAlertStore alerts,
    IReviewStore reviews,
    IReviewDocumentStore documents,
    IFindingStore findings,
    ITeamsGateway teams,
    IDocumentLinks links,
    NotificationChannels channels,
    TimeProvider time,
    ILogger<ReviewService> logger) : IReviewSource
{
    /// <summary>The activity type the Teams app manifest declares for a review assigned.</summary>
    public const string ActivityType = "reviewAssigned";

    /// <summary>How far back (by start) the timer looks for resolved incidents without a review.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(30);

    public async Task<ReviewTickResult> DraftDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = (await catalogs.GetAsync(cancellationToken)).Catalog;
        int drafted = 0, notified = 0;
        await foreach (var history in incidents.ListHistoriesAsync(now - LookBack, now, cancellationToken))
        {
            var incident = history.Incident.Incident;
            if (incident.Exercise is not null || incident.IsOpen || incident.ResolvedAt is null
                || history.Assessments.Where(a => a.At >= incident.StartedAt).Select(a => a.Level).DefaultIfEmpty(AssessmentLevel.None).Max() < AssessmentLevel.Alert)
            {
                continue;
            }

            try
            {
                var reviewId = ReviewDrafts.ReviewIdOf(incident.Key, incident.StartedAt);
                var review = await reviews.FindAsync(incident.Key, reviewId, cancellationToken);
                if (review is null)
                {
                    var key = incident.Key;
                    var stored = new ExerciseIncident(history, await alerts.ListAlertsAsync(key, cancellationToken), await alerts.ListRunsAsync(key, cancellationToken), await alerts.ListTokensAsync(key, cancellationToken));
                    if (ReviewDrafts.Draft(stored, catalog, now) is not { } draft)
                    {
                        continue;
                    }

                    foreach (var file in ReviewDrafts.Render(draft.Review, draft.Timeline))
                    {
                        await documents.WriteAsync(draft.Review.ReviewId, file, cancellationToken);
                    }

                    if (!await reviews.AddAsync(draft.Review, cancellationToken))
                    {
                        continue; // drafted meanwhile by another run of the timer
                    }

                    drafted++;
                    Log.Drafted(logger, draft.Review.ReviewId, key, draft.Review.AssignedTo);
                    review = await reviews.FindAsync(key, reviewId, cancellationToken);
                }

                if (review is { Notice: ReviewNotice.Pending } && await NotifyAsync(review, cancellationToken))
                {
                    notified++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One incident's trouble waits for the next tick; the others go on.
                Log.Failed(logger, incident.Key, e);
            }
        }

        return new ReviewTickResult(drafted, notified);
    }

    /// <summary>Every review, the latest resolved first.</summary>
    public Task<IReadOnlyList<PostIncidentReview>> ListAsync(CancellationToken cancellationToken) => reviews.ListAsync(cancellationToken);

    /// <summary>The corrective actions of one review, or of all when <paramref name="reviewId"/> is null.</summary>
    public async Task<IReadOnlyList<StoredFinding>> ActionsAsync(string? reviewId, CancellationToken cancellationToken) =>
        await findings.ListAsync(FindingOrigin.Review, reviewId, cancellationToken);

    /// <summary>Adds a corrective action to a review (fields checked as an exercise finding's; default id the next <c>CA-{n}</c>).</summary>
    public async Task<FindingAddResult> AddActionAsync(string reviewId, string? id, string? text, string? owner, string? due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviewId);
        if ((await reviews.ListAsync(cancellationToken)).All(r => r.ReviewId != reviewId))
        {
            return new FindingAddResult(FindingAddOutcome.NotFound, null);
        }

        var taken = (await ActionsAsync(reviewId, cancellationToken)).Select(f => f.Finding.Id);
        Finding action;
        try
        {
            action = FindingRules.Check(id, text, owner, due, taken, "CA");
        }
        catch (FindingTakenException)
        {
            return new FindingAddResult(FindingAddOutcome.Conflict, null);
        }

        return await findings.AddAsync(FindingOrigin.Review, reviewId, action, cancellationToken)
            ? new FindingAddResult(FindingAddOutcome.Added, action)
            : new FindingAddResult(FindingAddOutcome.Conflict, null);
    }

    /// <summary>Closes a corrective action on <paramref name="closed"/> (default today, UTC); null when the review has no such action.</summary>
    public async Task<Finding?> CloseActionAsync(string reviewId, string actionId, DateOnly? closed, CancellationToken cancellationToken)
    {
        var on = closed ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stored = (await ActionsAsync(reviewId, cancellationToken)).FirstOrDefault(f => string.Equals(f.Finding.Id, actionId, StringComparison.OrdinalIgnoreCase));
            if (stored is null)
            {
                return null;
            }

            var done = stored.Finding with { Closed = on };
            if (await findings.UpdateAsync(stored with { Finding = done }, cancellationToken))
            {
                return done;
            }
        }

        throw new ConcurrencyConflictException($"The corrective action '{actionId}' kept changing while it was closed; try again.");
    }

    /// <summary>Marks a review completed by <paramref name="by"/>; null when there is no such review.</summary>
    public async Task<PostIncidentReview?> CompleteAsync(string reviewId, string by, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var review = (await reviews.ListAsync(cancellationToken)).FirstOrDefault(r => r.ReviewId == reviewId);
            if (review is null || review.Status == ReviewStatus.Completed)
            {
                return review;
            }

            if (await reviews.UpdateAsync(review with { Status = ReviewStatus.Completed, CompletedAt = time.GetUtcNow(), CompletedBy = by }, cancellationToken) is { } done)
            {
                return done;
            }
        }

        throw new ConcurrencyConflictException($"The review '{reviewId}' kept changing while it was completed; try again.");
    }

    /// <summary>The reviews as the continuity report reads them, with their corrective actions.</summary>
    public async Task<IReadOnlyList<ReviewFact>> ListReviewsAsync(CancellationToken cancellationToken)
    {
        var actions = (await ActionsAsync(null, cancellationToken)).ToLookup(a => a.Owner, a => a.Finding, StringComparer.Ordinal);
        return [.. (await reviews.ListAsync(cancellationToken)).Select(r => new ReviewFact(
            r.ReviewId,
            r.IncidentKey,
            r.Title,
            r.Plans.Count > 0 ? r.Plans[0].Plan : string.Empty,
            string.Join(", ", r.AssignedTo),
            r.Due,
            r.Status == ReviewStatus.Completed,
            r.Status.ToString(),
            [.. actions[r.ReviewId]]))];
    }

    /// <summary>Tells each owner the review is theirs; true when every one was told now.</summary>
    private async Task<bool> NotifyAsync(PostIncidentReview review, CancellationToken cancellationToken)
    {
        Uri? link = null;
        try
        {
            link = await links.ReviewLinkAsync(review.ReviewId, ReviewDrafts.HtmlFile, time.GetUtcNow() + ReportAnnouncer.LinkLifetime, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.NoLink(logger, review.ReviewId, e);
        }

        var url = link?.ToString() ?? "/api/incidents/" + Uri.EscapeDataString(review.IncidentKey);
        var state = ReviewNotice.Sent;
        foreach (var owner in review.AssignedTo)
        {
            var notice = new ActivityNotice(
                ActivityType,
                HumanText.Truncate($"Post-incident review: {review.Title}", 200),
                HumanText.Truncate(string.Create(CultureInfo.InvariantCulture, $"Drafted for you to complete by {review.Due:yyyy-MM-dd}: {HumanText.Duration(review.AchievedRecovery)} outage, highest level {review.HighestLevel}."), 150),
                url,
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["incident"] = HumanText.Truncate(review.Title, 100),
                    ["due"] = review.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                });
            try
            {
                await teams.NotifyActivityAsync(owner, notice, cancellationToken);
            }
            catch (TeamsDeliveryException e) when (!e.Transient)
            {
                if (!channels.Mail)
                {
                    Log.Refused(logger, review.ReviewId, owner, e.Message);
                    state = ReviewNotice.Failed;
                    continue;
                }

                // The activity feed cannot reach this owner (no Teams app, no licence): e-mail.
                var body = $"<p>{System.Net.WebUtility.HtmlEncode(notice.PreviewText)}</p><p><a href=\"{System.Net.WebUtility.HtmlEncode(url)}\">Open the review</a></p>";
                await teams.SendMailAsync(owner, new MailNotice(notice.Topic, body), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.NotYet(logger, review.ReviewId, owner, e.Message);
                return false;
            }
        }

        await reviews.UpdateAsync(review with { Notice = state }, cancellationToken);
        return state == ReviewNotice.Sent;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7200, Level = LogLevel.Information, Message = "Post-incident review {ReviewId} drafted for {IncidentKey}, assigned to {Owners}")]
        public static partial void Drafted(ILogger logger, string reviewId, string incidentKey, IReadOnlyList<string> owners);

        [LoggerMessage(EventId = 7201, Level = LogLevel.Error, Message = "Post-incident review of {IncidentKey} could not be drafted now; the next tick tries again")]
        public static partial void Failed(ILogger logger, string incidentKey, Exception exception);

        [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Review {ReviewId}: {Owner} not told yet ({Reason}); the next tick tries again")]
        public static partial void NotYet(ILogger logger, string reviewId, string owner, string reason);

        [LoggerMessage(EventId = 7203, Level = LogLevel.Error, Message = "Review {ReviewId}: Teams refused to tell {Owner} ({Reason}) and no e-mail fallback is configured")]
        public static partial void Refused(ILogger logger, string reviewId, string owner, string reason);

        [LoggerMessage(EventId = 7204, Level = LogLevel.Warning, Message = "No link to review {ReviewId}; the notice links the incident instead")]
        public static partial void NoLink(ILogger logger, string reviewId, Exception exception);
    }
}
