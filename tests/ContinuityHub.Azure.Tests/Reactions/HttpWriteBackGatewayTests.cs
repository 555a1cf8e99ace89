using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Catalog;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reactions;
using ContinuityHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Tests.Reactions;

/// <summary>Each vendor's note request, as its API reference gives it, sent to a loopback recording server.</summary>
public sealed class HttpWriteBackGatewayTests : IAsyncLifetime
{
    private const string Note = "ContinuityHub: level Invoke — plan dr-payments; latest safe invocation 2026-11-24 13:25 UTC.";
    private const string SysId = "d3f1a6c24f8b1210a1e5c2d18e0a7c41";

    private RecordingServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await RecordingServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ServiceNow_gets_a_work_note_patched_onto_the_incident_by_sys_id_with_basic_auth()
    {
        await Gateway(AliasSource.ServiceNow, "hub.integration", "sn-password").AddNoteAsync(new SourceRecord(AliasSource.ServiceNow, SysId), Note, Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("PATCH", $"/servicenow/api/now/table/incident/{SysId}"), (request.Method, request.PathAndQuery));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("hub.integration:sn-password")), request.Headers["Authorization"]);
        Assert.Equal(Note, JsonNode.Parse(request.Body)!["work_notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServiceNow_gets_the_policys_fields_in_the_same_patch_as_the_work_note_with_the_level_named()
    {
        // Arrange
        var policy = Policy.Default with
        {
            ServiceNowFields = new Dictionary<string, string> { ["major_incident_state"] = "accepted", ["u_continuity_level"] = Policy.LevelPlaceholder },
        };
        var record = new SourceRecord(AliasSource.ServiceNow, SysId);
        var entry = new OutboxEntry("servicenow~" + SysId, "e1", DateTimeOffset.UnixEpoch, OutboxKind.LevelChange, AssessmentLevel.Invoke, ["dr-payments"]);

        // Act
        await Gateway(AliasSource.ServiceNow, "hub.integration", "sn-password").AddNoteAsync(record, Note, Token, WriteBackNote.Fields(entry, record, policy));

        // Assert
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("PATCH", $"/servicenow/api/now/table/incident/{SysId}"), (request.Method, request.PathAndQuery));
        Assert.Equal(
            [("work_notes", Note), ("major_incident_state", "accepted"), ("u_continuity_level", "Invoke")],
            JsonNode.Parse(request.Body)!.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>())));
    }

    [Fact]
    public async Task Fields_are_for_servicenow_alone_and_never_replace_its_work_note()
    {
        var fields = new Dictionary<string, string> { ["work_notes"] = "not the note", ["major_incident_state"] = "accepted" };

        await Gateway(AliasSource.ServiceNow, "hub.integration", "sn-password").AddNoteAsync(new SourceRecord(AliasSource.ServiceNow, SysId), Note, Token, fields);
        await Gateway(AliasSource.PagerDuty, "continuity@contoso.example", "pd-key").AddNoteAsync(new SourceRecord(AliasSource.PagerDuty, "Q2K7VX4M9PL3TZ"), Note, Token, fields);

        Assert.Equal(Note, JsonNode.Parse(_server.Requests[0].Body)!["work_notes"]!.GetValue<string>());
        Assert.Equal(["note"], JsonNode.Parse(_server.Requests[1].Body)!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Jira_gets_an_internal_comment_in_document_format_and_server_gets_plain_text_on_api_2()
    {
        await Gateway(AliasSource.Jira, "hub@contoso.example", "jira-token").AddNoteAsync(new SourceRecord(AliasSource.Jira, "ITSM-4711"), Note, Token);
        await Gateway(AliasSource.Jira, "hub@contoso.example", "jira-token", apiVersion: 2).AddNoteAsync(new SourceRecord(AliasSource.Jira, "ITSM-4711"), Note, Token);

        var (cloud, server) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal(("POST", "/jira/rest/api/3/issue/ITSM-4711/comment"), (cloud.Method, cloud.PathAndQuery));
        var body = JsonNode.Parse(cloud.Body)!;
        Assert.Equal("doc", body["body"]!["type"]!.GetValue<string>());
        Assert.Equal(Note, body["body"]!["content"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("sd.public.comment", body["properties"]![0]!["key"]!.GetValue<string>());
        Assert.True(body["properties"]![0]!["value"]!["internal"]!.GetValue<bool>());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("hub@contoso.example:jira-token")), cloud.Headers["Authorization"]);
        Assert.Equal("/jira/rest/api/2/issue/ITSM-4711/comment", server.PathAndQuery);
        Assert.Equal(Note, JsonNode.Parse(server.Body)!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task PagerDuty_gets_an_incident_note_with_the_from_header_and_its_token_scheme()
    {
        await Gateway(AliasSource.PagerDuty, "continuity@contoso.example", "pd-key").AddNoteAsync(new SourceRecord(AliasSource.PagerDuty, "Q2K7VX4M9PL3TZ"), Note, Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/pagerduty/incidents/Q2K7VX4M9PL3TZ/notes"), (request.Method, request.PathAndQuery));
        Assert.Equal("Token token=pd-key", request.Headers["Authorization"]);
        Assert.Equal("continuity@contoso.example", request.Headers["From"]);
        Assert.Equal("application/vnd.pagerduty+json;version=2", request.Headers["Accept"]);
        Assert.Equal(Note, JsonNode.Parse(request.Body)!["note"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Opsgenie_gets_an_alert_note_by_id_with_its_genie_key()
    {
        await Gateway(AliasSource.Opsgenie, "ContinuityHub", "og-key").AddNoteAsync(new SourceRecord(AliasSource.Opsgenie, "70413a06-38d6-4c85-92b8-5ebc900d42e2"), Note, Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/opsgenie/v2/alerts/70413a06-38d6-4c85-92b8-5ebc900d42e2/notes?identifierType=id"), (request.Method, request.PathAndQuery));
        Assert.Equal("GenieKey og-key", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal((Note, "ContinuityHub"), (body["note"]!.GetValue<string>(), body["user"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Azure_monitor_gets_its_alert_acknowledged_through_resource_manager_with_the_identitys_token()
    {
        const string alert = "/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        var identity = new FixedToken("arm-token");
        var gateway = new HttpWriteBackGateway(
            Factory(),
            [new WriteBackSource(AliasSource.AzureMonitor, new Uri(_server.BaseUrl, "arm/"), null, null) { Enabled = true }],
            NullLogger<HttpWriteBackGateway>.Instance,
            identity);

        await gateway.AddNoteAsync(new SourceRecord(AliasSource.AzureMonitor, alert), Note, Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", $"/arm{alert}/changestate?api-version=2019-03-01&newState=Acknowledged"), (request.Method, request.PathAndQuery));
        Assert.Equal("Bearer arm-token", request.Headers["Authorization"]);
        Assert.Equal([new Uri(_server.BaseUrl, "arm/.default").AbsoluteUri], identity.Scopes);
        Assert.True(WriteBackNote.Writes(new ContinuityHub.Outbox.OutboxEntry("k", "outbox~1", DateTimeOffset.UnixEpoch, ContinuityHub.Outbox.OutboxKind.Acknowledged, ContinuityHub.Assessment.AssessmentLevel.Alert, []), new SourceRecord(AliasSource.AzureMonitor, alert)));
        Assert.False(WriteBackNote.Writes(new ContinuityHub.Outbox.OutboxEntry("k", "outbox~1", DateTimeOffset.UnixEpoch, ContinuityHub.Outbox.OutboxKind.Alert, ContinuityHub.Assessment.AssessmentLevel.Invoke, []), new SourceRecord(AliasSource.AzureMonitor, alert)));
        Assert.False(WriteBackNote.Writes(new ContinuityHub.Outbox.OutboxEntry("k", "outbox~1", DateTimeOffset.UnixEpoch, ContinuityHub.Outbox.OutboxKind.Acknowledged, ContinuityHub.Assessment.AssessmentLevel.Alert, []), new SourceRecord(AliasSource.AzureMonitor, "ServiceHealth:ZN8Y-5TG")));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public async Task A_throttle_or_an_outage_is_transient_and_a_refusal_is_for_good(HttpStatusCode status, bool transient)
    {
        _server.Answer(status, body: """{"error": {"message": "Incident not found"}}""");

        var refused = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => Gateway(AliasSource.PagerDuty, "continuity@contoso.example", "pd-key").AddNoteAsync(new SourceRecord(AliasSource.PagerDuty, "Q2K7VX4M9PL3TZ"), Note, Token));

        Assert.Equal((transient, (int?)(int)status), (refused.Transient, refused.Status));
        Assert.Contains("Incident not found", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_throttle_is_waited_out_in_the_request_and_a_long_one_is_left_to_the_outbox()
    {
        var gateway = new HttpWriteBackGateway(Factory(resilient: true), [Source(AliasSource.Opsgenie)], NullLogger<HttpWriteBackGateway>.Instance);
        _server.Answer(HttpStatusCode.TooManyRequests, retryAfter: "0");

        await gateway.AddNoteAsync(new SourceRecord(AliasSource.Opsgenie, "a1"), Note, Token);
        _server.Answer(HttpStatusCode.TooManyRequests, retryAfter: "120");
        var later = await Assert.ThrowsAsync<TeamsDeliveryException>(() => gateway.AddNoteAsync(new SourceRecord(AliasSource.Opsgenie, "a2"), Note, Token));

        Assert.Equal([429, 201, 429], _server.Requests.Select(r => r.Status));
        Assert.True(later.Transient);
    }

    [Fact]
    public async Task A_servicenow_incident_known_by_its_number_is_looked_up_and_the_note_patched_onto_its_sys_id()
    {
        _server.Answer(HttpStatusCode.OK, body: $$"""{"result": [{"sys_id": "{{SysId}}"}]}""");
        _server.Answer(HttpStatusCode.OK, body: """{"result": {}}""");

        await Gateway(AliasSource.ServiceNow, "hub.integration", "sn-password").AddNoteAsync(
            new SourceRecord(AliasSource.ServiceNow, "INC0012345"), Note, Token, new Dictionary<string, string> { ["major_incident_state"] = "accepted" });

        Assert.Equal(
            [("GET", "/servicenow/api/now/table/incident?sysparm_query=number%3DINC0012345&sysparm_fields=sys_id&sysparm_limit=1"), ("PATCH", $"/servicenow/api/now/table/incident/{SysId}")],
            _server.Requests.Select(r => (r.Method, r.PathAndQuery)));
        Assert.All(_server.Requests, r => Assert.StartsWith("Basic ", r.Headers["Authorization"], StringComparison.Ordinal));
        Assert.Equal("accepted", JsonNode.Parse(_server.Requests[1].Body)!["major_incident_state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_servicenow_number_the_instance_does_not_know_is_refused_for_good_without_a_patch()
    {
        _server.Answer(HttpStatusCode.OK, body: """{"result": []}""");

        var refused = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => Gateway(AliasSource.ServiceNow, "hub.integration", "sn-password").AddNoteAsync(new SourceRecord(AliasSource.ServiceNow, "INC0099999"), Note, Token));

        Assert.False(refused.Transient);
        Assert.Contains("INC0099999", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["GET"], _server.Requests.Select(r => r.Method));
    }

    [Fact]
    public void A_source_without_its_token_or_instance_or_with_an_unresolved_key_vault_reference_is_off()
    {
        var gateway = new HttpWriteBackGateway(
            Factory(),
            [
                new WriteBackSource(AliasSource.ServiceNow, null, "hub", "secret"),
                new WriteBackSource(AliasSource.Jira, new Uri("https://contoso.atlassian.net/"), "hub@contoso.example", null),
                new WriteBackSource(AliasSource.PagerDuty, null, null, "pd-key"),
                new WriteBackSource(AliasSource.Opsgenie, null, null, "@Microsoft.KeyVault(VaultName=kv-hub;SecretName=writeback-opsgenie-token)"),
            ],
            NullLogger<HttpWriteBackGateway>.Instance);

        Assert.Equal([AliasSource.PagerDuty], WriteBackSource.Supported.Where(gateway.IsOn));
        Assert.Contains("could not resolve", new WriteBackSource(AliasSource.Opsgenie, null, null, "@Microsoft.KeyVault(VaultName=kv-hub;SecretName=x)").Missing, StringComparison.Ordinal);
    }

    private WriteBackSource Source(AliasSource source) => new(source, new Uri(_server.BaseUrl, CatalogNames.Name(source) + "/"), "ContinuityHub", "a-key");

    private HttpWriteBackGateway Gateway(AliasSource source, string user, string token, int apiVersion = 3) =>
        new(Factory(), [new WriteBackSource(source, new Uri(_server.BaseUrl, CatalogNames.Name(source) + "/"), user, token, apiVersion)], NullLogger<HttpWriteBackGateway>.Instance);

    private sealed class FixedToken(string token) : global::Azure.Core.TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override global::Azure.Core.AccessToken GetToken(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new global::Azure.Core.AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<global::Azure.Core.AccessToken> GetTokenAsync(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private static IHttpClientFactory Factory(bool resilient = false)
    {
        var services = new ServiceCollection();
        var client = services.AddHttpClient(HttpWriteBackGateway.ClientName);
        if (resilient)
        {
            client.AddResilienceHandler(HttpWriteBackGateway.ClientName, HttpWriteBackGateway.Resilience);
        }

        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    }
}
