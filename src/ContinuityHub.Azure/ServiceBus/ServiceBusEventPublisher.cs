using System.Globalization;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.ServiceBus;

/// <summary>
/// Publishes the hub's events to the Service Bus <c>continuity-events</c> topic as CloudEvents 1.0 in structured
/// content mode: the body is the CloudEvents JSON envelope (content type <c>application/cloudevents+json</c>), and the
/// attributes are repeated as <c>cloudEvents_*</c> application properties (the AMQP binding's JMS-safe separator), with
/// <c>plan</c> and <c>level</c> besides, so subscriptions can filter without reading the body. The MessageId is the
/// event id, so the topic's duplicate detection drops a retry. A failed send throws: the caller's outbox retries.
/// </summary>
public sealed partial class ServiceBusEventPublisher : IEventPublisher
{
    /// <summary>The CloudEvents <c>type</c> of <see cref="PlanInvoked"/>.</summary>
    public const string PlanInvokedType = "ContinuityHub.PlanInvoked";

    /// <summary>The Service Bus content type of a structured-mode CloudEvent in JSON.</summary>
    public const string CloudEventsJsonContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>The prefix of the CloudEvents attributes among the application properties (AMQP binding, section 3.1.3.1).</summary>
    public const string AttributePrefix = "cloudEvents_";

    private const string SourcePrefix = "/continuityhub/incidents/";

    private readonly ServiceBusSender _sender;
    private readonly ILogger _logger;

    public ServiceBusEventPublisher(ServiceBusSender sender, ILogger<ServiceBusEventPublisher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _logger = logger ?? NullLogger<ServiceBusEventPublisher>.Instance;
    }

    public async Task PublishAsync(PlanInvoked planInvoked, CancellationToken cancellationToken)
    {
        var message = ToMessage(planInvoked);
        await _sender.SendMessageAsync(message, cancellationToken);
        PlanInvokedSent(_logger, planInvoked.Id, planInvoked.Plan, planInvoked.IncidentKey, _sender.EntityPath);
    }

    /// <summary>The Service Bus message carrying <paramref name="planInvoked"/> as a structured-mode CloudEvent.</summary>
    public static ServiceBusMessage ToMessage(PlanInvoked planInvoked)
    {
        ArgumentNullException.ThrowIfNull(planInvoked);
        ArgumentException.ThrowIfNullOrWhiteSpace(planInvoked.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(planInvoked.IncidentKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(planInvoked.Plan);

        var source = SourcePrefix + Uri.EscapeDataString(planInvoked.IncidentKey);
        var time = Timestamp(planInvoked.DecidedAt);
        var message = new ServiceBusMessage(CloudEventJson(planInvoked, source, time))
        {
            MessageId = planInvoked.Id,
            ContentType = CloudEventsJsonContentType,
            Subject = nameof(PlanInvoked),
        };

        var properties = message.ApplicationProperties;
        properties[AttributePrefix + "specversion"] = "1.0";
        properties[AttributePrefix + "type"] = PlanInvokedType;
        properties[AttributePrefix + "source"] = source;
        properties[AttributePrefix + "id"] = planInvoked.Id;
        properties[AttributePrefix + "time"] = time;
        properties[AttributePrefix + "subject"] = planInvoked.Plan;
        properties["plan"] = planInvoked.Plan;
        properties["level"] = planInvoked.Level.ToString();
        if (planInvoked.Exercise is not null)
        {
            properties["exercise"] = true;
        }
        return message;
    }

    private static BinaryData CloudEventJson(PlanInvoked planInvoked, string source, string time)
    {
        // Utf8JsonWriter's default encoder escapes quotes, control characters and HTML-sensitive characters (<, >, &, ')
        // in every string, so nothing from an incident or the catalogue can break out of its value.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("type", PlanInvokedType);
            json.WriteString("source", source);
            json.WriteString("id", planInvoked.Id);
            json.WriteString("time", time);
            json.WriteString("subject", planInvoked.Plan);
            json.WriteString("datacontenttype", "application/json");
            json.WriteStartObject("data");
            json.WriteString("incidentKey", planInvoked.IncidentKey);
            json.WriteString("incidentTitle", planInvoked.IncidentTitle);
            json.WriteString("plan", planInvoked.Plan);
            json.WriteString("decidedBy", planInvoked.DecidedBy);
            json.WriteString("decidedAt", time);
            json.WriteString("level", planInvoked.Level.ToString());
            if (planInvoked.Exercise is { } exercise)
            {
                json.WriteBoolean("exercise", true);
                json.WriteString("exerciseId", exercise);
            }

            json.WriteStartArray("reasons");
            foreach (var reason in planInvoked.Reasons ?? [])
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new BinaryData(buffer.ToArray());
    }

    /// <summary>RFC 3339 in UTC (<c>2025-03-01T09:30:00Z</c>, fractions only when there are any), as the CloudEvents <c>time</c> attribute asks.</summary>
    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 2250, Level = LogLevel.Information,
        Message = "PlanInvoked {EventId} (plan {Plan}, incident {IncidentKey}) published to {Topic}")]
    private static partial void PlanInvokedSent(ILogger logger, string eventId, string plan, string incidentKey, string topic);
}

/// <summary>
/// The event publisher of a host without Service Bus settings: every publish fails with a message naming the setting,
/// so the outbox keeps the event and delivers it once Service Bus is configured.
/// </summary>
internal sealed class UnconfiguredEventPublisher : IEventPublisher
{
    public Task PublishAsync(PlanInvoked planInvoked, CancellationToken cancellationToken) =>
        Task.FromException(new InvalidOperationException(
            $"Service Bus is not configured: set {ServiceBusOptions.SectionName}__fullyQualifiedNamespace (or {ServiceBusOptions.SectionName} to a connection string) "
            + $"to publish {nameof(PlanInvoked)} to the {ServiceBusOptions.SectionName}:EventsTopic topic; the event stays in the outbox until then."));
}
