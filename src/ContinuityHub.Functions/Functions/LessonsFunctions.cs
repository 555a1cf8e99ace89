using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>The post-incident reviews and their corrective actions, behind a function key; each body hands the request to the endpoint <c>hub serve</c> maps too.</summary>
public sealed class LessonsFunctions(LessonsEndpoint lessons)
{
    /// <summary><c>GET /api/lessons[?open=true]</c>: every review, the latest resolved first.</summary>
    [Function(nameof(ListReviews))]
    public Task<IResult> ListReviews(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = LessonsEndpoint.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        lessons.ListAsync(request, cancellationToken);

    /// <summary><c>GET /api/lessons/{reviewId}</c>: one review, or 404.</summary>
    [Function(nameof(GetReview))]
    public Task<IResult> GetReview(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = LessonsEndpoint.ItemRoute)] HttpRequest request,
        string reviewId,
        CancellationToken cancellationToken) =>
        lessons.GetAsync(reviewId, request, cancellationToken);

    /// <summary><c>POST /api/lessons/{reviewId}/actions</c>: 201 with the corrective action, 400 naming fields, 404, 409.</summary>
    [Function(nameof(AddCorrectiveAction))]
    public Task<IResult> AddCorrectiveAction(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = LessonsEndpoint.ActionsRoute)] HttpRequest request,
        string reviewId,
        CancellationToken cancellationToken) =>
        lessons.AddActionAsync(reviewId, request, cancellationToken);
}
