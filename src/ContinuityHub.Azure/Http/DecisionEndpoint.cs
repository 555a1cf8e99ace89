using System.Text.Encodings.Web;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>What <c>/api/decisions/{token}</c> answers in JSON.</summary>
public sealed record DecisionAnswer(string Outcome, string Message, string? IncidentKey, string? Plan, string? Action);

/// <summary>
/// <c>GET|POST /api/decisions/{token}</c>, the same in both hosts. The signed token is the authentication (the links go
/// to people in Teams and e-mail, who hold no function key). GET checks the link and shows a confirmation page —
/// nothing changes on GET, because mail and chat link scanners open links; POST records the decision (a form field
/// <c>by</c> may name the person). Answers: 200 (ready / recorded), 401 forged, 410 expired or already used, 404 no
/// such alert, 409 the alert is past this decision. Browsers (Accept: text/html) get a page, other clients JSON (an
/// RFC 7807 problem for a refusal). Pages carry no script, a strict CSP, no referrer (the token is in the URL) and
/// are never cached.
/// </summary>
public sealed class DecisionEndpoint(DecisionService decisions, ILogger<DecisionEndpoint> logger)
{
    /// <summary>The route below the <c>api</c> prefix.</summary>
    public const string Route = "decisions/{token}";

    private const int MaxFormBytes = 4096;

    public async Task<IResult> HandleAsync(string token, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            DecisionResult result;
            if (HttpMethods.IsPost(request.Method))
            {
                result = await decisions.DecideAsync(token, await EnteredNameAsync(request, cancellationToken), cancellationToken);
            }
            else
            {
                result = await decisions.PreviewAsync(token, cancellationToken);
            }

            var status = result.Outcome switch
            {
                DecisionOutcome.Ready or DecisionOutcome.Recorded => StatusCodes.Status200OK,
                DecisionOutcome.Forged => StatusCodes.Status401Unauthorized,
                DecisionOutcome.Expired or DecisionOutcome.AlreadyUsed => StatusCodes.Status410Gone,
                DecisionOutcome.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status409Conflict,
            };

            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers["X-Robots-Tag"] = "noindex";
            if (WantsHtml(request))
            {
                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
                return TypedResults.Content(Page(result), "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
            }

            if (status >= 400)
            {
                return HttpProblems.Create(context, status, Title(result.Outcome), result.Message);
            }

            return TypedResults.Json(
                new DecisionAnswer(result.Outcome.ToString(), result.Message, result.Claim?.IncidentKey, result.Claim?.Plan, result.Claim?.Action.ToString()),
                statusCode: status);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    private static async Task<string?> EnteredNameAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Query.TryGetValue("by", out var fromQuery))
        {
            return fromQuery.ToString();
        }

        if (!request.HasFormContentType || request.ContentLength is > MaxFormBytes)
        {
            return null;
        }

        var form = await request.ReadFormAsync(cancellationToken);
        return form.TryGetValue("by", out var by) ? by.ToString() : null;
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Title(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Forged => "Decision link not valid",
        DecisionOutcome.Expired => "Decision link expired",
        DecisionOutcome.AlreadyUsed => "Decision link already used",
        DecisionOutcome.NotFound => "No such alert",
        _ => "Decision not applicable",
    };

    private static string Page(DecisionResult result)
    {
        var html = HtmlEncoder.Default;
        var heading = result.Outcome switch
        {
            DecisionOutcome.Ready => result.Claim!.Action switch
            {
                DecisionAction.Acknowledge => "Acknowledge the alert?",
                DecisionAction.Invoke => "Invoke the continuity plan?",
                _ => "Stand the crisis team down?",
            },
            DecisionOutcome.Recorded => "Recorded",
            _ => Title(result.Outcome),
        };
        var form = result.Outcome == DecisionOutcome.Ready
            ? $"""
              <form method="post">
                <label>Your name (recorded in the audit log)<br><input name="by" maxlength="100" value="{html.Encode(result.Claim!.UserHint.Contains('@', StringComparison.Ordinal) ? result.Claim.UserHint : string.Empty)}"></label>
                <p><button type="submit">{html.Encode(heading.TrimEnd('?'))}</button></p>
              </form>
              """
            : string.Empty;
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>ContinuityHub — {{html.Encode(heading)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}button{font-size:1rem;padding:.5rem 1.2rem}input{font-size:1rem;padding:.3rem;width:100%}</style>
            </head><body>
            <h1>{{html.Encode(heading)}}</h1>
            <p>{{html.Encode(result.Message)}}</p>
            {{form}}
            </body></html>
            """;
    }
}
