using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using ContinuityHub.Reactions;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// Write-back through the outbox: the record an incident came from gets one note per change of level at or above
/// Alert and per stand-down, in order, exactly once, however often the source throttles.
/// </summary>
public sealed class WriteBackPipelineTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("servicenow")]
    [InlineData("jira")]
    [InlineData("pagerduty")]
    [InlineData("opsgenie")]
    public async Task Each_source_record_gets_one_note_per_level_change_and_stand_down_none_twice_under_a_429_storm(string source)
    {
        await using var server = await RecordingServer.StartAsync();
        server.Answer(HttpStatusCode.TooManyRequests, times: 3, retryAfter: "0");
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now, WriteBackTo(server, source));
        var id = RecordId(source);

        var opened = await h.ReceiveAsync(WebhookSamples.Source(source), WebhookSamples.Open(source, id));
        await SweepAsync(h);
        await h.ReceiveAsync(WebhookSamples.Source(source), WebhookSamples.Resolved(source, id));
        await SweepAsync(h);

        Assert.True(opened.Level >= AssessmentLevel.Alert, $"the sample opened at {opened.Level}");
        var writing = (await h.OutboxRowsAsync(opened.IncidentKey)).Select(Entry).Where(WriteBackNote.Writes).ToList();
        var notes = server.Requests.Where(r => r.Status == 201).ToList();
        Assert.Equal(3, server.Requests.Count(r => r.Status == 429));
        Assert.Equal(writing.Count, notes.Count);
        Assert.Equal(notes.Count, notes.Select(n => n.Body).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(opened.Level.ToString(), notes[0].Body, StringComparison.Ordinal);
        Assert.Contains("stand-down", notes[^1].Body, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(opened.IncidentKey), notes[^1].Body, StringComparison.Ordinal);
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
    }

    [Fact]
    public async Task A_servicenow_level_change_sets_the_policys_fields_in_its_work_note_patch_and_the_stand_down_does_not()
    {
        await using var server = await RecordingServer.StartAsync();
        var catalog = SeedCatalog();
        catalog = catalog with
        {
            Policy = catalog.Policy with
            {
                ServiceNowFields = new Dictionary<string, string> { ["major_incident_state"] = "accepted", ["u_continuity_level"] = Policy.LevelPlaceholder },
            },
        };
        await using var h = await TeamsHarness.StartAsync(azurite, catalog, Now, new Dictionary<string, string?>
        {
            ["Reactions:Sources:servicenow:BaseUrl"] = server.BaseUrl.ToString(),
            ["Reactions:Sources:servicenow:User"] = "hub.integration",
            ["Reactions:Sources:servicenow:Token"] = "a-token",
        });
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        var opened = await h.ReceiveAsync(AliasSource.ServiceNow, WebhookSamples.Open("servicenow", id));
        await SweepAsync(h);
        await h.ReceiveAsync(AliasSource.ServiceNow, WebhookSamples.Resolved("servicenow", id));
        await SweepAsync(h);

        var patches = server.Requests.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
        Assert.All(server.Requests, r => Assert.Equal(("PATCH", $"/api/now/table/incident/{id}"), (r.Method, r.PathAndQuery)));
        Assert.True(patches.Count >= 2, $"expected a level change and the stand-down, got {patches.Count} requests");
        var level = patches[0];
        Assert.StartsWith("ContinuityHub: level " + opened.Level, level["work_notes"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("accepted", opened.Level.ToString()), (level["major_incident_state"]!.GetValue<string>(), level["u_continuity_level"]!.GetValue<string>()));
        var standDown = patches[^1];
        Assert.Contains("stand-down", standDown["work_notes"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["work_notes"], standDown.Select(p => p.Key));
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
    }

    [Theory]
    [InlineData("servicenow")]
    [InlineData("jira")]
    [InlineData("pagerduty")]
    [InlineData("opsgenie")]
    public async Task Each_source_record_gets_one_note_per_decision_with_who_made_it_none_twice_under_a_429_storm(string source)
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now, WriteBackTo(server, source));
        var id = RecordId(source);
        var opened = await h.ReceiveAsync(WebhookSamples.Source(source), WebhookSamples.Open(source, id));
        await SweepAsync(h);
        var card = TeamsHarness.CardOf(h.Graph.Requests.First(r => r.CarriesCard && TeamsHarness.ActionUrl(TeamsHarness.CardOf(r), "Invoke plan") is not null));
        var before = server.Requests.Count;
        server.Answer(HttpStatusCode.TooManyRequests, times: 6, retryAfter: "0");

        foreach (var (action, by) in new[] { ("Acknowledge", "James Whitfield"), ("Invoke plan", "Sofia Rossi"), ("Stand down", "Hannah Schmidt") })
        {
            Assert.Equal(200, (await h.DecideAsync(TeamsHarness.ActionUrl(card, action)!, "POST", by: by)).Status);
            await SweepAsync(h);
        }

        var notes = server.Requests.Skip(before).Where(r => r.Status is >= 200 and < 300).Select(r => r.Body).ToList();
        Assert.Equal(3, notes.Count);
        Assert.Equal(6, server.Requests.Skip(before).Count(r => r.Status == 429));
        Assert.Contains("Acknowledged by James Whitfield", notes[0], StringComparison.Ordinal);
        Assert.Contains("Invoked by Sofia Rossi", notes[1], StringComparison.Ordinal);
        Assert.Contains("Stood down by Hannah Schmidt", notes[2], StringComparison.Ordinal);
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
    }

    [Fact]
    public async Task A_decision_on_the_card_is_noted_on_the_record_with_who_made_it()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now, new Dictionary<string, string?>
        {
            ["Reactions:Sources:pagerduty:BaseUrl"] = server.BaseUrl.ToString(),
            ["Reactions:Sources:pagerduty:User"] = "continuity@contoso.example",
            ["Reactions:Sources:pagerduty:Token"] = "a-token",
        });
        var opened = await h.ReceiveAsync(AliasSource.PagerDuty, WebhookSamples.Open("pagerduty", WebhookSamples.NewId("pagerduty")));
        await SweepAsync(h);
        var link = h.Graph.Requests.Where(r => r.CarriesCard).Select(r => TeamsHarness.ActionUrl(TeamsHarness.CardOf(r), "Acknowledge")).First(l => l is not null)!;

        var answer = await h.DecideAsync(link, "POST", by: "James Whitfield");
        await SweepAsync(h);

        Assert.Equal(200, answer.Status);
        var acknowledged = Assert.Single(server.Requests, r => r.Body.Contains("alert acknowledged", StringComparison.Ordinal));
        Assert.Contains("Acknowledged by James Whitfield", acknowledged.Body, StringComparison.Ordinal);
        Assert.EndsWith("/notes", acknowledged.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
        var report = await h.Get<ContinuityHub.Reporting.ReportService>().BuildAsync(new DateOnly(2026, 11, 25), TestContext.Current.CancellationToken);
        Assert.Equal(new ContinuityHub.Reporting.ReactionCounts(Run: server.Requests.Count, Failed: 0, Pending: 0), report.Report.Reactions);
    }

    [Fact]
    public async Task An_azure_monitor_alert_is_acknowledged_in_azure_when_the_crisis_team_acknowledges_and_gets_nothing_else()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await TeamsHarness.StartAsync(
            azurite,
            SeedCatalog(),
            Now,
            new Dictionary<string, string?>
            {
                ["Reactions:Sources:azuremonitor:Enabled"] = "true",
                ["Reactions:Sources:azuremonitor:BaseUrl"] = server.BaseUrl.ToString(),
            },
            identity: new ArmToken());
        var id = Guid.NewGuid().ToString();
        var opened = await h.ReceiveAsync(AliasSource.AzureMonitor, WebhookSamples.Open("azuremonitor", id));
        await SweepAsync(h);
        Assert.Empty(server.Requests);
        var link = h.Graph.Requests.Where(r => r.CarriesCard).Select(r => TeamsHarness.ActionUrl(TeamsHarness.CardOf(r), "Acknowledge")).First(l => l is not null)!;

        await h.DecideAsync(link, "POST", by: "Sofia Rossi");
        await SweepAsync(h);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/{id}/changestate?api-version=2019-03-01&newState=Acknowledged", request.PathAndQuery);
        Assert.Equal("Bearer arm-token", request.Headers["Authorization"]);
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
    }

    [Fact]
    public async Task A_record_the_source_refuses_shows_as_a_failed_reaction_on_the_incident_and_is_not_tried_again()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Answer(HttpStatusCode.NotFound, body: """{"error": {"message": "Incident Not Found", "code": 2100}}""");
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now, new Dictionary<string, string?>
        {
            ["Reactions:Sources:pagerduty:BaseUrl"] = server.BaseUrl.ToString(),
            ["Reactions:Sources:pagerduty:Token"] = "a-token",
        });
        var opened = await h.ReceiveAsync(AliasSource.PagerDuty, WebhookSamples.Open("pagerduty", WebhookSamples.NewId("pagerduty")));
        await SweepAsync(h);

        var reaction = Assert.Single((await h.IncidentAsync(opened.IncidentKey))["reactions"]!.AsArray())!;

        Assert.Single(server.Requests);
        Assert.Equal(("writeback", "pagerduty", "Failed", 1), (reaction["kind"]!.GetValue<string>(), reaction["target"]!.GetValue<string>(), reaction["status"]!.GetValue<string>(), reaction["attempts"]!.GetValue<int>()));
        Assert.Contains("404", reaction["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Incident Not Found", reaction["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
        var report = await h.Get<ContinuityHub.Reporting.ReportService>().BuildAsync(new DateOnly(2026, 11, 25), TestContext.Current.CancellationToken);
        Assert.Equal(new ContinuityHub.Reporting.ReactionCounts(Run: 0, Failed: 1, Pending: 0), report.Report.Reactions);
        Assert.Contains("Reactions (notes written back to the source records, plan automations requested): 0 run, 1 refused, 0 pending.", System.Text.Encoding.UTF8.GetString(report.Files.Single(f => f.FileName.EndsWith(".html", StringComparison.Ordinal)).Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_without_write_back_settings_gets_nothing_and_the_alert_goes_out_as_ever()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now);

        var opened = await h.ReceiveAsync(AliasSource.PagerDuty, WebhookSamples.Open("pagerduty", WebhookSamples.NewId("pagerduty")));
        await SweepAsync(h);

        Assert.Empty(server.Requests);
        Assert.NotEmpty(h.Graph.RequestsTo("/messages"));
        Assert.Equal(0, await h.PendingAsync(opened.IncidentKey));
    }

    // Write-back to one source, at its own path on the recording server.
    private static Dictionary<string, string?> WriteBackTo(RecordingServer server, string source) => new()
    {
        [$"Reactions:Sources:{source}:BaseUrl"] = new Uri(server.BaseUrl, source + "/").ToString(),
        [$"Reactions:Sources:{source}:User"] = "continuity@contoso.example",
        [$"Reactions:Sources:{source}:Token"] = "a-token",
    };

    // A ServiceNow record by its sys_id (32 hex digits), so no lookup by number comes first; another source's own id.
    private static string RecordId(string source) =>
        source == "servicenow" ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : WebhookSamples.NewId(source);

    // The sweep retries what the source throttled; the clock moves past each claim.
    private static async Task SweepAsync(TeamsHarness h)
    {
        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.SweepAsync();
        }
    }

    private sealed class ArmToken : global::Azure.Core.TokenCredential
    {
        public override global::Azure.Core.AccessToken GetToken(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("arm-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<global::Azure.Core.AccessToken> GetTokenAsync(global::Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private static OutboxEntry Entry(global::Azure.Data.Tables.TableEntity row) =>
        new(row.GetString("IncidentKey")!, row.RowKey, row.GetDateTimeOffset("At")!.Value, Enum.Parse<OutboxKind>(row.GetString("Kind")!), Enum.Parse<AssessmentLevel>(row.GetString("Level")!), []);

    // The seed catalogue without its plans' automations: these tests count the write-back alone.
    private static ContinuityCatalog SeedCatalog()
    {
        var seed = CatalogYamlReader.Read(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "seed", "catalog.yaml")));
        return seed with { Plans = [.. seed.Plans.Select(p => p with { Automations = [] })] };
    }
}
