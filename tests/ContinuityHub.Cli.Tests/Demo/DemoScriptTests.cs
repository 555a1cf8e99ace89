using ContinuityHub.Cli.Demo;
using ContinuityHub.Testing;
using ContinuityHub.Testing.Cards;

namespace ContinuityHub.Cli.Tests.Demo;

/// <summary>
/// The demo's script played in-process on its simulated clock, on Azurite started as the demo starts it, through
/// hub serve's real routes: the timeline says who was alerted at which level and when, and the escalation, the
/// decision and the stand-down each happen exactly once.
/// </summary>
public sealed partial class DemoScriptTests(DemoScriptTests.Played played) : IClassFixture<DemoScriptTests.Played>
{
    private static readonly DateTimeOffset Start = Played.Start;

    private DemoRun Run => played.Run;

    private string Output => played.Output;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The demo played once for the class.</summary>
    public sealed class Played : IAsyncLifetime
    {
        public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public string Output { get; } = Directory.CreateTempSubdirectory("hub-demo-").FullName;

        public DemoRun Run { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var clock = new DemoClock(Start);
            await using var environment = await DemoEnvironment.StartAsync(AzuriteFixture.RepositoryRoot, Output, null, null, clock, _ => { }, TestContext.Current.CancellationToken);
            Run = await new DemoScript(environment, clock, Output, _ => { }).PlayAsync(TestContext.Current.CancellationToken);
            await DemoPage.WriteTimelineAsync(Run, TestContext.Current.CancellationToken);
            await DemoPage.WriteAsync(Run, TestContext.Current.CancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            Directory.Delete(Output, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void The_timeline_plays_the_incident_in_order()
    {
        Assert.Equal(
            ["signal", "alert", "update", "alert", "heartbeat", "heartbeat", "rpo", "heartbeat", "rpo", "clock", "recommendation", "decision", "invoked", "automation", "automation", "escalation", "resolved", "resolved", "stand-down", "heartbeat", "report"],
            Run.Steps.Select(s => s.Kind));
        Assert.Equal(Start, Run.Steps[0].At);
        Assert.True(Run.Steps.Zip(Run.Steps.Skip(1)).All(p => p.First.At <= p.Second.At), "the simulated clock went back");
    }

    [Fact]
    public void The_Azure_Monitor_alert_reaches_the_crisis_teams_of_the_dependent_plans_at_once_recommending_invocation()
    {
        var first = Run.Cards.Where(c => c.Step == 2).ToList();

        Assert.Equal(["dr-ledger", "dr-treasury"], first.Select(c => c.Plan).Order());
        Assert.All(first, c => Assert.StartsWith("[Invocation recommended]", c.Summary, StringComparison.Ordinal));
        Assert.All(first, c => Assert.Equal(Start, c.At));
        Assert.Equal(TimeSpan.Zero, Run.Summary.TimeToFirstAlert);
    }

    [Fact]
    public void PagerDuty_raises_its_own_incident_and_alerts_each_plan_of_it_once()
    {
        var second = Run.Cards.Where(c => c.Step == 4).ToList();

        Assert.Equal(["dr-ledger", "dr-online-banking", "dr-payments", "dr-sql-cluster", "dr-treasury"], second.Select(c => c.Plan).Order(StringComparer.Ordinal));
        Assert.All(second, c => Assert.Contains("Q2K7VX4M9PL3TZ", c.Summary, StringComparison.Ordinal));
        Assert.Equal(Start.AddMinutes(4), second[0].At);
    }

    [Fact]
    public void One_decision_invokes_one_plan_through_the_card_link_and_PlanInvoked_lands_in_the_events_sink()
    {
        var decision = Assert.Single(Run.Steps, s => s.Kind == "decision");
        var invoked = Assert.Single(Run.Steps, s => s.Kind == "invoked");

        Assert.Contains("pressed Invoke plan on the card of dr-ledger: the hub answered 200 OK", decision.What, StringComparison.Ordinal);
        Assert.Single(invoked.Files, f => f.StartsWith("events-sink/", StringComparison.Ordinal) && f.Contains("-PlanInvoked-dr-ledger-", StringComparison.Ordinal));
        Assert.Single(Run.Cards, c => c.Step == invoked.Number && c.Plan == "dr-ledger" && c.Summary.StartsWith("[Plan invoked]", StringComparison.Ordinal));
        Assert.Equal(1, Run.Summary.Decisions);
    }

    [Fact]
    public void The_pagerduty_incident_gets_its_notes_in_the_demos_own_reactions_sink_level_decision_and_stand_down()
    {
        var sink = Path.Combine(played.Output, "reactions-sink");
        var notes = Directory.GetFiles(sink, "*-pagerduty-note.json").Order(StringComparer.Ordinal)
            .Select(f => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(f))!["body"]!["note"]!["content"]!.GetValue<string>())
            .ToList();

        Assert.Equal(3, notes.Count);
        Assert.StartsWith("ContinuityHub: level ", notes[0], StringComparison.Ordinal);
        Assert.Contains("continuity plan invoked — plan dr-ledger. Invoked by Alex Morgan", notes[1], StringComparison.Ordinal);
        Assert.StartsWith("ContinuityHub: stand-down", notes[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_clocks_invocation_of_dr_sql_cluster_requests_its_failover_automation_once_and_its_succeeded_callback_is_a_reply()
    {
        var sink = Path.Combine(played.Output, "reactions-sink");
        var request = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(sink, "*-automation-failover-sql.json"))))!;
        var callback = Assert.Single(Run.Steps, s => s.Kind == "automation" && s.What.StartsWith("Automation failover-sql", StringComparison.Ordinal));
        var told = Assert.Single(Run.Steps, s => s.Kind == "automation" && s.Number == callback.Number + 1);

        Assert.Equal(("dr-sql-cluster", "Invoke", "POST"), (request["plan"]!.GetValue<string>(), request["on"]!.GetValue<string>(), request["method"]!.GetValue<string>()));
        Assert.Equal("https://automation.contoso.example/webhooks/failover-sql", request["url"]!.GetValue<string>());
        Assert.Equal("ContinuityHub.AutomationRequested", request["body"]!["type"]!.GetValue<string>());
        Assert.StartsWith("ContinuityHub (automatic invocation", request["body"]!["data"]!["decision"]!["by"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("sha256=***", request["headers"]!["X-Hub-Signature-256"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(Run.Steps, s => s.What.Contains("automation requested: failover-sql (dr-sql-cluster)", StringComparison.Ordinal));
        Assert.Contains("the hub answered 202 Accepted", callback.What, StringComparison.Ordinal);
        var reply = Assert.Single(Run.Cards, c => c.Step == told.Number);
        Assert.Equal(("dr-sql-cluster", "reply"), (reply.Plan, reply.Kind));
        Assert.Contains("Automation failover-sql succeeded", File.ReadAllText(Path.Combine(Output, reply.File)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_gone_quiet_raises_an_rpo_warning_to_its_crisis_team_and_catching_up_stands_it_down()
    {
        var rpo = Run.Steps.Where(s => s.Kind == "rpo").ToList();

        Assert.Equal(2, rpo.Count);
        Assert.Contains("Ledger Database has no recovery point for 4 min (RPO 5 min)", rpo[0].What, StringComparison.Ordinal);
        var warning = Assert.Single(Run.Cards, c => c.Step == rpo[0].Number);
        Assert.Equal(("dr-ledger", "alert"), (warning.Plan, warning.Kind));
        var card = File.ReadAllText(Path.Combine(Output, warning.File));
        Assert.Contains("RPO at risk: last recovery point 4 min ago, RPO 5 min", card, StringComparison.Ordinal);
        var standDown = Assert.Single(Run.Cards, c => c.Step == rpo[1].Number);
        Assert.StartsWith("[Stand-down]", standDown.Summary, StringComparison.Ordinal);
        Assert.Equal(Start.AddMinutes(8), rpo[0].At);
    }

    [Fact]
    public void Plans_nobody_acknowledged_are_escalated_once_per_incident()
    {
        var escalation = Assert.Single(Run.Steps, s => s.Kind == "escalation");
        var replies = Run.Cards.Where(c => c.Step == escalation.Number).ToList();

        Assert.NotEmpty(replies);
        Assert.All(replies, c => Assert.Contains(", escalated]", c.Summary, StringComparison.Ordinal));
        Assert.Equal(replies.Count, replies.Select(c => c.Summary).Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(replies, c => c.Plan == "dr-ledger" && c.Summary.Contains("Q2K7VX4M9PL3TZ", StringComparison.Ordinal)); // invoked: no escalation
    }

    [Fact]
    public void Resolving_stands_down_every_alerted_plan_of_each_incident_exactly_once()
    {
        var standDown = Assert.Single(Run.Steps, s => s.Kind == "stand-down");
        var cards = Run.Cards.Where(c => c.Step == standDown.Number).ToList();
        // The RPO incident stood down on its own, when its job caught up (A_job_gone_quiet_…).
        var alerted = Run.Cards.Where(c => c.Kind == "alert" && Run.Steps[c.Step - 1].Kind != "rpo").Select(c => (c.Plan, Incident(c.Summary))).ToHashSet();

        Assert.All(cards, c => Assert.StartsWith("[Stand-down]", c.Summary, StringComparison.Ordinal));
        Assert.Equal(alerted.Order(), cards.Select(c => (c.Plan, Incident(c.Summary))).Order());
    }

    [Fact]
    public void The_weekly_report_is_written_and_announced_in_the_continuity_channel()
    {
        var report = Assert.Single(Run.Steps, s => s.Kind == "report");

        Assert.Equal(["report/continuity-report.csv", "report/continuity-report.html", "report/continuity-report.json"], report.Files.Where(f => f.StartsWith("report/", StringComparison.Ordinal)).Order());
        Assert.All(report.Files, f => Assert.True(File.Exists(Path.Combine(Output, f)), f));
        Assert.Single(Run.Cards, c => c.Kind == "report" && c.Step == report.Number);
        Assert.All(Run.Cards, c => Assert.True(File.Exists(Path.Combine(Output, c.File)), c.File));
    }

    /// <summary>
    /// The README's picture of a demo card is this screenshot: kept at bin/…/screenshots/demo-card.png, and copied to
    /// docs/ when HUB_UPDATE_DOCS=1 (then commit it).
    /// </summary>
    [Fact]
    public async Task The_first_alert_card_renders_in_the_official_library_as_a_picture_for_the_README()
    {
        var card = FirstAlertCard();
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var png = Path.Combine(shots.FullName, "demo-card.png");
        File.Delete(png);

        await OfficialCardRenderer.ScreenshotAsync(await File.ReadAllTextAsync(Path.Combine(Output, card.File), Token), TeamsTheme.Light, png, height: 1100, cancellationToken: Token);

        var image = ScreenshotPng.Decode(await File.ReadAllBytesAsync(png, Token));
        Assert.True(image.DistinctColours(step: 5) > 20, "The card screenshot is blank.");
        if (Environment.GetEnvironmentVariable("HUB_UPDATE_DOCS") == "1")
        {
            File.Copy(png, Path.Combine(AzuriteFixture.RepositoryRoot, "docs", "demo-card.png"), overwrite: true);
        }
    }

    [Fact]
    public async Task The_demos_own_index_in_headless_Chromium_shows_every_card_it_sent_drawn_by_the_official_renderer()
    {
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(Output, DemoPage.IndexFileName), Token);

        Assert.Equal(Run.Cards.Count, RenderedCard().Count(dom));
        Assert.Contains("sqlmi-contoso-prod-storage-critical", dom, StringComparison.Ordinal);
        Assert.Contains("SQLAG-PROD-01: availability group replicas not synchronizing", dom, StringComparison.Ordinal);
        Assert.Contains("<p id=\"instruction\" hidden=\"\">", dom, StringComparison.Ordinal); // the "run npm ci" line stays hidden
    }

    [System.Text.RegularExpressions.GeneratedRegex("<div class=\"ac-container ac-adaptiveCard\"")]
    private static partial System.Text.RegularExpressions.Regex RenderedCard();

    private DemoCard FirstAlertCard() => Run.Cards.First(c => c.Kind == "alert");

    /// <summary>"[Stand-down] Q2K7VX4M9PL3TZ SQLAG… — plan x" → "Q2K7VX4M9PL3TZ".</summary>
    private static string Incident(string summary) => summary[(summary.IndexOf(']', StringComparison.Ordinal) + 2)..].Split(' ')[0];
}
