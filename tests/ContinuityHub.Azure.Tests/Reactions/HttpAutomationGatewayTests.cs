using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Catalog;
using ContinuityHub.Notifications;
using ContinuityHub.Reactions;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ContinuityHub.Azure.Tests.Reactions;

/// <summary>Automation requests as they go out: the signed CloudEvent POSTed to a loopback webhook, or a Service Bus message.</summary>
public sealed class HttpAutomationGatewayTests : IAsyncLifetime
{
    private const string Secret = "the signing secret's value";
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","type":"ContinuityHub.AutomationRequested","id":"e1","data":{"callbackUrl":"https://hub.example/api/automations/t"}}""");

    private RecordingServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await RecordingServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_webhook_gets_the_cloud_event_signed_with_hmac_sha256_of_the_body()
    {
        await Gateway().SendAsync(Request(Webhook(signingSecret: "automation-failover-sql")), Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/failover-sql"), (request.Method, request.PathAndQuery));
        Assert.Equal(Encoding.UTF8.GetString(s_body), request.Body);
        Assert.Equal("application/cloudevents+json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), s_body)), request.Headers["X-Hub-Signature-256"]);
        Assert.Equal(("ContinuityHub.AutomationRequested", "e1", "failover-sql"), (request.Headers["X-Hub-Event"], request.Headers["X-Hub-Delivery"], request.Headers["X-Hub-Automation"]));
    }

    [Fact]
    public async Task An_unsigned_automation_sends_no_signature_and_returns_azure_automations_job_id()
    {
        _server.Answer(HttpStatusCode.Accepted, body: """{"JobIds": ["0f3c7a1e-9b2d-4e5f-8a6b-1c2d3e4f5a6b"]}""");

        var run = await Gateway().SendAsync(Request(Webhook()), Token);

        Assert.False(Assert.Single(_server.Requests).Headers.ContainsKey("X-Hub-Signature-256"));
        Assert.Equal("0f3c7a1e-9b2d-4e5f-8a6b-1c2d3e4f5a6b", run);
    }

    [Fact]
    public async Task A_url_kept_as_a_secret_is_read_by_its_name()
    {
        var automation = Webhook() with { Url = null, UrlSecret = "automation-failover-webhook" };

        await Gateway(new() { ["Automations:Secrets:automation-failover-webhook"] = new Uri(_server.BaseUrl, "hooks/abc?token=s3cret").ToString() }).SendAsync(Request(automation), Token);

        Assert.Equal("/hooks/abc?token=s3cret", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public async Task A_refusal_is_transient_only_for_throttles_timeouts_and_server_errors(HttpStatusCode status, bool transient)
    {
        _server.Answer(status, body: """{"error": "nope"}""");

        var e = await Assert.ThrowsAsync<TeamsDeliveryException>(() => Gateway().SendAsync(Request(Webhook()), Token));

        Assert.Equal(transient, e.Transient);
        Assert.Contains("failover-sql", e.Message, StringComparison.Ordinal);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secret_or_a_plain_http_url_is_refused_for_good_naming_it_and_nothing_is_sent()
    {
        var missing = await Assert.ThrowsAsync<TeamsDeliveryException>(() => Gateway().SendAsync(Request(Webhook(signingSecret: "no-such-secret")), Token));
        var http = await Assert.ThrowsAsync<TeamsDeliveryException>(() => Gateway().SendAsync(Request(Webhook() with { Url = "http://automation.contoso.example/hook" }), Token));

        Assert.False(missing.Transient);
        Assert.Contains("no-such-secret", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Automations:Secrets:{name}", missing.Message, StringComparison.Ordinal);
        Assert.False(http.Transient);
        Assert.Contains("https", http.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_service_bus_automation_is_a_message_to_its_queue_with_the_event_id_as_message_id()
    {
        var sender = Substitute.For<ServiceBusSender>();
        ServiceBusMessage? sent = null;
        sender.SendMessageAsync(Arg.Do<ServiceBusMessage>(m => sent = m), Arg.Any<CancellationToken>()).Returns(Task.CompletedTask);
        var entities = new List<string>();
        var gateway = new HttpAutomationGateway(Factory(), Secrets([]), entity =>
        {
            entities.Add(entity);
            return sender;
        }, NullLogger<HttpAutomationGateway>.Instance);
        var automation = new PlanAutomation("notify-ops", AutomationTrigger.StandDown, AutomationKind.ServiceBus, null, null, "continuity-automations", "automation-failover-sql", TimeSpan.FromMinutes(30));

        await gateway.SendAsync(Request(automation), Token);
        await gateway.SendAsync(Request(automation), Token);

        Assert.Equal(["continuity-automations"], entities);
        Assert.NotNull(sent);
        Assert.Equal(("e1", "application/cloudevents+json; charset=utf-8"), (sent.MessageId, sent.ContentType));
        Assert.Equal(s_body, sent.Body.ToArray());
        Assert.Equal("ContinuityHub.AutomationRequested", sent.ApplicationProperties["cloudEvents_type"]);
        Assert.Equal(("dr-sql-cluster", "notify-ops"), (sent.ApplicationProperties["plan"], sent.ApplicationProperties["automation"]));
        Assert.StartsWith("sha256=", (string)sent.ApplicationProperties["X-Hub-Signature-256"], StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_service_bus_automation_without_a_namespace_is_refused_for_good()
    {
        var automation = new PlanAutomation("notify-ops", AutomationTrigger.StandDown, AutomationKind.ServiceBus, null, null, "continuity-automations", null, TimeSpan.FromMinutes(30));

        var e = await Assert.ThrowsAsync<TeamsDeliveryException>(() => Gateway().SendAsync(Request(automation), Token));

        Assert.False(e.Transient);
        Assert.Contains("ServiceBus", e.Message, StringComparison.Ordinal);
    }

    private PlanAutomation Webhook(string? signingSecret = null) =>
        new("failover-sql", AutomationTrigger.Invoke, AutomationKind.Webhook, new Uri(_server.BaseUrl, "failover-sql").ToString(), null, null, signingSecret, TimeSpan.FromMinutes(30));

    private static AutomationRequest Request(PlanAutomation automation) => new("servicenow~INC0012345", "dr-sql-cluster", automation, "e1", s_body);

    private static HttpAutomationGateway Gateway(Dictionary<string, string?>? secrets = null) =>
        new(Factory(), Secrets(secrets ?? []), null, NullLogger<HttpAutomationGateway>.Instance);

    private static AutomationSecrets Secrets(Dictionary<string, string?> more)
    {
        var settings = new Dictionary<string, string?> { ["Automations:Secrets:automation-failover-sql"] = Secret };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return new AutomationSecrets(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), null, TimeProvider.System);
    }

    private static IHttpClientFactory Factory()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(HttpAutomationGateway.ClientName);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    }
}
