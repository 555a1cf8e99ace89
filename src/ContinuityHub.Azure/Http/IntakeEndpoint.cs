using System.Globalization;
using System.Net.Http.Headers;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>What <c>POST /api/intake/{source}</c> answers with 202 Accepted.</summary>
public sealed record IntakeAccepted(string IncidentKey, string Level, bool Duplicate);

/// <summary>
/// <c>POST /api/intake/{source}</c>, the same in both hosts (the Functions app and <c>hub serve</c>): a webhook from an
/// ITSM tool, checked in this order, each refusal an RFC 7807 problem:
/// unknown source 404; body over 1 MB 413 (Content-Length first, then at most 1 MB and one byte read);
/// signature or token checked with the source's secret (<c>Intake:Sources:{source}:Secret</c>) 401;
/// content type other than JSON 415 (none at all is taken when the body parses); then the intake itself:
/// an invalid payload 400 naming every field, else 202 Accepted with <c>{incidentKey, level, duplicate}</c> and
/// <c>Location: /api/incidents/{key}</c>. Refusals with 401, 413 and 415 are audited (never the body); an invalid
/// payload is archived as rejected and audited by the intake.
/// </summary>
public sealed class IntakeEndpoint(
    IntakeService intake,
    IConfiguration configuration,
    IAuditLog audit,
    TimeProvider time,
    ILogger<IntakeEndpoint> logger)
{
    /// <summary>The route below the <c>api</c> prefix.</summary>
    public const string Route = "intake/{source}";

    /// <summary>What the audit log calls a refused webhook.</summary>
    public const string RefusedAction = "WebhookRefused";

    public async Task<IResult> HandleAsync(string source, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await ReceiveAsync(source, request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, request.HttpContext, logger);
        }
    }

    private async Task<IResult> ReceiveAsync(string source, HttpRequest request, CancellationToken cancellationToken)
    {
        var context = request.HttpContext;
        if (!IncidentParsers.TryGetSource(source, out var from))
        {
            Log.UnknownSource(logger, source);
            return HttpProblems.Create(
                context,
                StatusCodes.Status404NotFound,
                "Unknown intake source",
                $"There is no intake source '{source}'; the hub takes {string.Join(", ", CatalogNames.SourceNames)}.");
        }

        var name = CatalogNames.Name(from);
        var body = await RequestBody.ReadAsync(request, IntakeService.MaxBodyBytes, cancellationToken);
        if (body is not { } payload)
        {
            var size = request.ContentLength is { } length
                ? string.Create(CultureInfo.InvariantCulture, $"The body is {length} bytes")
                : "The body is longer than that";
            return await RefuseAsync(
                from,
                request,
                HttpProblems.Create(
                    context,
                    StatusCodes.Status413PayloadTooLarge,
                    "Payload too large",
                    string.Create(CultureInfo.InvariantCulture, $"The intake takes at most {IntakeService.MaxBodyBytes} bytes (1 MB). {size}.")),
                "body over 1 MB",
                cancellationToken);
        }

        var setting = WebhookAuthenticator.SecretSetting(from);
        var authentication = WebhookAuthenticator.Verify(
            from,
            configuration[setting],
            payload.Span,
            header => request.Headers.TryGetValue(header, out var values) && values.Count > 0 ? values.ToString() : null,
            query => request.Query.TryGetValue(query, out var values) && values.Count > 0 ? values.ToString() : null);
        if (authentication != WebhookAuthentication.Verified)
        {
            var (title, detail) = Explain(from, name, setting, authentication);
            return await RefuseAsync(
                from,
                request,
                HttpProblems.Create(context, StatusCodes.Status401Unauthorized, title, detail),
                authentication == WebhookAuthentication.NotConfigured ? $"source not configured ({setting} is not set)" : $"{authentication.ToString().ToLowerInvariant()} signature or token",
                cancellationToken);
        }

        if (!IsJson(request.ContentType))
        {
            return await RefuseAsync(
                from,
                request,
                HttpProblems.Create(
                    context,
                    StatusCodes.Status415UnsupportedMediaType,
                    "Unsupported media type",
                    $"The intake takes JSON (application/json or a +json type), not '{request.ContentType}'."),
                $"content type '{request.ContentType}'",
                cancellationToken);
        }

        var result = await intake.ReceiveAsync(new IntakeRequest(from, payload, IntakeChannel.Http), cancellationToken);
        return TypedResults.Accepted(
            IncidentEndpoint.Location(result.IncidentKey),
            new IntakeAccepted(result.IncidentKey, result.Level.ToString(), result.Duplicate));
    }

    /// <summary>JSON, or no content type at all (then the body must parse).</summary>
    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType is not { } type)
        {
            return false;
        }

        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static (string Title, string Detail) Explain(AliasSource source, string name, string setting, WebhookAuthentication authentication)
    {
        if (authentication == WebhookAuthentication.NotConfigured)
        {
            return (
                "Intake source not configured",
                $"The source '{name}' is not configured: set {setting} (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}) to the secret the tool signs with. Until then every delivery from it is refused.");
        }

        var how = source switch
        {
            AliasSource.PagerDuty => $"the {WebhookAuthenticator.PagerDutySignatureHeader} header (v1=<hex HMAC-SHA256 of the body>)",
            AliasSource.Jira => $"the {WebhookAuthenticator.HubSignatureHeader} header (sha256=<hex HMAC-SHA256 of the body>)",
            AliasSource.Alertmanager => $"the {WebhookAuthenticator.AuthorizationHeader} header (Bearer <secret>, or Basic auth with the secret as password)",
            _ => $"the {WebhookAuthenticator.TokenHeader} header or the '{WebhookAuthenticator.TokenQuery}' query parameter (the shared secret)",
        };
        return authentication == WebhookAuthentication.Missing
            ? ("Signature missing", $"A delivery from '{name}' must be signed: {how}.")
            : ("Signature invalid", $"The signature or token of this '{name}' delivery does not match the configured secret; it is expected in {how}.");
    }

    private async Task<IResult> RefuseAsync(AliasSource source, HttpRequest request, IResult problem, string reason, CancellationToken cancellationToken)
    {
        var name = CatalogNames.Name(source);
        var status = (problem as IStatusCodeHttpResult)?.StatusCode ?? 0;
        var from = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
        Log.Refused(logger, name, status, reason, from);
        try
        {
            await audit.AppendAsync(
                new AuditEntry(
                    time.GetUtcNow(),
                    $"intake:{name}",
                    RefusedAction,
                    $"{request.Method} {request.Path}",
                    string.Create(CultureInfo.InvariantCulture, $"{status}: {reason}; from {from}")),
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The refusal stands without its audit line; the log has both.
            Log.AuditFailed(logger, e, name, status);
        }

        return problem;
    }
}
