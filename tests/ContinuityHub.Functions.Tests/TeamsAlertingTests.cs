using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using static ContinuityHub.Functions.Tests.TeamsHarness;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// The crisis team hears of an incident in Microsoft Teams: the functions (intake, timers, decision links) called as
/// the host calls them, with the app's real services on Azurite (tables and containers of this test's own) and
/// GraphServiceClient pointed at a loopback Graph that records every request. Only the Service Bus sender is a substitute.
/// </summary>
public sealed class TeamsAlertingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Team = CrisisTeamCatalog.Team;
    private const string Channel = CrisisTeamCatalog.Channel;
    private const string Plan = CrisisTeamCatalog.Plan;
    private const string ContinuityTeam = TeamsHarness.ContinuityTeam;
    private const string ContinuityChannel = TeamsHarness.ContinuityChannel;

    /// <summary>Five minutes into an outage of online banking that started at 10:25 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<string> Tier1 = CrisisTeamCatalog.Tier1;
    private static readonly IReadOnlyList<string> Tier2 = CrisisTeamCatalog.Tier2;
    private static readonly IReadOnlyList<string> Tier3 = CrisisTeamCatalog.Tier3;

    private TeamsHarness _h = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _h = await TeamsHarness.StartAsync(azurite, CrisisTeamCatalog.Create("Online banking disaster recovery <secondary region>"), Now);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Alert_posts_a_card_in_the_crisis_channel_and_notifies_the_tier_on_duty()
    {
        var key = await OutageAsync("INC-A1");

        var post = Assert.Single(_h.Graph.DeliveredTo($"/teams/{Team}/channels/"));
        Assert.Equal("POST", post.Method);
        Assert.Equal($"/v1.0/teams/{Team}/channels/{Channel}/messages", post.Path);
        var card = JsonNode.Parse(post.CardJson!)!;
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Contains("INC-A1 online banking down", post.CardJson, StringComparison.Ordinal);
        Assert.NotNull(ActionUrl(post.CardJson!, "Acknowledge"));
        Assert.NotNull(ActionUrl(post.CardJson!, "Invoke plan"));
        Assert.NotNull(ActionUrl(post.CardJson!, "Stand down"));
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
        var alert = await AlertAsync(key);
        Assert.Equal(AlertStatus.Active, alert.Status);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), alert.NextEscalationAt);
        Assert.Null(alert.DeliveryProblem);
    }

    [Fact]
    public async Task A_level_rise_replies_in_the_same_conversation_with_the_bridge()
    {
        var key = await OutageAsync("INC-A2");
        Assert.Single(_h.Graph.DeliveredTo("/messages"));
        var root = (await AlertAsync(key)).MessageId!;

        _h.Time.Advance(TimeSpan.FromMinutes(56)); // 11:26, past the latest safe invocation (10:25 + 4 h RTO - 3 h recovery)
        await _h.Timers().ReassessOpenIncidents(new TimerInfo(), Context());

        var reply = Assert.Single(_h.Graph.DeliveredTo("/replies"));
        Assert.Contains($"/messages/{root}/replies", reply.Path, StringComparison.Ordinal);
        Assert.Contains("Invocation recommended", reply.CardJson, StringComparison.Ordinal);
        Assert.Single(_h.Graph.DeliveredTo("/onlineMeetings"));
        var joinUrl = (await AlertAsync(key)).BridgeUrl!;
        Assert.Contains(joinUrl, reply.CardJson, StringComparison.Ordinal);
        Assert.Single(_h.Graph.DeliveredTo("/messages"), r => !r.Path.Contains("/replies", StringComparison.Ordinal));
        Assert.Equal(AssessmentLevel.RecommendInvocation, (await AlertAsync(key)).Level);
    }

    [Fact]
    public async Task A_level_fall_is_a_reply_in_the_same_conversation_and_pages_nobody()
    {
        var key = await OutageAsync("INC-A14");

        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await ReceiveAsync(Outage("INC-A14", priority: "P3", major: false)); // downgraded: monitored, no longer assessed for invocation

        var reply = Assert.Single(_h.Graph.DeliveredTo("/replies"));
        Assert.Contains($"/messages/{(await AlertAsync(key)).MessageId}/replies", reply.Path, StringComparison.Ordinal);
        Assert.Contains("The level is now Monitor", CardOf(reply), StringComparison.Ordinal);
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
        Assert.Equal(AssessmentLevel.Monitor, (await AlertAsync(key)).Level);
    }

    [Fact]
    public async Task Nobody_acknowledging_pages_the_next_tier_after_the_escalation_delay()
    {
        var key = await OutageAsync("INC-A3");

        _h.Time.Advance(TimeSpan.FromMinutes(14));
        await _h.Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await _h.Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());
        Assert.Equal(Tier1.Concat(Tier2).Order(), _h.ActivityRecipients().Order());
        var escalation = Assert.Single(_h.Graph.DeliveredTo("/replies"));
        Assert.Contains("tier 2", escalation.CardJson, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Tier2[0], escalation.CardJson, StringComparison.Ordinal);

        _h.Time.Advance(TimeSpan.FromMinutes(15));
        await _h.Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());
        Assert.Equal(Tier1.Concat(Tier2).Concat(Tier3).Order(), _h.ActivityRecipients().Order());
        var alert = await AlertAsync(key);
        Assert.Equal([0, 1, 2], alert.Paged.Select(p => p.Tier));
        Assert.Null(alert.NextEscalationAt); // out of tiers
    }

    [Fact]
    public async Task The_acknowledge_link_records_who_acted_and_stops_escalation()
    {
        var key = await OutageAsync("INC-A4");
        var link = ActionUrl(CardOf(Assert.Single(_h.Graph.DeliveredTo("/messages"))), "Acknowledge")!;

        _h.Time.Advance(TimeSpan.FromMinutes(3));
        var answer = await _h.DecideAsync(link, "POST", by: "James Whitfield");

        Assert.True(answer.Status == StatusCodes.Status200OK, answer.Body);
        var alert = await AlertAsync(key);
        Assert.Equal(AlertStatus.Acknowledged, alert.Status);
        Assert.StartsWith("James Whitfield", alert.AcknowledgedBy, StringComparison.Ordinal);
        Assert.Equal(Now + TimeSpan.FromMinutes(3), alert.AcknowledgedAt);
        var audit = Assert.Single(await _h.AuditAsync(), row => row.GetString("Action") == "Acknowledged");
        Assert.Equal(key, audit.GetString("Subject"));
        Assert.Contains("Acknowledged by James Whitfield", CardOf(Assert.Single(_h.Graph.DeliveredTo("/replies"))), StringComparison.Ordinal);

        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
    }

    [Fact]
    public async Task The_invoke_link_publishes_PlanInvoked_on_the_topic_opens_the_war_room_and_audits()
    {
        var key = await OutageAsync("INC-A5");
        var link = ActionUrl(CardOf(Assert.Single(_h.Graph.DeliveredTo("/messages"))), "Invoke plan")!;

        var page = await _h.DecideAsync(link, "GET", html: true);
        Assert.Equal(StatusCodes.Status200OK, page.Status);
        Assert.Contains("<form method=\"post\">", page.Body, StringComparison.Ordinal);
        Assert.Empty(_h.Published); // a GET (a link scanner) changes nothing

        var answer = await _h.DecideAsync(link, "POST", by: "Sofia Rossi");

        Assert.True(answer.Status == StatusCodes.Status200OK, answer.Body);
        var message = Assert.Single(_h.Published);
        Assert.Equal("application/cloudevents+json; charset=utf-8", message.ContentType);
        var cloudEvent = JsonNode.Parse(message.Body.ToString())!;
        Assert.Equal("ContinuityHub.PlanInvoked", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(message.MessageId, cloudEvent["id"]!.GetValue<string>());
        Assert.Equal(key, cloudEvent["data"]!["incidentKey"]!.GetValue<string>());
        Assert.Equal(Plan, cloudEvent["data"]!["plan"]!.GetValue<string>());
        Assert.StartsWith("Sofia Rossi", cloudEvent["data"]!["decidedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(await _h.AuditAsync(), row => row.GetString("Action") == "PlanInvoked");
        var warRoom = Assert.Single(_h.Graph.DeliveredTo($"/teams/{Team}/channels"), r => r.Path.EndsWith("/channels", StringComparison.Ordinal));
        Assert.Equal("private", Json(warRoom.Body)["membershipType"]!.GetValue<string>());
        var alert = await AlertAsync(key);
        Assert.Equal(AlertStatus.Invoked, alert.Status);
        Assert.NotNull(alert.WarRoomUrl);
        Assert.Null(alert.NextEscalationAt);
    }

    [Fact]
    public async Task A_war_room_whose_member_could_not_be_added_is_completed_by_the_sweep_without_a_second_channel()
    {
        var key = await OutageAsync("INC-A13");
        var link = ActionUrl(CardOf(Assert.Single(_h.Graph.DeliveredTo("/messages"))), "Invoke plan")!;
        _h.Graph.Fail(4, 503, TimeSpan.Zero, r => r.Path.EndsWith("/members", StringComparison.Ordinal)); // the first member add fails past the SDK's retries

        var answer = await _h.DecideAsync(link, "POST", by: "Sofia Rossi");
        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        Assert.Single(_h.Graph.DeliveredTo($"/teams/{Team}/channels"), r => r.Path.EndsWith("/channels", StringComparison.Ordinal));
        Assert.Single(await _h.Get<IAlertStore>().PendingOutboxAsync(key, Token));

        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());

        Assert.Single(_h.Graph.DeliveredTo($"/teams/{Team}/channels"), r => r.Path.EndsWith("/channels", StringComparison.Ordinal));
        var added = _h.Graph.DeliveredTo("/members").Select(r => r.Json!["user@odata.bind"]!.GetValue<string>()).ToList();
        var expected = Tier1.Concat(Tier2).Concat(Tier3).Skip(1).Select(m => $"https://graph.microsoft.com/v1.0/users('{m}')");
        Assert.Equal(expected.Order(), added.Order());
        Assert.Single(_h.Published);
        Assert.Empty(await _h.Get<IAlertStore>().PendingOutboxAsync(key, Token));
        Assert.NotNull((await AlertAsync(key)).WarRoomUrl);
    }

    [Fact]
    public async Task Resolution_stands_the_crisis_team_down_and_closes_the_conversation()
    {
        var key = await OutageAsync("INC-A6");

        _h.Time.Advance(TimeSpan.FromMinutes(10));
        await ReceiveAsync(Outage("INC-A6", state: "Resolved"));

        var standDown = Assert.Single(_h.Graph.DeliveredTo("/replies"));
        Assert.Null(ActionUrl(CardOf(standDown), "Acknowledge"));
        Assert.Contains("stood down", CardOf(standDown), StringComparison.OrdinalIgnoreCase);
        var alert = await AlertAsync(key);
        Assert.Equal(AlertStatus.StoodDown, alert.Status);
        Assert.Null(alert.NextEscalationAt);

        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
    }

    [Fact]
    public async Task The_stand_down_link_records_the_decision_and_stops_escalation()
    {
        var key = await OutageAsync("INC-A7");
        var link = ActionUrl(CardOf(Assert.Single(_h.Graph.DeliveredTo("/messages"))), "Stand down")!;

        var answer = await _h.DecideAsync(link, "POST");

        Assert.True(answer.Status == StatusCodes.Status200OK, answer.Body);
        Assert.Equal(AlertStatus.StoodDown, (await AlertAsync(key)).Status);
        Assert.Single(await _h.AuditAsync(), row => row.GetString("Action") == "StoodDown");
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
    }

    [Fact]
    public async Task Forged_expired_and_reused_links_are_refused_and_record_nothing()
    {
        var key = await OutageAsync("INC-A8");
        var card = CardOf(Assert.Single(_h.Graph.DeliveredTo("/messages")));
        var acknowledge = ActionUrl(card, "Acknowledge")!;
        var invoke = ActionUrl(card, "Invoke plan")!;
        var token = acknowledge[(acknowledge.LastIndexOf('/') + 1)..];
        var forged = acknowledge[..^(token.Length)] + Tamper(Uri.UnescapeDataString(token));

        var refusedForged = await _h.DecideAsync(forged, "POST");
        refusedForged.AssertProblem(StatusCodes.Status401Unauthorized);

        var used = await _h.DecideAsync(acknowledge, "POST", by: "first");
        Assert.Equal(StatusCodes.Status200OK, used.Status);
        var before = (await _h.AuditAsync()).Count;
        var reused = await _h.DecideAsync(acknowledge, "POST", by: "second");
        reused.AssertProblem(StatusCodes.Status410Gone);

        _h.Time.Advance(TimeSpan.FromHours(25)); // links live 24 hours
        var expired = await _h.DecideAsync(invoke, "POST");
        expired.AssertProblem(StatusCodes.Status410Gone);

        Assert.Equal(before, (await _h.AuditAsync()).Count);
        Assert.Empty(_h.Published);
        var alert = await AlertAsync(key);
        Assert.Equal(AlertStatus.Acknowledged, alert.Status);
        Assert.StartsWith("first", alert.AcknowledgedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_storm_delivers_each_notification_exactly_once()
    {
        // Graph throttles the next 20 requests (each with Retry-After: 0); the SDK's retry handler tries each request 4 times.
        _h.Graph.Fail(20, 429, TimeSpan.Zero);

        var key = await OutageAsync("INC-A9");
        for (var sweep = 0; sweep < 10 && (await _h.Get<IAlertStore>().PendingOutboxAsync(key, Token)).Count > 0; sweep++)
        {
            await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());
        }

        Assert.Empty(await _h.Get<IAlertStore>().PendingOutboxAsync(key, Token));
        Assert.True(_h.Graph.Requests.Count(r => r.Injected) == 20, "the storm was answered");
        Assert.Single(_h.Graph.DeliveredTo("/messages"));
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
        Assert.Null((await AlertAsync(key)).DeliveryProblem);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_shows_on_the_incident_until_it_gets_through()
    {
        _h.Graph.Fail(1000, 503, TimeSpan.Zero, r => r.Path.EndsWith("/messages", StringComparison.Ordinal));

        var key = await OutageAsync("INC-A10");
        for (var sweep = 0; sweep < 3; sweep++)
        {
            _h.Time.Advance(TimeSpan.FromMinutes(3)); // past the claim of the attempt before
            await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());
        }

        var failing = await AlertAsync(key);
        Assert.Contains("keeps failing", failing.DeliveryProblem, StringComparison.Ordinal);
        Assert.Empty(_h.Graph.DeliveredTo("/messages"));
        var report = await _h.Get<ReportService>().BuildAsync(new DateOnly(2026, 11, 25), Token);
        var line = Assert.Single(report.Report.CrisisTeamAlerts.Items, a => a.IncidentKey == key);
        Assert.Contains("keeps failing", line.DeliveryProblem, StringComparison.Ordinal);
        Assert.Equal(1, report.Report.CrisisTeamAlerts.DeliveryProblems);
        Assert.Contains("keeps failing", Encoding.UTF8.GetString(report.Files.Single(f => f.FileName.EndsWith(".html", StringComparison.Ordinal)).Content.Span), StringComparison.Ordinal);

        _h.Graph.Reset();
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());
        Assert.Single(_h.Graph.DeliveredTo("/messages"));
        Assert.Null((await AlertAsync(key)).DeliveryProblem);
    }

    [Fact]
    public async Task An_expired_sign_in_is_raised_as_an_incident_and_mailed_while_people_are_still_paged()
    {
        // Graph answers 401 to the notifications account's channel posts: its sign-in expired or was revoked.
        _h.Graph.Fail(1000, 401, when: r => r.Path.EndsWith("/messages", StringComparison.Ordinal));

        var key = await OutageAsync("INC-A11");

        Assert.Empty(_h.Graph.DeliveredTo("/messages"));
        Assert.Equal(Tier1.Order(), _h.ActivityRecipients().Order());
        var raised = await _h.Get<IIncidentStore>().FindAsync("generic~continuityhub-teams-sign-in-20261124", Token);
        Assert.NotNull(raised);
        Assert.Contains("hub graph login", raised.Incident.Title, StringComparison.Ordinal);
        var mail = Assert.Single(_h.Graph.DeliveredTo("/sendMail"));
        Assert.Contains("/users/continuity@contoso.example/sendMail", mail.Path, StringComparison.Ordinal);
        Assert.Contains("james.whitfield@contoso.example", mail.Body, StringComparison.Ordinal);
        Assert.Single((await _h.Get<IAlertStore>().PendingOutboxAsync(key, Token)));
        Assert.Equal(Now + TimeSpan.FromMinutes(15), (await AlertAsync(key)).NextEscalationAt); // escalation runs while the channel is out

        // Signed in again: the sweep posts the card, and nobody is paged twice.
        _h.Graph.Reset();
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());
        Assert.Single(_h.Graph.DeliveredTo("/messages"));
        Assert.Empty(_h.Graph.DeliveredTo("/teamwork/sendActivityNotification"));
        Assert.Empty(await _h.Get<IAlertStore>().PendingOutboxAsync(key, Token));
    }

    [Fact]
    public async Task The_weekly_report_posts_one_summary_card_to_the_continuity_channel_and_retries_it_when_Teams_is_out()
    {
        await OutageAsync("INC-A12");
        _h.Graph.Reset();
        _h.Graph.Fail(4, 503, TimeSpan.Zero); // more than the SDK's retries: Teams is out for this run
        _h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero));

        await _h.Timers().WriteContinuityReport(new TimerInfo(), Context());
        Assert.Empty(_h.Graph.DeliveredTo($"/channels/{ContinuityChannel}/messages"));

        await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());
        var summary = Assert.Single(_h.Graph.DeliveredTo($"/channels/{ContinuityChannel}/messages"));
        Assert.Equal($"/v1.0/teams/{ContinuityTeam}/channels/{ContinuityChannel}/messages", summary.Path);
        var card = CardOf(summary);
        Assert.Contains("Continuity report — 25 Nov 2026", card, StringComparison.Ordinal);
        var link = ActionUrl(card, "Open the report");
        Assert.Contains("/reports/2026-11-25/continuity-report.html?", link, StringComparison.Ordinal);
        Assert.Contains("sp=r", link, StringComparison.Ordinal);

        // The report again the same day, and the sweep again: the card is not posted twice.
        await _h.Timers().WriteContinuityReport(new TimerInfo(), Context());
        await _h.Timers().SweepNotificationOutbox(new TimerInfo(), Context());
        Assert.Single(_h.Graph.DeliveredTo($"/channels/{ContinuityChannel}/messages"));
    }

    /// <summary>The token with the first character of its signature changed (the last one may carry only padding bits).</summary>
    private static string Tamper(string token)
    {
        var at = token.IndexOf('.', StringComparison.Ordinal) + 1;
        return Uri.EscapeDataString(token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..]);
    }

    private async Task<string> OutageAsync(string id)
    {
        var result = await ReceiveAsync(Outage(id));
        Assert.Equal(AssessmentLevel.Alert, result.Level);
        return result.IncidentKey;
    }

    private Task<IntakeResult> ReceiveAsync(string json) => _h.ReceiveAsync(json);

    private static string Outage(string id, string state = "Open", string priority = "P1", bool major = true) =>
        $$"""{"id": "{{id}}", "title": "{{id}} online banking down", "priority": "{{priority}}", "major": {{(major ? "true" : "false")}}, "state": "{{state}}", "startedAt": "2026-11-24T10:25:00Z", "services": ["online-banking"], "link": "https://status.contoso.example/{{id}}"}""";

    private Task<PlanAlert> AlertAsync(string key) => _h.AlertAsync(key, Plan);
}
