using System.Text.Json;
using ContinuityHub.Exercises;
using ContinuityHub.Lessons;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// The post-incident reviews, the same in both hosts (a function key in Azure, <c>Serve:ApiKey</c> in <c>hub serve</c>):
/// <c>GET /api/lessons[?open=true]</c> 200 with every review (<see cref="ReviewView"/>); <c>GET /api/lessons/{reviewId}</c>
/// 200 or 404; <c>POST /api/lessons/{reviewId}/actions</c> (<c>{"id"?, "text", "owner", "due"}</c>) 201 with the
/// corrective action, 400 naming each field, 404 unknown review, 409 id taken.
/// </summary>
public sealed class LessonsEndpoint(ReviewService reviews, TimeProvider time, ILogger<LessonsEndpoint> logger)
{
    public const string Route = "lessons";
    public const string ItemRoute = "lessons/{reviewId}";
    public const string ActionsRoute = "lessons/{reviewId}/actions";

    private const int MaxBodyBytes = 8 * 1024;

    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var open = request.Query.TryGetValue("open", out var value) && bool.TryParse(value.ToString(), out var flag) && flag;
            return TypedResults.Ok(await ReviewView.ListAsync(reviews, open, time, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, request.HttpContext, logger);
        }
    }

    public async Task<IResult> GetAsync(string reviewId, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var review = (await ReviewView.ListAsync(reviews, false, time, cancellationToken)).FirstOrDefault(r => r.ReviewId == reviewId);
            return review is null ? NotFound(request.HttpContext, reviewId) : TypedResults.Ok(review);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, request.HttpContext, logger);
        }
    }

    public async Task<IResult> AddActionAsync(string reviewId, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } bytes)
            {
                return HttpProblems.Create(context, StatusCodes.Status413PayloadTooLarge, "Corrective action too large", $"A corrective action holds at most {MaxBodyBytes} bytes.");
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                using var json = JsonDocument.Parse(bytes);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new HubValidationException(string.Empty, "must be a JSON object");
                }

                foreach (var property in json.RootElement.EnumerateObject())
                {
                    fields[property.Name] = property.Name is "id" or "text" or "owner" or "due"
                        ? property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : throw new HubValidationException(property.Name, "must be a string")
                        : throw new HubValidationException(property.Name, "is not a field of this request (id, text, owner, due)");
                }
            }
            catch (JsonException e)
            {
                throw new HubValidationException(string.Empty, $"not JSON: {e.Message}");
            }

            var result = await reviews.AddActionAsync(reviewId, fields.GetValueOrDefault("id"), fields.GetValueOrDefault("text"), fields.GetValueOrDefault("owner"), fields.GetValueOrDefault("due"), cancellationToken);
            return result.Outcome switch
            {
                FindingAddOutcome.Added => TypedResults.Created($"/api/lessons/{Uri.EscapeDataString(reviewId)}", result.Finding),
                FindingAddOutcome.Conflict => HttpProblems.Create(context, StatusCodes.Status409Conflict, "Corrective action exists", $"'{fields.GetValueOrDefault("id")}' is taken in {reviewId}; give another id, or leave id out."),
                _ => NotFound(context, reviewId),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(HttpContext context, string reviewId) =>
        HttpProblems.Create(context, StatusCodes.Status404NotFound, "Review not found", $"There is no post-incident review '{reviewId}'.");
}
