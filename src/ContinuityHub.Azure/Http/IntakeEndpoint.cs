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
/// ITSM tool, checked in this order, each refusal an RFC 7807 problem: unknown source 404; what the headers settle
/// (no secret, signature or token missing or provably wrong) 401 before any of the body is read; body over 1 MB 413
/// (Content-Length first, then at most 1 MB and one byte read); a stalled body 408, an aborted or malformed one 400,
/// both at warning; the body's signature (<c>Intake:Sources:{source}:Secret</c>) 401; content type other than JSON
/// 415 (none at all is taken when the body parses); then the intake itself: an invalid payload 400 naming every field,
/// an unprocessable one 422, storage past <c>Intake:StorageDeadlineSeconds</c> or failing (or anything unexpected) 503
/// with Retry-After, never 500; else 202 Accepted with <c>{incidentKey, level, duplicate}</c> and
/// <c>Location: /api/incidents/{key}</c>. Refusals before the intake are counted by <see cref="RefusalAudit"/> (one
/// audit row per source, status and reason a minute, never the body); an invalid payload is archived as rejected and
/// audited by the intake.
/// </summary>
public sealed class IntakeEndpoint(
    IntakeService intake,
    IConfiguration configuration,
    RefusalAudit refusals,
    TimeProvider time,
    ILogger<IntakeEndpoint> logger)
{
    /// <summary>The route below the <c>api</c> prefix.</summary>
    public const string Route = "intake/{source}";

    /// <summary>The setting that bounds the storage calls of one delivery, in seconds.</summary>
    public const string StorageDeadlineSetting = "Intake:StorageDeadlineSeconds";

    /// <summary>Seconds the storage calls of one delivery may take by default.</summary>
    public const int DefaultStorageDeadlineSeconds = 10;

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
            return HttpProblems.FromException(e, request.HttpContext, logger, senderRetries: true);
        }
    }

    /// <summary>Seconds the storage calls of one delivery may take before the sender is told 503 (<c>Intake:StorageDeadlineSeconds</c>).</summary>
    internal int StorageDeadlineSeconds =>
        int.TryParse(configuration[StorageDeadlineSetting], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : DefaultStorageDeadlineSeconds;

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
        var setting = WebhookAuthenticator.SecretSetting(from);
        var secret = configuration[setting];
        string? Header(string header) => request.Headers.TryGetValue(header, out var values) && values.Count > 0 ? values.ToString() : null;
        string? Query(string query) => request.Query.TryGetValue(query, out var values) && values.Count > 0 ? values.ToString() : null;

        // What the headers settle is settled before a byte of the body is read.
        if (WebhookAuthenticator.VerifyHeaders(from, secret, Header, Query) is { } early && early != WebhookAuthentication.Verified)
        {
            return Unauthorized(from, name, setting, early, request);
        }

        ReadOnlyMemory<byte>? body;
        try
        {
            body = await RequestBody.ReadAsync(request, IntakeService.MaxBodyBytes, cancellationToken);
        }
        catch (Exception e) when (BodyFault(e, cancellationToken) is { } fault)
        {
            Log.BodyFailed(logger, name, fault.Status, fault.Reason, RemoteAddress(request));
            return HttpProblems.Create(context, fault.Status, fault.Title, fault.Detail);
        }

        if (body is not { } payload)
        {
            var size = request.ContentLength is { } length
                ? string.Create(CultureInfo.InvariantCulture, $"The body is {length} bytes")
                : "The body is longer than that";
            return Refuse(
                from,
                request,
                HttpProblems.Create(
                    context,
                    StatusCodes.Status413PayloadTooLarge,
                    "Payload too large",
                    string.Create(CultureInfo.InvariantCulture, $"The intake takes at most {IntakeService.MaxBodyBytes} bytes (1 MB). {size}.")),
                "body over 1 MB");
        }

        var authentication = WebhookAuthenticator.Verify(from, secret, payload.Span, Header, Query);
        if (authentication != WebhookAuthentication.Verified)
        {
            return Unauthorized(from, name, setting, authentication, request);
        }

        if (!IsJson(request.ContentType))
        {
            return Refuse(
                from,
                request,
                HttpProblems.Create(
                    context,
                    StatusCodes.Status415UnsupportedMediaType,
                    "Unsupported media type",
                    $"The intake takes JSON (application/json or a +json type), not '{request.ContentType}'."),
                $"content type '{request.ContentType}'");
        }

        var seconds = StorageDeadlineSeconds;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        IntakeResult result;
        try
        {
            result = await intake.ReceiveAsync(new IntakeRequest(from, payload, IntakeChannel.Http), linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.DeadlinePassed(logger, name, seconds);
            return HttpProblems.RetryLater(HttpProblems.Create(
                context,
                StatusCodes.Status503ServiceUnavailable,
                "Storage unavailable",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The hub's storage did not answer within {seconds} s; the delivery may not be kept. Send it again later: the same delivery twice counts once.")));
        }

        return TypedResults.Accepted(
            IncidentEndpoint.Location(result.IncidentKey),
            new IntakeAccepted(result.IncidentKey, result.Level.ToString(), result.Duplicate));
    }

    /// <summary>
    /// What a body that could not be read is answered: Kestrel's own verdict (408 for a body that stalled below the
    /// minimum data rate, 400 for a malformed one, 413 over its limit), 400 for one the client aborted. Null for
    /// anything else.
    /// </summary>
    private static BodyRefusal? BodyFault(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new(
            StatusCodes.Status408RequestTimeout,
            "Request timeout",
            "The body did not arrive in time (it stalled below the minimum data rate); nothing was kept. Send it again.",
            "body stalled"),
        BadHttpRequestException bad => new(
            bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest,
            bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request",
            $"The body could not be read ({bad.Message}); nothing was kept.",
            "body unreadable"),
        IOException or OperationCanceledException when !cancellationToken.IsCancellationRequested || exception is IOException => new(
            StatusCodes.Status400BadRequest,
            "Bad request",
            "The body ended before it was complete (the connection was aborted); nothing was kept. Send it again.",
            "body aborted"),
        _ => null,
    };

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

    private static string RemoteAddress(HttpRequest request) => request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";

    private IResult Unauthorized(AliasSource from, string name, string setting, WebhookAuthentication authentication, HttpRequest request)
    {
        var (title, detail) = Explain(from, name, setting, authentication);
        return Refuse(
            from,
            request,
            HttpProblems.Create(request.HttpContext, StatusCodes.Status401Unauthorized, title, detail),
            authentication == WebhookAuthentication.NotConfigured ? $"source not configured ({setting} is not set)" : $"{authentication.ToString().ToLowerInvariant()} signature or token");
    }

    /// <summary>A refusal, counted for the aggregated audit (one row per source, status and reason a minute).</summary>
    private IResult Refuse(AliasSource source, HttpRequest request, IResult problem, string reason)
    {
        var status = (problem as IStatusCodeHttpResult)?.StatusCode ?? 0;
        refusals.Record(CatalogNames.Name(source), status, reason, RemoteAddress(request));
        return problem;
    }

    private sealed record BodyRefusal(int Status, string Title, string Detail, string Reason);
}
