using System.Diagnostics;
using Azure;
using ContinuityHub.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ValidationProblemResult = Microsoft.AspNetCore.Http.HttpResults.ValidationProblem;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// The hub's HTTP answers to what went wrong: RFC 7807 problem details (<c>application/problem+json</c> with
/// <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>instance</c> and the request's <c>traceId</c>), and the
/// one mapping from the hub's own exceptions to them. Never a stack trace: an unexpected failure is logged with its
/// exception and answered with a trace id only.
/// </summary>
public static class HttpProblems
{
    /// <summary>Seconds a sender is asked to wait before it retries a delivery the hub could not take just now.</summary>
    public const int RetryAfterSeconds = 5;

    private static readonly Dictionary<int, string> s_types = new()
    {
        [StatusCodes.Status400BadRequest] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [StatusCodes.Status401Unauthorized] = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        [StatusCodes.Status404NotFound] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        [StatusCodes.Status409Conflict] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        [StatusCodes.Status408RequestTimeout] = "https://tools.ietf.org/html/rfc9110#section-15.5.9",
        [StatusCodes.Status410Gone] = "https://tools.ietf.org/html/rfc9110#section-15.5.11",
        [StatusCodes.Status413PayloadTooLarge] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [StatusCodes.Status415UnsupportedMediaType] = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        [StatusCodes.Status422UnprocessableEntity] = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        [StatusCodes.Status500InternalServerError] = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        [StatusCodes.Status503ServiceUnavailable] = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
    };

    /// <summary>A problem with the given status, title and detail.</summary>
    public static ProblemHttpResult Create(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = new ProblemDetails
        {
            Type = TypeOf(status),
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path.HasValue ? context.Request.Path.Value : null,
        };
        problem.Extensions["traceId"] = TraceId(context);
        return TypedResults.Problem(problem);
    }

    /// <summary>
    /// 400 with every problem by where it is: <c>errors</c> maps each path (<c>data.essentials.severity</c>; the
    /// body as a whole is <c>body</c>) to its messages, the shape of ASP.NET Core's ValidationProblemDetails.
    /// </summary>
    public static ValidationProblemResult Validation(HttpContext context, string title, IReadOnlyList<ContinuityHub.ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problems);
        var errors = problems
            .GroupBy(p => p.Path.Length == 0 ? "body" : p.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
        var detail = problems.Count == 0 ? "The input is invalid." : string.Join("; ", problems);
        return TypedResults.ValidationProblem(
            errors,
            detail,
            context.Request.Path.HasValue ? context.Request.Path.Value : null,
            title,
            TypeOf(StatusCodes.Status400BadRequest),
            new Dictionary<string, object?> { ["traceId"] = TraceId(context) });
    }

    /// <summary>
    /// The one mapping from what the hub throws to what a caller is told:
    /// <see cref="HubValidationException"/> 400 naming every field; <see cref="PayloadTooLargeException"/> 413;
    /// <see cref="UnprocessableDeliveryException"/> 422 (kept as rejected: sending it again will not help);
    /// <see cref="ConcurrencyConflictException"/> and storage that does not answer 503 with Retry-After (the delivery
    /// is safe to send again: the same delivery twice is a duplicate); anything else 500 with a trace id only (503 for a
    /// webhook, see <paramref name="senderRetries"/>).
    /// </summary>
    /// <param name="senderRetries">
    /// A webhook whose sender retries: then an unexpected failure is 503 with Retry-After too (the delivery is safe to
    /// send again, and a sender that retries loses nothing), never 500.
    /// </param>
    public static IResult FromException(Exception exception, HttpContext context, ILogger logger, bool senderRetries = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        var cause = Unwrap(exception);
        switch (cause)
        {
            case HubValidationException invalid:
                return Validation(context, "The payload is invalid", invalid.Problems);

            case PayloadTooLargeException tooLarge:
                return Create(context, StatusCodes.Status413PayloadTooLarge, "Payload too large", tooLarge.Message);

            case UnprocessableDeliveryException unprocessable:
                Log.Unprocessable(logger, context.Request.Method, context.Request.Path);
                return Create(context, StatusCodes.Status422UnprocessableEntity, "Delivery cannot be applied", unprocessable.Message);

            case ConcurrencyConflictException conflict:
                Log.Busy(logger, context.Request.Method, context.Request.Path, conflict.Message);
                return RetryLater(Create(context, StatusCodes.Status503ServiceUnavailable, "Incident busy", conflict.Message + " Send the delivery again later."));

            case RequestFailedException { Status: 0 or 408 or 429 or >= 500 }:
            case HttpRequestException:
            case TimeoutException:
            case OperationCanceledException:
                Log.Failed(logger, exception, context.Request.Method, context.Request.Path, StatusCodes.Status503ServiceUnavailable, TraceId(context));
                return RetryLater(Create(
                    context,
                    StatusCodes.Status503ServiceUnavailable,
                    "Storage unavailable",
                    "The hub's storage did not answer; nothing was acknowledged. Send the request again later."));

            case not null when senderRetries:
                Log.Failed(logger, exception, context.Request.Method, context.Request.Path, StatusCodes.Status503ServiceUnavailable, TraceId(context));
                return RetryLater(Create(
                    context,
                    StatusCodes.Status503ServiceUnavailable,
                    "Hub unavailable",
                    "The hub could not take the delivery just now. Send it again later: the same delivery twice counts once. The trace id identifies the fault in the hub's logs."));

            default:
                Log.Failed(logger, exception, context.Request.Method, context.Request.Path, StatusCodes.Status500InternalServerError, TraceId(context));
                return Create(
                    context,
                    StatusCodes.Status500InternalServerError,
                    "Unexpected error",
                    "The hub could not handle the request. The trace id identifies it in the hub's logs.");
        }
    }

    /// <summary>The id that ties a response to the hub's logs: the W3C trace id of the request's activity, else the request's own id.</summary>
    public static string TraceId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Activity.Current?.Id ?? context.TraceIdentifier;
    }

    private static string TypeOf(int status) => s_types.TryGetValue(status, out var type) ? type : "about:blank";

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: > 0 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;

    /// <summary>The answer with <c>Retry-After</c> (<see cref="RetryAfterSeconds"/>).</summary>
    public static IResult RetryLater(IResult inner) =>
        new WithHeaderResult(inner, "Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>An answer with one more response header.</summary>
    private sealed class WithHeaderResult(IResult inner, string name, string value) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
