using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Azure.Http;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Intake;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// Tests that change the hub's production tables and containers in the test Azurite, or need its catalogue to be the
/// seed: they run on their own, after every test that runs in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntakeHttpGroup
{
    public const string Name = "intake http";
}

/// <summary>
/// <c>POST /api/intake/{source}</c> and <c>GET /api/incidents/{key}</c> called as the Functions host calls them, with
/// the real services on Azurite and the seed catalogue, for every source.
/// </summary>
[Collection(IntakeHttpGroup.Name)]
public sealed class IntakeFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FunctionsHost _host = FunctionsHost.Create(azurite.ConnectionString);

    public static TheoryData<string> Sources => new(CatalogNames.SourceNames);

    public async ValueTask InitializeAsync() => await FunctionsHost.SeedAsync(azurite.ConnectionString, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Signed_delivery_is_accepted_with_its_key_level_and_location(string source)
    {
        var id = WebhookSamples.NewId(source);

        var answer = await _host.PostAsync(source, WebhookSamples.Open(source, id));

        Assert.True(answer.Status == StatusCodes.Status202Accepted, answer.Body);
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        var json = answer.Json;
        var key = WebhookSamples.Key(source, id);
        Assert.Equal(key, json.GetProperty("incidentKey").GetString());
        Assert.True(Enum.TryParse<AssessmentLevel>(json.GetProperty("level").GetString(), out _), answer.Body);
        Assert.False(json.GetProperty("duplicate").GetBoolean());
        Assert.Equal("/api/incidents/" + Uri.EscapeDataString(key), answer.Location);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Same_delivery_twice_is_a_duplicate_that_changes_nothing(string source)
    {
        var body = WebhookSamples.Open(source, WebhookSamples.NewId(source));
        var first = await _host.PostAsync(source, body);

        var second = await _host.PostAsync(source, body);

        Assert.True(second.Status == StatusCodes.Status202Accepted, second.Body);
        Assert.True(second.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.Json.GetProperty("incidentKey").GetString(), second.Json.GetProperty("incidentKey").GetString());
        Assert.Equal(first.Json.GetProperty("level").GetString(), second.Json.GetProperty("level").GetString());
        Assert.Equal(first.Location, second.Location);
        var incident = (await _host.GetAsync(first.Location!)).Json;
        Assert.Single(incident.GetProperty("events").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Resolved_update_resolves_the_incident_and_stands_it_down(string source)
    {
        var id = WebhookSamples.NewId(source);
        var opened = await _host.PostAsync(source, WebhookSamples.Open(source, id));
        _host.Time.Advance(TimeSpan.FromMinutes(20));

        var resolved = await _host.PostAsync(source, WebhookSamples.Resolved(source, id));

        Assert.True(resolved.Status == StatusCodes.Status202Accepted, resolved.Body);
        Assert.False(resolved.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal("None", resolved.Json.GetProperty("level").GetString());
        Assert.Equal(opened.Location, resolved.Location);
        var incident = (await _host.GetAsync(resolved.Location!)).Json;
        Assert.Equal("Resolved", incident.GetProperty("incident").GetProperty("state").GetString());
        Assert.Equal("None", incident.GetProperty("level").GetString());
        Assert.Equal(["Open", "Resolved"], incident.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("state").GetString()));
        Assert.Equal(2, incident.GetProperty("archivePaths").GetArrayLength());
        Assert.Equal("2026-11-24T10:30:00Z", incident.GetProperty("firstSeen").GetString());
        Assert.Equal("2026-11-24T10:50:00Z", incident.GetProperty("lastUpdated").GetString());
        Assert.Equal("None", incident.GetProperty("assessments").EnumerateArray().Last().GetProperty("level").GetString());
    }

    [Fact]
    public async Task Incident_is_read_back_with_its_event_log_and_latest_assessment()
    {
        var id = WebhookSamples.NewId("pagerduty");
        var accepted = await _host.PostAsync("pagerduty", WebhookSamples.Open("pagerduty", id));
        Assert.Equal("Invoke", accepted.Json.GetProperty("level").GetString());

        var answer = await _host.GetAsync(accepted.Location!);

        Assert.True(answer.Status == StatusCodes.Status200OK, answer.Body);
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        var json = answer.Json;
        var incident = json.GetProperty("incident");
        Assert.Equal(WebhookSamples.Key("pagerduty", id), incident.GetProperty("key").GetString());
        Assert.Equal("pagerduty", incident.GetProperty("source").GetString());
        Assert.Equal(id, incident.GetProperty("externalId").GetString());
        Assert.Equal("P1", incident.GetProperty("priority").GetString());
        Assert.Equal("Open", incident.GetProperty("state").GetString());
        Assert.Equal("2026-11-24T09:58:12Z", incident.GetProperty("startedAt").GetString());
        Assert.Equal("Invoke", json.GetProperty("level").GetString());
        Assert.Equal("2026-11-24T10:30:00Z", json.GetProperty("firstSeen").GetString());
        Assert.Equal("2026-11-24T10:30:00Z", json.GetProperty("lastUpdated").GetString());
        var archived = Assert.Single(json.GetProperty("archivePaths").EnumerateArray()).GetString();
        Assert.Contains("2026/11/24/pagerduty/", archived, StringComparison.Ordinal);

        var delivery = Assert.Single(json.GetProperty("events").EnumerateArray());
        Assert.Equal($"{id}-triggered", delivery.GetProperty("deliveryKey").GetString());
        Assert.Equal("2026-11-24T10:30:00Z", delivery.GetProperty("receivedAt").GetString());
        Assert.Equal("Http", delivery.GetProperty("channel").GetString());
        Assert.Equal(archived, delivery.GetProperty("archivePath").GetString());
        Assert.Equal("Open", delivery.GetProperty("state").GetString());
        Assert.Equal("P1", delivery.GetProperty("priority").GetString());
        Assert.Equal("SQLAG-PROD-01: availability group replicas not synchronizing", delivery.GetProperty("title").GetString());

        var assessment = Assert.Single(json.GetProperty("assessments").EnumerateArray());
        Assert.Equal("2026-11-24T10:30:00Z", assessment.GetProperty("at").GetString());
        Assert.Equal("Invoke", assessment.GetProperty("level").GetString());

        var latest = json.GetProperty("latestAssessment");
        Assert.Equal("Invoke", latest.GetProperty("level").GetString());
        Assert.Equal("2026-11-24T10:30:00Z", latest.GetProperty("at").GetString());
        Assert.Contains("sql-cluster", latest.GetProperty("impactedServices").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Contains("dr-sql-cluster", latest.GetProperty("plans").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Key_with_escaped_characters_round_trips_through_the_location()
    {
        // Azure Monitor alert ids are resource paths: the key escapes their '/', the Location escapes the key.
        var id = WebhookSamples.NewId("azuremonitor");
        var accepted = await _host.PostAsync("azuremonitor", WebhookSamples.Open("azuremonitor", id));
        var key = accepted.Json.GetProperty("incidentKey").GetString()!;
        Assert.Contains("%2F", key, StringComparison.Ordinal);
        Assert.Contains("%252F", accepted.Location, StringComparison.Ordinal);

        var answer = await _host.GetAsync(accepted.Location!);

        Assert.True(answer.Status == StatusCodes.Status200OK, answer.Body);
        Assert.Equal(key, answer.Json.GetProperty("incident").GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("/api/incidents/pagerduty~NO-SUCH-INCIDENT")]
    [InlineData("/api/incidents/nowhere")]
    [InlineData("/api/incidents/pagerduty~a%2Fb")]
    public async Task Unknown_incident_is_a_404_problem(string location)
    {
        var answer = await _host.GetAsync(location);

        var problem = answer.AssertProblem(StatusCodes.Status404NotFound);
        Assert.Equal("Incident not found", problem.GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Forged_signature_is_refused_with_401_audited_and_nothing_archived(string source)
    {
        var body = WebhookSamples.Open(source, WebhookSamples.NewId(source));
        var caller = UniqueCaller();
        var archivedBefore = await ArchivedCountAsync(source);

        var answer = await _host.PostAsync(source, body, sign: false, arrange: request =>
        {
            request.HttpContext.Connection.RemoteIpAddress = caller;
            FunctionsHost.Sign(request, source, body, "not-the-secret");
        });

        var problem = answer.AssertProblem(StatusCodes.Status401Unauthorized);
        Assert.Equal("Signature invalid", problem.GetProperty("title").GetString());
        Assert.Equal(archivedBefore, await ArchivedCountAsync(source));
        var audit = await AuditedAsync(source, caller);
        Assert.StartsWith("401: ", audit.GetString("Detail"), StringComparison.Ordinal);
        Assert.Equal($"POST /api/intake/{source}", audit.GetString("Subject"));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Unsigned_delivery_is_refused_with_401_saying_how_to_sign(string source)
    {
        var answer = await _host.PostAsync(source, WebhookSamples.Open(source, WebhookSamples.NewId(source)), sign: false);

        var problem = answer.AssertProblem(StatusCodes.Status401Unauthorized);
        Assert.Equal("Signature missing", problem.GetProperty("title").GetString());
        var expected = source switch
        {
            "pagerduty" => "X-PagerDuty-Signature",
            "jira" => "X-Hub-Signature",
            "alertmanager" => "Authorization header (Bearer <secret>",
            _ => "X-Hub-Token",
        };
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Source_without_a_secret_is_refused_with_401_naming_the_setting(string source)
    {
        await using var unconfigured = FunctionsHost.Create(azurite.ConnectionString, secrets: false);
        var caller = UniqueCaller();

        var answer = await unconfigured.PostAsync(source, WebhookSamples.Open(source, WebhookSamples.NewId(source)), request => request.HttpContext.Connection.RemoteIpAddress = caller);

        var problem = answer.AssertProblem(StatusCodes.Status401Unauthorized);
        Assert.Equal("Intake source not configured", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"Intake:Sources:{source}:Secret", detail, StringComparison.Ordinal);
        Assert.Contains($"Intake__Sources__{source}__Secret", detail, StringComparison.Ordinal);
        Assert.Contains("not configured", (await AuditedAsync(source, caller, unconfigured)).GetString("Detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_source_is_a_404_problem_listing_the_sources()
    {
        var answer = await _host.PostAsync("remedy", WebhookSamples.Open("generic", WebhookSamples.NewId("generic")), sign: false);

        var problem = answer.AssertProblem(StatusCodes.Status404NotFound);
        Assert.Contains("servicenow, jira, pagerduty, opsgenie, azuremonitor, generic, alertmanager", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Invalid_payload_is_a_400_problem_naming_every_field(string source)
    {
        var body = WebhookSamples.Invalid(source);
        var archivedBefore = await ArchivedCountAsync(source);

        var answer = await _host.PostAsync(source, body);

        var problem = answer.AssertProblem(StatusCodes.Status400BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e =>
        {
            Assert.Matches(@"^[\w$]+(\[\d+\])?([.\w\[\]$-])*$", e.Name);
            Assert.NotEmpty(e.Value.EnumerateArray());
        });
        foreach (var e in errors)
        {
            Assert.Contains(e.Name, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Nothing but the archived body, tagged rejected (and the intake's audit line).
        Assert.Equal(archivedBefore + 1, await ArchivedCountAsync(source));
    }

    [Fact]
    public async Task Unknown_monitor_condition_is_named_at_its_path()
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(WebhookSamples.Open("azuremonitor", WebhookSamples.NewId("azuremonitor")))
            .Replace("\"Fired\"", "\"Paused\"", StringComparison.Ordinal));

        var answer = await _host.PostAsync("azuremonitor", body);

        var problem = answer.AssertProblem(StatusCodes.Status400BadRequest);
        var messages = problem.GetProperty("errors").GetProperty("data.essentials.monitorCondition");
        Assert.StartsWith("unknown monitor condition 'Paused'", Assert.Single(messages.EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_the_hub_cannot_keep_is_a_400_problem_at_startedAt_and_nothing_is_stored()
    {
        var id = WebhookSamples.NewId("generic");
        var body = JsonNode.Parse(WebhookSamples.Open("generic", id))!.AsObject();
        body["startedAt"] = "9999-12-31T23:59:59Z";

        var answer = await _host.PostAsync("generic", Encoding.UTF8.GetBytes(body.ToJsonString()));

        var problem = answer.AssertProblem(StatusCodes.Status400BadRequest);
        var messages = problem.GetProperty("errors").GetProperty("startedAt");
        Assert.Equal("9999-12-31T23:59:59Z is outside the times the hub can keep (1601 to 8999)", Assert.Single(messages.EnumerateArray()).GetString());
        (await _host.GetAsync("/api/incidents/" + Uri.EscapeDataString(WebhookSamples.Key("generic", id)))).AssertProblem(StatusCodes.Status404NotFound);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_at_body()
    {
        var answer = await _host.PostAsync("generic", "{\"id\": \"x\", "u8.ToArray());

        var problem = answer.AssertProblem(StatusCodes.Status400BadRequest);
        var messages = problem.GetProperty("errors").GetProperty("body");
        Assert.StartsWith("not valid JSON", Assert.Single(messages.EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_body_is_a_413_problem_before_anything_is_read()
    {
        var body = new CountingStream(2 * 1024 * 1024);
        var caller = UniqueCaller();
        var archivedBefore = await ArchivedCountAsync("generic");

        var answer = await _host.PostAsync("generic", [], request =>
        {
            request.Body = body;
            request.ContentLength = body.Length;
            request.HttpContext.Connection.RemoteIpAddress = caller;
        });

        var problem = answer.AssertProblem(StatusCodes.Status413PayloadTooLarge);
        Assert.Contains("2097152 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, body.BytesRead);
        Assert.Equal(archivedBefore, await ArchivedCountAsync("generic"));
        Assert.StartsWith("413: ", (await AuditedAsync("generic", caller)).GetString("Detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_body_of_unknown_length_is_a_413_problem_read_no_further_than_the_limit()
    {
        var body = new CountingStream(2 * 1024 * 1024);

        var answer = await _host.PostAsync("generic", [], request =>
        {
            request.Body = body;
            request.ContentLength = null;
        });

        answer.AssertProblem(StatusCodes.Status413PayloadTooLarge);
        Assert.Equal(IntakeService.MaxBodyBytes + 1, body.BytesRead);
    }

    [Fact]
    public async Task Body_of_exactly_the_limit_is_read_whole()
    {
        var open = Encoding.UTF8.GetString(WebhookSamples.Open("generic", WebhookSamples.NewId("generic")));
        var padded = Encoding.UTF8.GetBytes(open.TrimEnd() + new string(' ', IntakeService.MaxBodyBytes - Encoding.UTF8.GetByteCount(open.TrimEnd())));
        Assert.Equal(IntakeService.MaxBodyBytes, padded.Length);

        var answer = await _host.PostAsync("generic", padded, request => request.ContentLength = null);

        Assert.True(answer.Status == StatusCodes.Status202Accepted, answer.Body);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("not a media type")]
    public async Task Content_type_other_than_json_is_a_415_problem(string contentType)
    {
        var caller = UniqueCaller();

        var answer = await _host.PostAsync("jira", WebhookSamples.Open("jira", WebhookSamples.NewId("jira")), request => request.HttpContext.Connection.RemoteIpAddress = caller, contentType);

        answer.AssertProblem(StatusCodes.Status415UnsupportedMediaType);
        Assert.StartsWith("415: ", (await AuditedAsync("jira", caller)).GetString("Detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.pagerduty+json")]
    public async Task Json_or_no_content_type_is_taken(string? contentType)
    {
        var answer = await _host.PostAsync("pagerduty", WebhookSamples.Open("pagerduty", WebhookSamples.NewId("pagerduty")), contentType: contentType);

        Assert.True(answer.Status == StatusCodes.Status202Accepted, answer.Body);
    }

    [Fact]
    public async Task Unexpected_failure_is_a_503_problem_with_a_trace_id_only_so_the_sender_sends_again()
    {
        var store = Substitute.For<IIncidentStore>();
        store.FindForUpdateAsync(default!, TestContext.Current.CancellationToken).ReturnsForAnyArgs<StoredIncident?>(_ => throw new UnauthorizedAccessException("connection string AccountKey=secret"));
        await using var host = FunctionsHost.Create(azurite.ConnectionString, edge: services => services.AddSingleton(store));

        var answer = await host.PostAsync("generic", WebhookSamples.Open("generic", WebhookSamples.NewId("generic")));

        answer.AssertProblem(StatusCodes.Status503ServiceUnavailable);
        Assert.Equal(HttpProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Headers.RetryAfter.ToString());
        Assert.Contains("traceId", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("UnauthorizedAccessException", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_the_hub_cannot_apply_is_a_422_problem_and_kept_as_rejected()
    {
        var store = Substitute.For<IIncidentStore>();
        store.FindForUpdateAsync(default!, TestContext.Current.CancellationToken).ReturnsForAnyArgs<StoredIncident?>(_ => throw new ArgumentOutOfRangeException("ticks", "AccountKey=secret"));
        await using var host = FunctionsHost.Create(azurite.ConnectionString, edge: services => services.AddSingleton(store));

        var answer = await host.PostAsync("generic", WebhookSamples.Open("generic", WebhookSamples.NewId("generic")));

        var problem = answer.AssertProblem(StatusCodes.Status422UnprocessableEntity);
        Assert.Contains("kept at ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_that_does_not_answer_is_a_503_problem_asking_to_retry()
    {
        var archive = Substitute.For<IPayloadArchive>();
        archive.NewPath(default, default).ReturnsForAnyArgs("intake-archive/2026/12/04/generic/000000000-busy.json");
        archive.ArchiveAtAsync(default!, default, default, default, default, default, default, TestContext.Current.CancellationToken)
            .ReturnsForAnyArgs(_ => throw new RequestFailedException(503, "Server busy"));
        await using var host = FunctionsHost.Create(azurite.ConnectionString, edge: services => services.AddSingleton(archive));

        var answer = await host.PostAsync("generic", WebhookSamples.Open("generic", WebhookSamples.NewId("generic")));

        answer.AssertProblem(StatusCodes.Status503ServiceUnavailable);
        Assert.Equal(HttpProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void Functions_are_http_triggers_on_the_documented_routes_behind_function_keys()
    {
        var receive = Trigger(nameof(IntakeFunctions.ReceiveIncident));
        var get = Trigger(nameof(IntakeFunctions.GetIncident));

        Assert.Equal("intake/{source}", receive.Route);
        Assert.Equal(["post"], receive.Methods!);
        Assert.Equal(AuthorizationLevel.Function, receive.AuthLevel);
        Assert.Equal("incidents/{key}", get.Route);
        Assert.Equal(["get"], get.Methods!);
        Assert.Equal(AuthorizationLevel.Function, get.AuthLevel);

        static HttpTriggerAttribute Trigger(string function)
        {
            var method = typeof(IntakeFunctions).GetMethod(function)!;
            Assert.Equal(function, method.GetCustomAttributes(typeof(FunctionAttribute), false).Cast<FunctionAttribute>().Single().Name);
            return method.GetParameters().SelectMany(p => p.GetCustomAttributes(typeof(HttpTriggerAttribute), false)).Cast<HttpTriggerAttribute>().Single();
        }
    }

    private static IPAddress UniqueCaller() => IPAddress.Parse($"2001:db8::{RandomNumberGenerator.GetInt32(1, 0xffff):x}:{RandomNumberGenerator.GetInt32(1, 0xffff):x}");

    private async Task<int> ArchivedCountAsync(string source)
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(StorageNames.IntakeArchiveContainer);
        if (!await container.ExistsAsync(TestContext.Current.CancellationToken))
        {
            return 0;
        }

        var count = 0;
        await foreach (var _ in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"2026/11/24/{source}/" }, TestContext.Current.CancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>The audit line of the refused webhook from <paramref name="caller"/>.</summary>
    private async Task<TableEntity> AuditedAsync(string source, IPAddress caller, FunctionsHost? host = null)
    {
        // Refusals are audited aggregated, a row per kind a minute: the host stopping writes what it holds.
        await (host ?? _host).Services.GetRequiredService<RefusalAudit>().FlushAsync(all: true, TestContext.Current.CancellationToken);
        var table = new TableClient(azurite.ConnectionString, StorageNames.AuditTable);
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"202611"} and Actor eq {"intake:" + source} and Action eq {IntakeEndpoint.RefusedAction}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: TestContext.Current.CancellationToken))
        {
            if (row.GetString("Detail")?.EndsWith($"from {caller}", StringComparison.Ordinal) == true)
            {
                rows.Add(row);
            }
        }

        return Assert.Single(rows);
    }

    /// <summary>A body of a given length that counts what is read of it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        private long _position;

        public long BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Fill(buffer, (byte)' ', offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
