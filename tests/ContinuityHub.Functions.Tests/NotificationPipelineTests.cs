using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using static ContinuityHub.Functions.Tests.TeamsHarness;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// Each plan's crisis team is a delivery stream of its own, whatever else is down: two plans with crisis teams (and
/// one without) impacted by the same incident, delivered by the app's services on Azurite through the loopback Graph.
/// </summary>
public sealed class NotificationPipelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Online = "dr-online";
    private const string Payments = "dr-payments";
    private const string OnlineTeam = "6f1c1a2e-0000-4000-8000-00000000000a";
    private const string OnlineChannel = "19:online@thread.tacv2";
    private const string PaymentsTeam = "6f1c1a2e-0000-4000-8000-00000000000b";
    private const string PaymentsChannel = "19:payments@thread.tacv2";

    /// <summary>Five minutes into an outage that started at 10:25 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<string> OnlineDuty = ["james.whitfield@contoso.example", "sofia.rossi@contoso.example"];
    private static readonly IReadOnlyList<string> PaymentsDuty = ["amara.okafor@contoso.example"];

    private TeamsHarness _h = null!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_events_topic_down_every_crisis_team_is_alerted_and_PlanInvoked_goes_once_when_it_returns()
    {
        await StartAsync(autoInvoke: true);
        _h.TopicDown = true;

        // Started at 09:00: online banking is past its latest safe invocation (10:00) and its plan allows the clock to invoke.
        var key = (await _h.ReceiveAsync(Outage("INC-P1", startedAt: "2026-11-24T09:00:00Z"))).IncidentKey;

        Assert.Single(_h.CardsIn(OnlineChannel));
        Assert.Single(_h.CardsIn(PaymentsChannel));
        Assert.Equal(OnlineDuty.Concat(PaymentsDuty).Order(), _h.ActivityRecipients().Order());
        var online = await _h.AlertAsync(key, Online);
        Assert.Equal(AlertStatus.Invoked, online.Status);
        Assert.NotNull(online.WarRoomUrl);
        Assert.Empty(_h.Published);
        Assert.Equal(1, await _h.PendingAsync(key));

        // The other plan's stream goes on: its acknowledgement is replied to while PlanInvoked waits for the topic.
        var acknowledge = ActionUrl(CardOf(Assert.Single(_h.CardsIn(PaymentsChannel))), "Acknowledge")!;
        Assert.Equal(StatusCodes.Status200OK, (await _h.DecideAsync(acknowledge, "POST", by: "Amara Okafor")).Status);
        Assert.Contains("Acknowledged by Amara Okafor", CardOf(Assert.Single(_h.RepliesIn(PaymentsChannel))), StringComparison.Ordinal);

        // Sweeps while the topic is down post nothing again: no second card, no "level changed" reply, nobody paged twice.
        for (var sweep = 0; sweep < 3; sweep++)
        {
            _h.Time.Advance(TimeSpan.FromMinutes(3));
            await _h.SweepAsync();
        }

        Assert.Single(_h.CardsIn(OnlineChannel));
        Assert.Contains("invoked by", CardOf(Assert.Single(_h.RepliesIn(OnlineChannel))), StringComparison.Ordinal);
        Assert.Equal(3, _h.ActivityRecipients().Count);
        Assert.Empty(_h.Published);

        _h.TopicDown = false;
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.SweepAsync();
        await _h.SweepAsync();

        var published = Assert.Single(_h.Published);
        Assert.Contains($"\"plan\":\"{Online}\"", published.Body.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await _h.PendingAsync(key));
        Assert.Single(_h.RepliesIn(OnlineChannel));
        Assert.Null((await _h.AlertAsync(key, Online)).DeliveryProblem);
    }

    [Fact]
    public async Task A_plan_invoked_by_the_clock_says_so_on_its_card_and_offers_no_Invoke_action()
    {
        await StartAsync(autoInvoke: true);

        await _h.ReceiveAsync(Outage("INC-P2", startedAt: "2026-11-24T09:00:00Z"));

        var card = CardOf(Assert.Single(_h.CardsIn(OnlineChannel)));
        Assert.Null(ActionUrl(card, "Invoke plan"));
        Assert.Null(ActionUrl(card, "Acknowledge"));
        Assert.NotNull(ActionUrl(card, "Stand down"));
        Assert.Contains("Plan invoked by ContinuityHub", card, StringComparison.Ordinal);
        Assert.Contains("at 24 Nov 2026 10:30 UTC.", card, StringComparison.Ordinal);
        Assert.NotNull(ActionUrl(CardOf(Assert.Single(_h.CardsIn(PaymentsChannel))), "Invoke plan"));
    }

    [Fact]
    public async Task A_plans_card_shows_its_own_services_and_reasons_and_sums_up_the_rest_in_one_line()
    {
        await StartAsync();

        await _h.ReceiveAsync(Outage("INC-P3"));

        var payments = CardOf(Assert.Single(_h.CardsIn(PaymentsChannel)));
        Assert.Contains("Card Payments:", payments, StringComparison.Ordinal);
        Assert.DoesNotContain("Online and Mobile Banking:", payments, StringComparison.Ordinal);
        Assert.Contains("The incident also impacts 2 services of 2 other plans", payments, StringComparison.Ordinal);
        var online = CardOf(Assert.Single(_h.CardsIn(OnlineChannel)));
        Assert.Contains("Online and Mobile Banking:", online, StringComparison.Ordinal);
        Assert.DoesNotContain("Card Payments:", online, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_storm_on_one_plans_channel_delays_only_that_plan()
    {
        await StartAsync();
        _h.Graph.Fail(1000, 429, TimeSpan.Zero, r => r.Path.Contains(PaymentsChannel, StringComparison.Ordinal));

        var key = (await _h.ReceiveAsync(Outage("INC-P4"))).IncidentKey;
        Assert.Single(_h.CardsIn(OnlineChannel));
        Assert.Empty(_h.CardsIn(PaymentsChannel));
        Assert.Equal(OnlineDuty.Concat(PaymentsDuty).Order(), _h.ActivityRecipients().Order()); // paged while their channel is throttled

        // 11:26: online banking is past its latest safe invocation (10:25 + 4 h RTO - 3 h recovery); payments is not.
        _h.Time.Advance(TimeSpan.FromMinutes(56));
        await _h.ReassessAsync();
        Assert.Contains("Invocation recommended", CardOf(Assert.Single(_h.RepliesIn(OnlineChannel))), StringComparison.Ordinal);
        Assert.NotNull((await _h.AlertAsync(key, Online)).BridgeUrl);
        Assert.Empty(_h.CardsIn(PaymentsChannel));
        Assert.Equal(2, await _h.PendingAsync(key)); // the payments plan's part waits in both entries, in order

        _h.Graph.Reset(); // the storm is over (and what was recorded is forgotten)
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.SweepAsync();

        Assert.Single(_h.CardsIn(PaymentsChannel));
        Assert.Empty(_h.RepliesIn(PaymentsChannel)); // the rise was online banking's: nothing new for payments
        Assert.Empty(_h.RepliesIn(OnlineChannel));
        Assert.Empty(_h.ActivityRecipients()); // nobody paged twice
        Assert.Equal(0, await _h.PendingAsync(key));
        Assert.Null((await _h.AlertAsync(key, Payments)).DeliveryProblem);
    }

    [Fact]
    public async Task Channels_left_unconfigured_are_off_and_never_a_delivery_problem()
    {
        await StartAsync(autoInvoke: true, settings: new Dictionary<string, string?>
        {
            ["Graph:MeetingOrganizer"] = null,
            ["Graph:MailSender"] = null,
            ["ServiceBus:fullyQualifiedNamespace"] = null,
        });

        var key = (await _h.ReceiveAsync(Outage("INC-P5", startedAt: "2026-11-24T09:00:00Z"))).IncidentKey;

        Assert.Equal(
            [
                "bridge off: Graph:MeetingOrganizer is empty", "e-mail fallback off: Graph:MailSender is empty", "PlanInvoked events off: Service Bus is not configured",
                "write-back to servicenow off: Reactions:Sources:servicenow:BaseUrl or :Token is empty", "write-back to jira off: Reactions:Sources:jira:BaseUrl or :Token is empty",
                "write-back to pagerduty off: Reactions:Sources:pagerduty:Token is empty", "write-back to opsgenie off: Reactions:Sources:opsgenie:Token is empty",
                "write-back to azuremonitor off: Reactions:Sources:azuremonitor:Enabled is not true",
            ],
            _h.Get<NotificationChannels>().OffLines().Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.Empty(_h.Graph.RequestsTo("/onlineMeetings"));
        Assert.Empty(_h.Graph.RequestsTo("/sendMail"));
        Assert.Empty(_h.Published);
        Assert.Equal(0, await _h.PendingAsync(key));
        Assert.Equal(AlertStatus.Invoked, (await _h.AlertAsync(key, Online)).Status);
        Assert.Null((await _h.AlertAsync(key, Online)).DeliveryProblem);
        Assert.Null((await _h.AlertAsync(key, Payments)).DeliveryProblem);
        var report = await _h.Get<ContinuityHub.Reporting.ReportService>().BuildAsync(new DateOnly(2026, 11, 25), TestContext.Current.CancellationToken);
        Assert.Equal(0, report.Report.CrisisTeamAlerts.DeliveryProblems);
    }

    [Fact]
    public async Task A_reassessment_or_a_delivery_that_changes_nothing_posts_nothing()
    {
        await StartAsync();
        await _h.ReceiveAsync(Outage("INC-P6"));
        var before = _h.Graph.Requests.Count;

        _h.Time.Advance(TimeSpan.FromMinutes(10));
        await _h.ReassessAsync();
        await _h.SweepAsync();
        await _h.ReceiveAsync(Outage("INC-P6", title: "INC-P6 online banking and card payments down (update)"));
        await _h.SweepAsync();

        Assert.Equal(before, _h.Graph.Requests.Count);
    }

    [Fact]
    public async Task A_level_change_posts_exactly_one_reply_per_plan()
    {
        await StartAsync();
        var key = (await _h.ReceiveAsync(Outage("INC-P7"))).IncidentKey;

        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.ReceiveAsync(Outage("INC-P7", priority: "P3", major: false)); // downgraded: monitored
        await _h.SweepAsync();
        await _h.ReassessAsync();

        Assert.Contains("The level is now Monitor", CardOf(Assert.Single(_h.RepliesIn(OnlineChannel))), StringComparison.Ordinal);
        Assert.Contains("The level is now Monitor", CardOf(Assert.Single(_h.RepliesIn(PaymentsChannel))), StringComparison.Ordinal);
        Assert.Equal(3, _h.ActivityRecipients().Count); // a fall pages nobody

        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.ReceiveAsync(Outage("INC-P7", title: "INC-P7 escalated again")); // back to P1 major: Alert again
        await _h.SweepAsync();

        Assert.Equal(2, _h.RepliesIn(OnlineChannel).Count);
        Assert.Equal(2, _h.RepliesIn(PaymentsChannel).Count);
        Assert.Equal(AssessmentLevel.Alert, (await _h.AlertAsync(key, Payments)).Level);
    }

    [Fact]
    public async Task While_Graph_answers_503_then_429_every_notification_arrives_once_and_in_order_per_plan()
    {
        await StartAsync();
        _h.Graph.Fail(1000, 503, TimeSpan.Zero); // Graph down: the alert waits in the outbox
        var key = (await _h.ReceiveAsync(Outage("INC-P11"))).IncidentKey;
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        await _h.ReceiveAsync(Outage("INC-P11", priority: "P3", major: false)); // downgraded while Graph is down
        await _h.SweepAsync();

        _h.Graph.Reset();
        _h.Graph.Fail(1000, 429, TimeSpan.Zero); // then throttled
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.SweepAsync();
        await _h.ReceiveAsync(Outage("INC-P11", title: "INC-P11 escalated again")); // back to Alert, still throttled
        Assert.DoesNotContain(_h.Graph.Requests, r => r.Succeeded);

        _h.Graph.Reset(); // Graph is back
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.SweepAsync();
        await _h.SweepAsync();

        foreach (var channel in new[] { OnlineChannel, PaymentsChannel })
        {
            Assert.Single(_h.CardsIn(channel));
            var replies = _h.RepliesIn(channel).Select(CardOf).ToList();
            Assert.Equal(2, replies.Count);
            Assert.Contains("The level is now Monitor", replies[0], StringComparison.Ordinal);
            Assert.DoesNotContain("The level is now Monitor", replies[1], StringComparison.Ordinal);
        }

        Assert.Equal(0, await _h.PendingAsync(key));
        Assert.Null((await _h.AlertAsync(key, Online)).DeliveryProblem);
        Assert.Null((await _h.AlertAsync(key, Payments)).DeliveryProblem);
    }

    [Fact]
    public async Task A_delivery_cut_off_after_any_storage_step_is_completed_by_the_redrive_and_the_sweep_without_a_duplicate()
    {
        var cut = new CutOffPolicy();
        _h = await TeamsHarness.StartAsync(azurite, Catalog(autoInvoke: false), Now, storagePolicy: cut);
        var before = cut.Calls;
        await _h.ReceiveAsync(Outage("INC-C000")); // how many storage calls a new incident takes, alerts included
        var steps = cut.Calls - before;
        Assert.InRange(steps, 5, 200);

        for (var step = 1; step <= steps; step++)
        {
            cut.CutOffAt(step);
            var error = await Record.ExceptionAsync(() => _h.ReceiveAsync(Outage(Id(step))));
            Assert.True(error is null or OperationCanceledException, $"step {step}: {error}");
        }

        _h.Time.Advance(TimeSpan.FromMinutes(10));
        var redrive = await _h.Get<ContinuityHub.Intake.IntakeRedriveService>().RedriveAsync(Now.AddHours(-1), TimeSpan.Zero, progress: null, TestContext.Current.CancellationToken);
        await _h.SweepAsync();

        Assert.Equal(0, redrive.Failed);
        for (var step = 0; step <= steps; step++)
        {
            var key = "generic~" + Id(step);
            var history = await _h.Get<ContinuityHub.Intake.IIncidentStore>().GetHistoryAsync(key, TestContext.Current.CancellationToken);
            Assert.True(history is not null, $"step {step}: the incident was lost");
            Assert.Single(history.Events);
            Assert.Equal(0, await _h.PendingAsync(key));
            foreach (var channel in new[] { OnlineChannel, PaymentsChannel })
            {
                Assert.Single(_h.CardsIn(channel), c => CardOf(c).Contains(Id(step) + " ", StringComparison.Ordinal));
            }
        }

        static string Id(int step) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"INC-C{step:D3}");
    }

    [Fact]
    public async Task An_entry_on_its_first_claim_is_delivered_without_reading_the_ledger_and_records_each_step()
    {
        var calls = new CutOffPolicy();
        _h = await TeamsHarness.StartAsync(azurite, Catalog(autoInvoke: false), Now, storagePolicy: calls);
        await _h.ReceiveAsync(Outage("INC-L000")); // tables and containers made
        var before = calls.Seen.Count;

        await _h.ReceiveAsync(Outage("INC-L001"));

        var delivery = calls.Seen.Skip(before).ToList();
        Assert.Single(_h.CardsIn(OnlineChannel), c => CardOf(c).Contains("INC-L001 ", StringComparison.Ordinal));
        Assert.Single(_h.CardsIn(PaymentsChannel), c => CardOf(c).Contains("INC-L001 ", StringComparison.Ordinal));
        Assert.DoesNotContain(delivery, c => c.StartsWith("GET ", StringComparison.Ordinal) && c.Contains("Notifications(PartitionKey=", StringComparison.Ordinal));
        Assert.Contains(delivery, c => c.StartsWith("PUT ", StringComparison.Ordinal) && c.Contains("Notifications(PartitionKey=", StringComparison.Ordinal));
        Assert.Equal(0, await _h.PendingAsync("generic~INC-L001"));
    }

    [Fact]
    public async Task Every_Graph_request_of_a_whole_incident_with_a_huge_hostile_title_stays_under_the_Teams_message_limit()
    {
        await StartAsync(autoInvoke: true);
        var title = string.Concat(Enumerable.Repeat("Core <ledger> & \"payments\" é 日本 😀 {{DATE(2017-02-14T06:08:39Z)}} ", 60));

        // Invoked by the clock (started at 09:00), then acknowledged elsewhere, escalated, and resolved: every card kind of a conversation.
        var key = (await _h.ReceiveAsync(Outage("INC-P9", startedAt: "2026-11-24T09:00:00Z", title: System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(title)))).IncidentKey;
        _h.Time.Advance(TimeSpan.FromMinutes(20));
        await _h.EscalateAsync();
        await _h.ReceiveAsync(Outage("INC-P9", startedAt: "2026-11-24T09:00:00Z", title: "resolved").Replace("\"Open\"", "\"Resolved\"", StringComparison.Ordinal));
        await _h.SweepAsync();

        Assert.Contains(_h.RepliesIn(OnlineChannel), r => CardOf(r).Contains("Plan invoked", StringComparison.Ordinal));
        Assert.Contains(_h.RepliesIn(PaymentsChannel), r => CardOf(r).Contains("Escalated", StringComparison.Ordinal));
        Assert.Contains(_h.RepliesIn(OnlineChannel), r => CardOf(r).Contains("Stand-down", StringComparison.Ordinal));
        Assert.All(_h.Graph.Requests, r => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(r.Body), 0, TeamsMessage.MaxRequestBytes));
        Assert.All(_h.Graph.Requests.Where(r => r.CarriesCard), r => Assert.DoesNotContain("\\\\", r.CardJson!, StringComparison.Ordinal));
        Assert.StartsWith("generic~", key, StringComparison.Ordinal);
    }

    private async Task StartAsync(bool autoInvoke = false, IReadOnlyDictionary<string, string?>? settings = null) =>
        _h = await TeamsHarness.StartAsync(azurite, Catalog(autoInvoke), Now, settings);

    private static string Outage(string id, string startedAt = "2026-11-24T10:25:00Z", string priority = "P1", bool major = true, string? title = null) =>
        $$"""{"id": "{{id}}", "title": "{{title ?? id + " online banking and card payments down"}}", "priority": "{{priority}}", "major": {{(major ? "true" : "false")}}, "state": "Open", "startedAt": "{{startedAt}}", "services": ["online-banking", "payments", "reporting"]}""";

    /// <summary>
    /// Online banking (RTO 4 h) recovered by <see cref="Online"/> (3 h), card payments (RTO 8 h) by <see cref="Payments"/>
    /// (2 h), each plan with a crisis team of its own; reporting (tier 2) by a plan with no crisis team.
    /// </summary>
    private static ContinuityCatalog Catalog(bool autoInvoke)
    {
        static BusinessService Service(string id, string name, int tier, TimeSpan rto) =>
            new(id, name, tier, rto, TimeSpan.FromMinutes(15), rto * 3, "james.whitfield@contoso.example", [],
                new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Generic] = [id] }, new DateOnly(2026, 8, 25));
        static ContinuityPlan Plan(string id, string title, string service, TimeSpan recovery, bool auto, CrisisTeam? team) =>
            new(id, title, PlanType.DisasterRecovery, "1.0", PlanStatus.Approved, "james.whitfield@contoso.example", [service], recovery, auto,
                new DateOnly(2026, 8, 25), new DateOnly(2027, 2, 25), team, []);

        return new ContinuityCatalog(
            Policy.Default,
            [
                Service("online-banking", "Online and Mobile Banking", 1, TimeSpan.FromHours(4)),
                Service("payments", "Card Payments", 1, TimeSpan.FromHours(8)),
                Service("reporting", "Management Reporting", 2, TimeSpan.FromHours(24)),
            ],
            [
                Plan(Online, "Online banking disaster recovery", "online-banking", TimeSpan.FromHours(3), autoInvoke,
                    new CrisisTeam(OnlineTeam, OnlineChannel, TimeSpan.FromMinutes(15), [OnlineDuty, ["cio@contoso.example"]])),
                Plan(Payments, "Card payments recovery", "payments", TimeSpan.FromHours(2), false,
                    new CrisisTeam(PaymentsTeam, PaymentsChannel, TimeSpan.FromMinutes(15), [PaymentsDuty, ["coo@contoso.example"]])),
                Plan("bcp-reporting", "Reporting continuity", "reporting", TimeSpan.FromHours(8), false, null),
            ],
            []);
    }

    /// <summary>Cuts the hub off after the n-th storage call from now has reached storage: the work done, the caller gone.</summary>
    private sealed class CutOffPolicy : global::Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _seen = new();
        private int _calls;
        private int _cutAt = -1;

        public int Calls => Volatile.Read(ref _calls);

        /// <summary>Each call so far as <c>{method} {path}</c>, e.g. <c>GET /devstoreaccount1/Notifications(PartitionKey='20261124',RowKey='…')</c>.</summary>
        public IReadOnlyList<string> Seen => [.. _seen];

        public void CutOffAt(int n) => Volatile.Write(ref _cutAt, Calls + n);

        public override void Process(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            var call = Interlocked.Increment(ref _calls);
            _seen.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}");
            await ProcessNextAsync(message, pipeline);
            if (call == Volatile.Read(ref _cutAt))
            {
                throw new OperationCanceledException("Cut off after the request reached storage.");
            }
        }
    }
}
