using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static ContinuityHub.Functions.Tests.TeamsHarness;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// A plan's automations through the outbox: the request (a signed CloudEvent to a loopback webhook) goes once, when
/// its trigger happens; the automation's callbacks become replies in the crisis team's conversation and entries in
/// the incident's history; a forged or repeated callback records nothing; silence past the timeout is said on the card.
/// </summary>
public sealed class AutomationPipelineTests(AzuriteFixture azurite)
{
    private const string Plan = CrisisTeamCatalog.Plan;
    private const string Channel = CrisisTeamCatalog.Channel;
    private const string Secret = "a webhook signing secret";

    /// <summary>Five minutes into an outage of online banking that started at 10:25 UTC: Alert.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_invoke_decision_runs_the_plans_invoke_automation_once_signed_and_a_recommendation_does_not()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await StartAsync(server);
        var key = await OutageAsync(h);

        h.Time.Advance(TimeSpan.FromMinutes(60));
        await h.ReassessAsync();
        await SweepAsync(h);
        Assert.Equal(AssessmentLevel.RecommendInvocation, (await h.AlertAsync(key, Plan)).Level);
        Assert.Empty(server.Requests);

        var answer = await h.DecideAsync(InvokeLink(h), "POST", by: "Sofia Rossi");
        await SweepAsync(h);
        await h.DecideAsync(InvokeLink(h), "POST", by: "Sofia Rossi");
        await SweepAsync(h);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/failover-sql"), (request.Method, request.PathAndQuery));
        Assert.Equal("application/cloudevents+json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(request.Body))), request.Headers["X-Hub-Signature-256"]);
        var cloudEvent = JsonNode.Parse(request.Body)!;
        Assert.Equal(("1.0", "ContinuityHub.AutomationRequested"), (cloudEvent["specversion"]!.GetValue<string>(), cloudEvent["type"]!.GetValue<string>()));
        Assert.Equal(request.Headers["X-Hub-Delivery"], cloudEvent["id"]!.GetValue<string>());
        var data = cloudEvent["data"]!;
        Assert.Equal(key, data["incident"]!["key"]!.GetValue<string>());
        Assert.Equal(Plan, data["plan"]!["id"]!.GetValue<string>());
        Assert.Equal("failover-sql", data["automation"]!.GetValue<string>());
        Assert.Equal("Invoke", data["decision"]!["action"]!.GetValue<string>());
        Assert.StartsWith("Sofia Rossi", data["decision"]!["by"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(data["reasons"]!.AsArray());
        Assert.StartsWith(BaseUrl + "api/automations/", data["callbackUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await h.PendingAsync(key));
    }

    [Fact]
    public async Task Callback_statuses_are_replies_in_the_conversation_and_entries_in_the_incident_history()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await StartAsync(server);
        var key = await InvokedAsync(h);
        var callback = CallbackUrl(server);
        var replies = h.RepliesIn(Channel).Count;

        var started = await CallbackAsync(h, callback, """{"status": "started", "message": "Runbook job 7 queued"}""");
        await SweepAsync(h);
        var succeeded = await CallbackAsync(h, callback, """{"status": "succeeded", "message": "SQL failed over to DC2 <in 4 min>", "link": "https://portal.azure.com/#jobs/7"}""");
        await SweepAsync(h);

        Assert.Equal((202, 202), (started.Status, succeeded.Status));
        Assert.Equal("succeeded", JsonNode.Parse(succeeded.Body)!["status"]!.GetValue<string>());
        var said = h.RepliesIn(Channel).Skip(replies).Select(CardOf).ToList();
        Assert.Equal(2, said.Count);
        Assert.Contains("Automation failover-sql started", said[0], StringComparison.Ordinal);
        Assert.Contains("Automation failover-sql succeeded", said[1], StringComparison.Ordinal);
        Assert.Contains("https://portal.azure.com/#jobs/7", said[1], StringComparison.Ordinal);
        Assert.DoesNotContain("<in 4 min>", said[1], StringComparison.Ordinal);
        var run = Assert.Single((await h.IncidentAsync(key))["automations"]!.AsArray())!;
        Assert.Equal(("failover-sql", "Invoke", "Succeeded"), (run["automation"]!.GetValue<string>(), run["on"]!.GetValue<string>(), run["status"]!.GetValue<string>()));
        Assert.Equal(["Started", "Succeeded"], run["reports"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal("https://portal.azure.com/#jobs/7", run["reports"]![1]!["link"]!.GetValue<string>());
        Assert.Null(run["callbackDue"]);
        var audit = (await h.AuditAsync()).Select(r => r.GetString("Action")).ToList();
        Assert.Contains("AutomationStarted", audit);
        Assert.Contains("AutomationSucceeded", audit);
        var reaction = Assert.Single((await h.IncidentAsync(key))["reactions"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "automation")!;
        Assert.Equal(("failover-sql", "Sent"), (reaction["target"]!.GetValue<string>(), reaction["status"]!.GetValue<string>()));
        Assert.Equal(0, await h.PendingAsync(key));
    }

    [Fact]
    public async Task A_forged_or_reused_callback_token_is_refused_and_records_nothing()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await StartAsync(server);
        var key = await InvokedAsync(h);
        var callback = CallbackUrl(server);
        Assert.Equal(202, (await CallbackAsync(h, callback, """{"status": "succeeded"}""")).Status);
        await SweepAsync(h);
        var (replies, audit, outbox) = (h.RepliesIn(Channel).Count, (await h.AuditAsync()).Count, (await h.OutboxRowsAsync(key)).Count);
        var token = callback[(BaseUrl.Length + "api/automations/".Length)..];
        var forged = BaseUrl + "api/automations/" + (token[0] == 'A' ? 'B' : 'A') + token[1..];
        var decision = ActionUrl(CardOf(h.CardsIn(Channel)[0]), "Stand down")!;

        var answers = new[]
        {
            await CallbackAsync(h, forged, """{"status": "started"}"""),
            await CallbackAsync(h, decision.Replace("api/decisions/", "api/automations/", StringComparison.Ordinal), """{"status": "started"}"""),
            await CallbackAsync(h, callback, """{"status": "succeeded"}"""),
            await CallbackAsync(h, callback, """{"status": "failed"}"""),
            await CallbackAsync(h, callback, """{"status": "started"}"""),
        };
        await SweepAsync(h);

        Assert.Equal([401, 401, 410, 410, 410], answers.Select(a => a.Status));
        Assert.All(answers, a => Assert.Equal("application/problem+json", a.ContentType));
        Assert.Equal((replies, audit, outbox), (h.RepliesIn(Channel).Count, (await h.AuditAsync()).Count, (await h.OutboxRowsAsync(key)).Count));
        var run = Assert.Single((await h.IncidentAsync(key))["automations"]!.AsArray())!;
        Assert.Single(run["reports"]!.AsArray());
    }

    [Fact]
    public async Task A_callback_without_a_known_status_is_a_problem_naming_the_field()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await StartAsync(server);
        await InvokedAsync(h);
        var callback = CallbackUrl(server);

        var answer = await CallbackAsync(h, callback, """{"status": "done", "link": "ftp://x"}""");

        Assert.Equal(400, answer.Status);
        var problem = JsonNode.Parse(answer.Body)!;
        Assert.Contains("'done' is not a status", problem["errors"]!["status"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(problem["errors"]!["link"]);
    }

    [Fact]
    public async Task An_automation_without_callback_is_reported_on_the_card_after_its_timeout_once()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var h = await StartAsync(server);
        var key = await InvokedAsync(h);
        var replies = h.RepliesIn(Channel).Count;

        h.Time.Advance(TimeSpan.FromMinutes(20));
        await h.EscalateAsync();
        await SweepAsync(h);
        var early = h.RepliesIn(Channel).Count;
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.EscalateAsync();
        await SweepAsync(h);
        await h.EscalateAsync();
        await SweepAsync(h);

        Assert.Equal(replies, early);
        var said = CardOf(Assert.Single(h.RepliesIn(Channel).Skip(replies)));
        Assert.Contains("Automation failover-sql was requested at", said, StringComparison.Ordinal);
        Assert.Contains("has not reported back within 30 min", said, StringComparison.Ordinal);
        var run = Assert.Single((await h.IncidentAsync(key))["automations"]!.AsArray())!;
        Assert.True(run["overdue"]!.GetValue<bool>());

        // A late callback is still taken, and said.
        Assert.Equal(202, (await CallbackAsync(h, CallbackUrl(server), """{"status": "succeeded"}""")).Status);
        await SweepAsync(h);
        Assert.Contains("Automation failover-sql succeeded", CardOf(h.RepliesIn(Channel)[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttling_webhook_gets_the_request_once_the_429s_pass_with_the_same_event_and_signature()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Answer(HttpStatusCode.TooManyRequests, times: 4, retryAfter: "0");
        await using var h = await StartAsync(server);

        var key = await InvokedAsync(h);

        Assert.Single(server.Requests, r => r.Status == 201);
        Assert.Equal(5, server.Requests.Count);
        Assert.Single(server.Requests.Select(r => (r.Body, r.Headers["X-Hub-Signature-256"], r.Headers["X-Hub-Delivery"])).Distinct());
        Assert.Equal(0, await h.PendingAsync(key));
    }

    [Fact]
    public async Task A_webhook_that_refuses_for_good_is_a_failed_reaction_and_the_crisis_team_hears_it_did_not_run()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Answer(HttpStatusCode.NotFound, body: """{"message": "Webhook not found"}""");
        await using var h = await StartAsync(server);

        var key = await InvokedAsync(h);

        Assert.Single(server.Requests);
        var reaction = Assert.Single((await h.IncidentAsync(key))["reactions"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "automation")!;
        Assert.Equal("Failed", reaction["status"]!.GetValue<string>());
        Assert.Contains("404", reaction["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Automation failover-sql could not be requested", CardOf(h.RepliesIn(Channel)[^1]), StringComparison.Ordinal);
        var run = Assert.Single((await h.IncidentAsync(key))["automations"]!.AsArray())!;
        Assert.Equal("Requested", run["status"]!.GetValue<string>());
        Assert.Null(run["callbackDue"]);
        Assert.Equal(0, await h.PendingAsync(key));
    }

    [Fact]
    public async Task A_plan_the_clock_invokes_runs_its_invoke_automation_and_its_alert_automation_ran_at_the_first_alert()
    {
        await using var server = await RecordingServer.StartAsync();
        var catalog = Catalog(server, autoInvoke: true, new PlanAutomation("page-dba", AutomationTrigger.Alert, AutomationKind.Webhook, new Uri(server.BaseUrl, "page-dba").ToString(), null, null, null, TimeSpan.FromMinutes(10)));
        await using var h = await TeamsHarness.StartAsync(azurite, catalog, Now, Settings());
        var key = await OutageAsync(h);
        Assert.Equal(["/page-dba"], server.Requests.Select(r => r.PathAndQuery));

        for (var i = 0; i < 12 && (await h.AlertAsync(key, Plan)).Status != AlertStatus.Invoked; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(30));
            await h.ReassessAsync();
            await SweepAsync(h);
        }

        Assert.Equal(AlertStatus.Invoked, (await h.AlertAsync(key, Plan)).Status);
        Assert.Equal(["/page-dba", "/failover-sql"], server.Requests.Select(r => r.PathAndQuery));
        var data = JsonNode.Parse(server.Requests[1].Body)!["data"]!;
        Assert.Equal("Invoke", data["level"]!.GetValue<string>());
        Assert.StartsWith("ContinuityHub (automatic invocation", data["decision"]!["by"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<TeamsHarness> StartAsync(RecordingServer server) =>
        await TeamsHarness.StartAsync(azurite, Catalog(server, autoInvoke: false), Now, Settings());

    private static Dictionary<string, string?> Settings() => new() { ["Automations:Secrets:automation-failover-sql"] = Secret };

    private static ContinuityCatalog Catalog(RecordingServer server, bool autoInvoke, params PlanAutomation[] more)
    {
        var catalog = CrisisTeamCatalog.Create();
        var failover = new PlanAutomation("failover-sql", AutomationTrigger.Invoke, AutomationKind.Webhook, new Uri(server.BaseUrl, "failover-sql").ToString(), null, null, "automation-failover-sql", TimeSpan.FromMinutes(30));
        return catalog with { Plans = [catalog.Plans[0] with { AutoInvoke = autoInvoke, Automations = [.. more, failover] }] };
    }

    private static async Task<string> OutageAsync(TeamsHarness h)
    {
        var result = await h.ReceiveAsync("""{"id": "INC-AU1", "title": "INC-AU1 online banking down", "priority": "P1", "major": true, "state": "Open", "startedAt": "2026-11-24T10:25:00Z", "services": ["online-banking"]}""");
        Assert.Equal(AssessmentLevel.Alert, result.Level);
        await SweepAsync(h);
        return result.IncidentKey;
    }

    /// <summary>An outage whose plan a person invoked: the automation's request is out (or was tried).</summary>
    private static async Task<string> InvokedAsync(TeamsHarness h)
    {
        var key = await OutageAsync(h);
        Assert.Equal(200, (await h.DecideAsync(InvokeLink(h), "POST", by: "Sofia Rossi")).Status);
        await SweepAsync(h);
        return key;
    }

    private static string InvokeLink(TeamsHarness h) => ActionUrl(CardOf(h.CardsIn(Channel)[0]), "Invoke plan")!;

    private static string CallbackUrl(RecordingServer server) =>
        JsonNode.Parse(server.Requests.Last(r => r.PathAndQuery == "/failover-sql").Body)!["data"]!["callbackUrl"]!.GetValue<string>();

    private static async Task<HttpAnswer> CallbackAsync(TeamsHarness h, string url, string json)
    {
        Assert.StartsWith(BaseUrl + "api/automations/", url, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(url[(BaseUrl.Length + "api/automations/".Length)..]);
        var context = new DefaultHttpContext { RequestServices = h.Services };
        var body = Encoding.UTF8.GetBytes(json);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Response.Body = new MemoryStream();
        var result = await ActivatorUtilities.CreateInstance<DecisionFunctions>(h.Services).ReportAutomation(context.Request, token, Token);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, await reader.ReadToEndAsync(Token));
    }

    // The sweep retries what the webhook throttled; the clock moves past each claim.
    private static async Task SweepAsync(TeamsHarness h)
    {
        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.SweepAsync();
        }
    }
}
