using System.Text.Json;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ContinuityHub.Azure.Tests.ServiceBus;

/// <summary>
/// PlanInvoked on the <c>continuity-events</c> topic: the sender is a substitute (no emulator runs here) that captures
/// the message the real publisher builds.
/// </summary>
public sealed class ServiceBusEventPublisherTests
{
    private const string ConnectionString =
        "Endpoint=sb://sb-hub-local.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a2V5a2V5a2V5";

    private readonly ServiceBusSender _sender = Substitute.For<ServiceBusSender>();
    private readonly List<ServiceBusMessage> _sent = [];

    public ServiceBusEventPublisherTests()
    {
        _sender.EntityPath.Returns("continuity-events");
        _sender.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _sent.Add(call.ArgAt<ServiceBusMessage>(0));
                return Task.CompletedTask;
            });
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_sends_one_message_whose_body_is_a_CloudEvent_with_every_attribute_and_the_data()
    {
        await new ServiceBusEventPublisher(_sender).PublishAsync(Invoked(), Token);

        using var body = JsonDocument.Parse(Assert.Single(_sent).Body.ToMemory());
        var root = body.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("ContinuityHub.PlanInvoked", root.GetProperty("type").GetString());
        Assert.Equal("/continuityhub/incidents/servicenow~INC0012345", root.GetProperty("source").GetString());
        Assert.Equal("evt-7f3a", root.GetProperty("id").GetString());
        Assert.Equal("2025-03-01T09:30:00Z", root.GetProperty("time").GetString());
        Assert.Equal("dr-payments", root.GetProperty("subject").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());

        var data = root.GetProperty("data");
        Assert.Equal("servicenow~INC0012345", data.GetProperty("incidentKey").GetString());
        Assert.Equal("Card payments down", data.GetProperty("incidentTitle").GetString());
        Assert.Equal("dr-payments", data.GetProperty("plan").GetString());
        Assert.Equal("maria.lopez@contoso.example", data.GetProperty("decidedBy").GetString());
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero), data.GetProperty("decidedAt").GetDateTimeOffset());
        Assert.Equal("Invoke", data.GetProperty("level").GetString());
        Assert.Equal(
            ["Payments: projected outage 5h reaches MTPD 4h", "Decided by a person"],
            data.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray());
    }

    [Fact]
    public async Task The_message_id_is_the_event_id_and_a_retry_sends_the_same_message()
    {
        var publisher = new ServiceBusEventPublisher(_sender);

        await publisher.PublishAsync(Invoked(), Token);
        await publisher.PublishAsync(Invoked(), Token);

        Assert.Equal(2, _sent.Count);
        Assert.All(_sent, message => Assert.Equal("evt-7f3a", message.MessageId));
        Assert.Equal(_sent[0].Body.ToArray(), _sent[1].Body.ToArray());
    }

    [Fact]
    public async Task The_message_is_marked_as_a_structured_CloudEvent_with_filterable_properties()
    {
        await new ServiceBusEventPublisher(_sender).PublishAsync(Invoked(), Token);

        var message = Assert.Single(_sent);
        Assert.Equal("application/cloudevents+json; charset=utf-8", message.ContentType);
        Assert.Equal("PlanInvoked", message.Subject);
        Assert.Equal("1.0", message.ApplicationProperties["cloudEvents_specversion"]);
        Assert.Equal("ContinuityHub.PlanInvoked", message.ApplicationProperties["cloudEvents_type"]);
        Assert.Equal("/continuityhub/incidents/servicenow~INC0012345", message.ApplicationProperties["cloudEvents_source"]);
        Assert.Equal("evt-7f3a", message.ApplicationProperties["cloudEvents_id"]);
        Assert.Equal("2025-03-01T09:30:00Z", message.ApplicationProperties["cloudEvents_time"]);
        Assert.Equal("dr-payments", message.ApplicationProperties["cloudEvents_subject"]);
        Assert.Equal("dr-payments", message.ApplicationProperties["plan"]);
        Assert.Equal("Invoke", message.ApplicationProperties["level"]);
        Assert.DoesNotContain(message.ApplicationProperties.Keys, key => key.StartsWith("cloudEvents:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_time_is_UTC_whatever_offset_the_decision_was_taken_at()
    {
        var decidedInBerlin = new DateTimeOffset(2025, 3, 1, 10, 30, 0, 250, TimeSpan.FromHours(1));

        await new ServiceBusEventPublisher(_sender).PublishAsync(Invoked() with { DecidedAt = decidedInBerlin }, Token);

        using var body = JsonDocument.Parse(Assert.Single(_sent).Body.ToMemory());
        Assert.Equal("2025-03-01T09:30:00.25Z", body.RootElement.GetProperty("time").GetString());
        Assert.Equal("2025-03-01T09:30:00.25Z", body.RootElement.GetProperty("data").GetProperty("decidedAt").GetString());
    }

    [Fact]
    public async Task Quotes_and_markup_from_the_incident_are_escaped_and_read_back_unchanged()
    {
        const string Title = "Payments \"down\" <script>alert('x')</script> & \\ back\nslash";
        const string Reason = "</script><img src=x onerror=alert(1)>";
        var invoked = Invoked() with { IncidentKey = "generic~a/b c?d", IncidentTitle = Title, Reasons = [Reason] };

        await new ServiceBusEventPublisher(_sender).PublishAsync(invoked, Token);

        var message = Assert.Single(_sent);
        var text = message.Body.ToString();
        Assert.DoesNotContain("<script>", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", text, StringComparison.OrdinalIgnoreCase);
        using var body = JsonDocument.Parse(message.Body.ToMemory());
        var data = body.RootElement.GetProperty("data");
        Assert.Equal(Title, data.GetProperty("incidentTitle").GetString());
        Assert.Equal(Reason, Assert.Single(data.GetProperty("reasons").EnumerateArray()).GetString());
        Assert.Equal("generic~a/b c?d", data.GetProperty("incidentKey").GetString());
        Assert.Equal("/continuityhub/incidents/generic~a%2Fb%20c%3Fd", body.RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_failed_send_propagates_to_the_caller()
    {
        var outage = new ServiceBusException("namespace unavailable", ServiceBusFailureReason.ServiceCommunicationProblem);
        _sender.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>()).ThrowsAsync(outage);

        var thrown = await Assert.ThrowsAsync<ServiceBusException>(
            () => new ServiceBusEventPublisher(_sender).PublishAsync(Invoked(), Token));

        Assert.Same(outage, thrown);
    }

    [Fact]
    public async Task A_host_without_Service_Bus_refuses_to_publish_naming_the_setting()
    {
        await using var services = new ServiceCollection().AddContinuityHub(Configuration()).BuildServiceProvider();

        var publisher = services.GetRequiredService<IEventPublisher>();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.PublishAsync(Invoked(), Token));

        Assert.Contains("Service Bus is not configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_with_Service_Bus_publishes_through_the_events_topic_setting()
    {
        var configuration = Configuration(("ServiceBus", ConnectionString), ("ServiceBus:EventsTopic", "continuity-events-test"));
        await using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        Assert.IsType<ServiceBusEventPublisher>(services.GetRequiredService<IEventPublisher>());
        Assert.Equal("continuity-events-test", ServiceBusOptions.FromConfiguration(configuration).EventsTopic);
        Assert.Equal("continuity-events", ServiceBusOptions.FromConfiguration(Configuration()).EventsTopic);
    }

    private static PlanInvoked Invoked() => new(
        "evt-7f3a",
        "servicenow~INC0012345",
        "Card payments down",
        "dr-payments",
        "maria.lopez@contoso.example",
        new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero),
        AssessmentLevel.Invoke,
        ["Payments: projected outage 5h reaches MTPD 4h", "Decided by a person"]);

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
