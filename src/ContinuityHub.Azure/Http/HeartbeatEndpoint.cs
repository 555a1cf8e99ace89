using System.Globalization;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Heartbeats;
using ContinuityHub.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>A heartbeat as the HTTP routes and <c>hub heartbeats list --json</c> show it (times ISO 8601 UTC, durations in seconds).</summary>
public sealed record HeartbeatView(
    string Service,
    string Heartbeat,
    string State,
    string? LastRecoveryPoint,
    string? LastBeatAt,
    long ExposureSeconds,
    long RpoSeconds,
    long EverySeconds,
    string? PausedUntil,
    string? PauseReason,
    string? Message = null)
{
    public static HeartbeatView From(HeartbeatStatus status, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new HeartbeatView(
            status.Service.Id,
            status.Declaration.Name,
            status.State.ToString(),
            Time(status.LastRecoveryPoint),
            Time(status.LastBeatAt),
            (long)status.Exposure.TotalSeconds,
            (long)status.Service.Rpo.TotalSeconds,
            (long)status.Declaration.Every.TotalSeconds,
            Time(status.PausedUntil),
            status.PauseReason,
            message);
    }

    private static string? Time(DateTimeOffset? at) => at is { } value ? AssessmentJson.Time(value) : null;
}

/// <summary>
/// The heartbeat routes, the same in both hosts, authenticated as the generic source is: the secret
/// <c>Intake:Sources:heartbeat:Secret</c> in the <c>X-Hub-Token</c> header (or <c>?token=</c>).
/// <c>POST /api/heartbeats/{serviceId}/{name}</c> (optional body <c>{"recoveryPointAt": "…"}</c>, default now): 200
/// recorded, 202 recorded while paused, 404 undeclared (nothing created); <c>…/pause</c> (optional
/// <c>{"until": "…", "reason": "…"}</c>) and <c>…/resume</c>: 200. A bad body is a 400 problem naming the field;
/// a missing or wrong token 401.
/// </summary>
public sealed class HeartbeatEndpoint(HeartbeatService heartbeats, IConfiguration configuration, ILogger<HeartbeatEndpoint> logger)
{
    public const string Route = "heartbeats/{serviceId}/{name}";
    public const string PauseRoute = "heartbeats/{serviceId}/{name}/pause";
    public const string ResumeRoute = "heartbeats/{serviceId}/{name}/resume";

    private const int MaxBodyBytes = 8 * 1024;

    public Task<IResult> BeatAsync(string serviceId, string name, HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request, async fields =>
            await heartbeats.BeatAsync(serviceId, name, Time(fields, "recoveryPointAt"), cancellationToken), pausing: false, cancellationToken);

    public Task<IResult> PauseAsync(string serviceId, string name, HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request, async fields =>
            await heartbeats.PauseAsync(serviceId, name, Time(fields, "until"), Text(fields, "reason"), cancellationToken), pausing: true, cancellationToken);

    public Task<IResult> ResumeAsync(string serviceId, string name, HttpRequest request, CancellationToken cancellationToken) =>
        HandleAsync(request, async _ => await heartbeats.ResumeAsync(serviceId, name, cancellationToken), pausing: false, cancellationToken);

    private async Task<IResult> HandleAsync(HttpRequest request, Func<JsonElement?, Task<BeatResult>> act, bool pausing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            var secret = configuration[WebhookAuthenticator.SecretSetting(AliasSource.Heartbeat)];
            var authentication = WebhookAuthenticator.VerifyHeaders(
                AliasSource.Heartbeat, secret, name => request.Headers[name].FirstOrDefault(), name => request.Query[name].FirstOrDefault());
            if (authentication != WebhookAuthentication.Verified)
            {
                var detail = authentication == WebhookAuthentication.NotConfigured
                    ? $"Heartbeats are refused until {WebhookAuthenticator.SecretSetting(AliasSource.Heartbeat)} is set."
                    : $"Send the secret {WebhookAuthenticator.SecretSetting(AliasSource.Heartbeat)} in the {WebhookAuthenticator.TokenHeader} header.";
                return HttpProblems.Create(context, StatusCodes.Status401Unauthorized, "Heartbeat not authenticated", detail);
            }

            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
            if (body is not { } bytes)
            {
                return HttpProblems.Create(context, StatusCodes.Status413PayloadTooLarge, "Heartbeat too large", $"A heartbeat body holds at most {MaxBodyBytes} bytes.");
            }

            JsonElement? fields = null;
            if (!bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
            {
                try
                {
                    using var json = JsonDocument.Parse(bytes);
                    fields = json.RootElement.ValueKind == JsonValueKind.Object
                        ? json.RootElement.Clone()
                        : throw new HubValidationException([new ValidationProblem(string.Empty, "expected a JSON object, e.g. {\"recoveryPointAt\": \"2026-11-24T02:10:00Z\"}")]);
                }
                catch (JsonException e)
                {
                    throw new HubValidationException([new ValidationProblem(string.Empty, $"not JSON: {e.Message}")]);
                }
            }

            var result = await act(fields);
            return result.Outcome switch
            {
                BeatOutcome.Undeclared => HttpProblems.Create(context, StatusCodes.Status404NotFound, "No such heartbeat", result.Message),
                BeatOutcome.Paused when !pausing => TypedResults.Json(HeartbeatView.From(result.Status!, result.Message), statusCode: StatusCodes.Status202Accepted),
                _ => TypedResults.Json(HeartbeatView.From(result.Status!, result.Message), statusCode: StatusCodes.Status200OK),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    private static DateTimeOffset? Time(JsonElement? fields, string name)
    {
        if (Text(fields, name) is not { } text)
        {
            return null;
        }

        return TryParseTime(text, out var at)
            ? at
            : throw new HubValidationException([new ValidationProblem(name, $"'{HumanText.Truncate(text, 60)}' is not an ISO 8601 time with an offset, e.g. 2026-11-24T02:10:00Z")]);
    }

    /// <summary>
    /// A time as the routes and <c>hub heartbeats pause --until</c> take it: ISO 8601 with an offset (<c>Z</c> or
    /// <c>+01:00</c>), in UTC.
    /// </summary>
    public static bool TryParseTime(string text, out DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at) && at.Year >= 1601 && HasOffset(text);
        at = parsed ? at.ToUniversalTime() : default;
        return parsed;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static string? Text(JsonElement? fields, string name)
    {
        if (fields is not { } root || !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new HubValidationException([new ValidationProblem(name, $"expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}")]);
    }
}
