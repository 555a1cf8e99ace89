using System.Text.Json;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>What <c>POST /api/automations/{token}</c> answers when it recorded the status.</summary>
public sealed record CallbackAnswer(string Outcome, string Message, string IncidentKey, string Plan, string Automation, string Status, string RecordedAt);

/// <summary>
/// <c>POST /api/automations/{token}</c>, the same in both hosts: an automation reports its status. The signed token
/// (in the callback URL the request carried) is the authentication; the body is JSON
/// <c>{"status": "started" | "succeeded" | "failed", "message": "…", "link": "https://…"}</c> (message and link
/// optional; the status may come as <c>?status=</c> instead, with no body). Answers: 202 recorded, 400 a problem
/// naming the field, 401 not a callback link of this hub, 410 expired or this status already reported (or the run
/// finished). Nothing is recorded but on 202.
/// </summary>
public sealed class AutomationEndpoint(AutomationCallbackService callbacks, ILogger<AutomationEndpoint> logger)
{
    /// <summary>The route below the <c>api</c> prefix.</summary>
    public const string Route = "automations/{token}";

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxLinkChars = 2048;

    public async Task<IResult> PostAsync(string token, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        context.Response.Headers.CacheControl = "no-store";
        try
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
            if (body is not { } bytes)
            {
                return HttpProblems.Create(context, StatusCodes.Status413PayloadTooLarge, "Callback too large", $"A callback body holds at most {MaxBodyBytes} bytes.");
            }

            var (report, problems) = Read(bytes, request.Query["status"].ToString());
            if (report is null)
            {
                return HttpProblems.Validation(context, "The callback is not valid", problems);
            }

            var result = await callbacks.ReportAsync(token, report.Value.Status, report.Value.Message, report.Value.Link, cancellationToken);
            return result.Outcome switch
            {
                CallbackOutcome.Recorded => TypedResults.Json(
                    new CallbackAnswer(
                        result.Outcome.ToString(),
                        result.Message,
                        result.Claim!.IncidentKey,
                        result.Claim.Plan,
                        result.Claim.Automation,
                        AutomationCallbackService.Name(report.Value.Status),
                        Assessment.AssessmentJson.Time(result.Report!.At)),
                    statusCode: StatusCodes.Status202Accepted),
                CallbackOutcome.Forged => HttpProblems.Create(context, StatusCodes.Status401Unauthorized, "Callback link not valid", result.Message),
                CallbackOutcome.AlreadyReported => HttpProblems.Create(context, StatusCodes.Status410Gone, "Status already reported", result.Message),
                _ => HttpProblems.Create(context, StatusCodes.Status410Gone, "Callback link no longer valid", result.Message),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    /// <summary>The status, message and link of a callback body (or of <paramref name="queryStatus"/> with an empty body), or the problems with it.</summary>
    public static ((AutomationStatus Status, string? Message, Uri? Link)? Report, IReadOnlyList<ValidationProblem> Problems) Read(ReadOnlyMemory<byte> body, string? queryStatus)
    {
        var problems = new List<ValidationProblem>();
        string? status = null, message = null, link = null;
        if (body.Length == 0 || body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            status = string.IsNullOrEmpty(queryStatus) ? null : queryStatus;
        }
        else
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, [new ValidationProblem(string.Empty, "expected a JSON object, e.g. {\"status\": \"succeeded\"}")]);
                }

                status = Text(json.RootElement, "status", problems) ?? (string.IsNullOrEmpty(queryStatus) ? null : queryStatus);
                message = Text(json.RootElement, "message", problems);
                link = Text(json.RootElement, "link", problems);
            }
            catch (JsonException e)
            {
                return (null, [new ValidationProblem(string.Empty, $"not JSON: {e.Message}")]);
            }
        }

        AutomationStatus? parsed = status?.ToLowerInvariant() switch
        {
            "started" => AutomationStatus.Started,
            "succeeded" => AutomationStatus.Succeeded,
            "failed" => AutomationStatus.Failed,
            _ => null,
        };
        if (parsed is null)
        {
            problems.Add(new ValidationProblem("status", status is null ? "required: started, succeeded or failed" : $"'{status}' is not a status: started, succeeded or failed"));
        }

        if (message is { Length: > AutomationRun.MaxMessageChars })
        {
            problems.Add(new ValidationProblem("message", $"at most {AutomationRun.MaxMessageChars} characters (it has {message.Length})"));
        }

        Uri? uri = null;
        if (link is not null && (link.Length > MaxLinkChars || !Uri.TryCreate(link, UriKind.Absolute, out uri) || uri.Scheme is not ("https" or "http")))
        {
            problems.Add(new ValidationProblem("link", "expected an absolute http(s) URL of the run (a job, a pipeline run)"));
        }

        return problems.Count > 0 ? (null, problems) : ((parsed!.Value, message, uri), problems);
    }

    private static string? Text(JsonElement root, string name, List<ValidationProblem> problems)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new ValidationProblem(name, $"expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}"));
            return null;
        }

        return value.GetString();
    }
}
