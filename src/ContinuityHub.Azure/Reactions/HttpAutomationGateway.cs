using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Catalog;
using ContinuityHub.Notifications;
using ContinuityHub.Reactions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Reactions;

/// <summary>
/// Sends plans' automation requests: a webhook is an HTTPS POST of the CloudEvent (structured mode) with
/// <c>X-Hub-Signature-256: sha256={hex HMAC-SHA256 of the body}</c> when the automation names a signing secret; a
/// Service Bus automation is a message to its queue or topic carrying the same CloudEvent, its MessageId the event id
/// (duplicate detection drops a retry). 408, 429, 5xx and no answer are transient (the outbox retries); any other
/// refusal, a secret that does not exist or a URL that is not https is for good, shown in the ledger and on the card.
/// </summary>
public sealed partial class HttpAutomationGateway(
    IHttpClientFactory clients,
    IAutomationSecrets secrets,
    Func<string, ServiceBusSender>? serviceBus,
    ILogger<HttpAutomationGateway> logger) : IAutomationGateway
{
    /// <summary>The name of the <see cref="HttpClient"/> the factory gives the automations.</summary>
    public const string ClientName = "ContinuityHub.Automations";

    /// <summary>The header of the body's signature.</summary>
    public const string SignatureHeader = "X-Hub-Signature-256";

    private readonly Dictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The signature header's value: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static string Signature(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>The webhook request as it goes out (for <paramref name="url"/>; signed when <paramref name="signingSecret"/> is given).</summary>
    public static HttpRequestMessage Build(AutomationRequest request, Uri url, string? signingSecret)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(request.Body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(AutomationEvent.ContentType);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("ContinuityHub", "1.0"));
        message.Headers.Add("X-Hub-Event", AutomationEvent.Type);
        message.Headers.Add("X-Hub-Delivery", request.EventId);
        message.Headers.Add("X-Hub-Automation", request.Automation.Id);
        if (signingSecret is not null)
        {
            message.Headers.Add(SignatureHeader, Signature(signingSecret, request.Body.Span));
        }

        return message;
    }

    /// <summary>The Service Bus message carrying the request: the CloudEvent as body, its attributes as <c>cloudEvents_*</c> properties.</summary>
    public static ServiceBusMessage ToMessage(AutomationRequest request, string? signingSecret)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new ServiceBusMessage(request.Body)
        {
            MessageId = request.EventId,
            ContentType = AutomationEvent.ContentType,
            Subject = AutomationEvent.Type,
        };
        var properties = message.ApplicationProperties;
        properties["cloudEvents_specversion"] = "1.0";
        properties["cloudEvents_type"] = AutomationEvent.Type;
        properties["cloudEvents_source"] = AutomationEvent.Source(request.Plan, request.Automation.Id);
        properties["cloudEvents_id"] = request.EventId;
        properties["plan"] = request.Plan;
        properties["automation"] = request.Automation.Id;
        if (signingSecret is not null)
        {
            properties[SignatureHeader] = Signature(signingSecret, request.Body.Span);
        }

        return message;
    }

    public async Task<string?> SendAsync(AutomationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var automation = request.Automation;
        var signing = automation.SigningSecret is { } signingName ? await SecretAsync(automation, signingName, "signingSecret", cancellationToken) : null;
        if (automation.Kind == AutomationKind.ServiceBus)
        {
            await SendMessageAsync(request, signing, cancellationToken);
            return null;
        }

        var url = await UrlAsync(automation, cancellationToken);
        using var message = Build(request, url, signing);
        var answer = await ReactionHttp.SendAsync(clients.CreateClient(ClientName), message, $"The webhook of automation {automation.Id} ({url.Host})", null, cancellationToken);
        Log.Requested(logger, automation.Id, request.Plan, request.IncidentKey, url.Host);
        return RunId(answer);
    }

    private async Task SendMessageAsync(AutomationRequest request, string? signing, CancellationToken cancellationToken)
    {
        var automation = request.Automation;
        if (serviceBus is null)
        {
            throw new TeamsDeliveryException(
                $"Automation {automation.Id} goes to Service Bus, which is not configured (ServiceBus:fullyQualifiedNamespace, or ServiceBus as a connection string).", transient: false, status: null);
        }

        ServiceBusSender sender;
        lock (_gate)
        {
            if (!_senders.TryGetValue(automation.Entity!, out sender!))
            {
                sender = _senders[automation.Entity!] = serviceBus(automation.Entity!);
            }
        }

        try
        {
            await sender.SendMessageAsync(ToMessage(request, signing), cancellationToken);
        }
        catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessagingEntityNotFound)
        {
            throw new TeamsDeliveryException($"Service Bus has no queue or topic '{automation.Entity}' for automation {automation.Id}.", transient: false, status: 404, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TeamsDeliveryException($"The hub may not send to '{automation.Entity}' for automation {automation.Id}: {e.Message}", transient: false, status: 401, e);
        }
        catch (ServiceBusException e)
        {
            throw new TeamsDeliveryException($"Service Bus did not take automation {automation.Id}'s request: {e.Message}", transient: true, status: null, e);
        }

        Log.Requested(logger, automation.Id, request.Plan, request.IncidentKey, automation.Entity!);
    }

    private async Task<Uri> UrlAsync(PlanAutomation automation, CancellationToken cancellationToken)
    {
        var text = automation.Url ?? (automation.UrlSecret is { } name ? await SecretAsync(automation, name, "urlSecret", cancellationToken) : null);
        if (text is null || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            var what = automation.UrlSecret is { } secret ? $"the secret {secret}" : "its url";
            throw new TeamsDeliveryException($"Automation {automation.Id} has no https URL in {what}.", transient: false, status: null);
        }

        return url;
    }

    private async Task<string> SecretAsync(PlanAutomation automation, string name, string key, CancellationToken cancellationToken)
    {
        string? value;
        try
        {
            value = await secrets.GetAsync(name, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            throw new TeamsDeliveryException($"Key Vault did not give the secret {name} ({key} of automation {automation.Id}): {e.Status} {e.ErrorCode}", transient: e.Status is not (401 or 403), status: e.Status, e);
        }
        catch (global::Azure.Identity.AuthenticationFailedException e)
        {
            throw new TeamsDeliveryException($"No token for Key Vault to read the secret {name}: {e.Message}", transient: true, status: null, e);
        }

        return value ?? throw new TeamsDeliveryException($"There is no secret {name} ({key} of automation {automation.Id}); looked in {secrets.Where}.", transient: false, status: null);
    }

    // What the receiver calls the run: Azure Automation's JobIds[0], a Logic App's run id, else an "id" in the answer.
    private static string? RunId(ReactionAnswer answer)
    {
        var body = answer.Body;
        if (answer.Headers.TryGetValues("x-ms-workflow-run-id", out var run))
        {
            return run.FirstOrDefault();
        }

        try
        {
            var json = JsonNode.Parse(body);
            return (json?["JobIds"] is JsonArray { Count: > 0 } jobs ? jobs[0] : json?["id"])?.ToString();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6460, Level = LogLevel.Information, Message = "Automation {Automation} of plan {Plan} requested for incident {IncidentKey} at {Target}")]
        public static partial void Requested(ILogger logger, string automation, string plan, string incidentKey, string target);
    }
}
