using System.Text;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// An exercise's inject through the real pipeline, on the seed catalogue: keyed within its run and marked EXERCISE,
/// alerting its own plan's participants only, never written back, never published to the events topic.
/// </summary>
public sealed class ExercisePipelineTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_inject_alerts_only_its_plans_participants_on_an_exercise_card_writes_nothing_back_and_publishes_nothing()
    {
        // Arrange: a real incident first, to learn which plans the sample concerns.
        await using var server = await RecordingServer.StartAsync();
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now, new Dictionary<string, string?>
        {
            ["Reactions:Sources:servicenow:BaseUrl"] = server.BaseUrl.ToString(),
            ["Reactions:Sources:servicenow:User"] = "hub.integration",
            ["Reactions:Sources:servicenow:Token"] = "a-token",
        });
        var catalog = SeedCatalog();
        var payload = Encoding.UTF8.GetString(WebhookSamples.Open("servicenow", WebhookSamples.NewId("servicenow")));
        var concerned = InvocationClock.Assess(Incidents.Parsing.IncidentParsers.Parse(AliasSource.ServiceNow, payload), new CatalogIndex(catalog), Now).Plans;
        Assert.True(concerned.Count >= 2, $"the sample should concern two plans or more, it concerns {string.Join(", ", concerned)}");
        var plan = catalog.Plans.Single(p => p.Id == concerned[0]);
        var participant = plan.CrisisTeam!.Tiers[0][0];
        var exercise = new Exercise("ex-pipeline", plan.Id, ExerciseType.Simulation, new DateOnly(2026, 11, 24), null, null, null, []) { Participants = [participant] };
        var mark = ExercisePlayer.MarkOf(exercise, Now);

        // Act
        var result = await h.Get<IntakeService>().ReceiveAsync(new IntakeRequest(AliasSource.ServiceNow, ExercisePlayer.Shifted(AliasSource.ServiceNow, payload, Now), IntakeChannel.Exercise) { Exercise = mark }, Token);
        await h.SweepAsync();
        var alert = await h.AlertAsync(result.IncidentKey, plan.Id);
        var invoke = TeamsHarness.ActionUrl(TeamsHarness.CardOf(h.CardsIn(plan.CrisisTeam.ChannelId).Single()), "Invoke plan");
        await h.DecideAsync(invoke!, "POST", by: participant);
        await h.SweepAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.EscalateAsync();
        await h.SweepAsync();

        // Assert
        Assert.StartsWith($"exercise~ex-pipeline~{mark.RunId}~servicenow%7E", result.IncidentKey, StringComparison.Ordinal);
        var stored = (await h.Get<IIncidentStore>().FindAsync(result.IncidentKey, Token))!;
        Assert.Equal(mark, stored.Incident.Exercise);
        Assert.StartsWith("EXERCISE: ", stored.Incident.Title, StringComparison.Ordinal);
        Assert.Equal([plan.Id], stored.LatestAssessment!.Plans);
        Assert.Contains(stored.LatestAssessment.Reasons, r => r.Contains("outside exercise ex-pipeline", StringComparison.Ordinal));
        foreach (var other in catalog.Plans.Where(p => p.Id != plan.Id && p.CrisisTeam is not null))
        {
            Assert.Empty(h.CardsIn(other.CrisisTeam!.ChannelId));
        }

        var card = TeamsHarness.CardOf(h.CardsIn(plan.CrisisTeam.ChannelId).Single());
        Assert.Contains("EXERCISE · ex-pipeline · not a real incident", card, StringComparison.Ordinal);
        Assert.All(h.ActivityRecipients(), r => Assert.Equal(participant, r, StringComparer.OrdinalIgnoreCase));
        Assert.NotEmpty(h.ActivityRecipients());
        Assert.Equal(Outbox.AlertStatus.Invoked, (await h.AlertAsync(result.IncidentKey, plan.Id)).Status);
        Assert.Single(alert.Paged);
        Assert.Empty(server.Requests);
        Assert.DoesNotContain(h.Published, m => m.ApplicationProperties.TryGetValue("exercise", out _));
        Assert.DoesNotContain(h.Published, m => m.Body.ToString().Contains(result.IncidentKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_end_of_outage_resolves_the_exercises_incident_and_stands_its_team_down()
    {
        await using var h = await TeamsHarness.StartAsync(azurite, SeedCatalog(), Now);
        var catalog = SeedCatalog();
        var real = await h.ReceiveAsync(AliasSource.ServiceNow, WebhookSamples.Open("servicenow", WebhookSamples.NewId("servicenow")));
        var plan = (await h.Get<IIncidentStore>().FindAsync(real.IncidentKey, Token))!.LatestAssessment!.Plans[0];
        var payload = Encoding.UTF8.GetString(WebhookSamples.Open("servicenow", WebhookSamples.NewId("servicenow")));
        var exercise = new Exercise("ex-resolve", plan, ExerciseType.Simulation, new DateOnly(2026, 11, 24), null, null, null, [])
        {
            Scenario = [new ExerciseInject(TimeSpan.Zero, AliasSource.ServiceNow, payload, null, false), new ExerciseInject(TimeSpan.FromHours(1), null, null, null, true)],
        };
        var mark = ExercisePlayer.MarkOf(exercise, Now);
        var player = new ExercisePlayer(h.Get<IntakeService>());

        var opened = await player.PlayAsync(exercise, mark, Now, 0, Token);
        await h.SweepAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        var ended = await player.PlayAsync(exercise, mark, Now, 1, Token);
        await h.SweepAsync();

        var key = Assert.Single(opened.IncidentKeys);
        Assert.Equal([key], ended.IncidentKeys);
        var stored = (await h.Get<IIncidentStore>().FindAsync(key, Token))!;
        Assert.Equal((IncidentState.Resolved, AssessmentLevel.None), (stored.Incident.State, stored.Level));
        Assert.Equal(Now, stored.Incident.StartedAt);
        Assert.Equal(Outbox.AlertStatus.StoodDown, (await h.AlertAsync(key, plan)).Status);
        Assert.Null(await h.Get<IntakeService>().ResolveExerciseAsync(key, "again", Token));
        Assert.Null(await h.Get<IntakeService>().ResolveExerciseAsync(real.IncidentKey, "a real one", Token));
    }

    private static ContinuityCatalog SeedCatalog()
    {
        var seed = CatalogYamlReader.Read(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "seed", "catalog.yaml")));
        return seed with { Plans = [.. seed.Plans.Select(p => p with { Automations = [] })] };
    }
}

/// <summary>
/// An exercise played start to end on the crisis-team catalogue (RTO 4 h, plan 3 h: latest safe invocation 1 h in),
/// on Azurite, the loopback Graph and a fake clock: the after-action report's figures are the scripted times exactly.
/// </summary>
public sealed class AfterActionReportTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 10, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private const string Payload = """
        {"id": "EX-1", "title": "Online banking down in DC1", "priority": "P1", "state": "Open", "startedAt": "2026-01-01T00:00:00Z", "services": ["online-banking"], "major": true}
        """;

    [Fact]
    public async Task A_late_invocation_is_passed_with_issues_and_the_report_has_the_scripted_times_exactly()
    {
        // Arrange
        await using var h = await TeamsHarness.StartAsync(azurite, CrisisTeamCatalog.Create(), Start);
        var exercise = new Exercise("ex-online-dr", CrisisTeamCatalog.Plan, ExerciseType.Simulation, new DateOnly(2026, 12, 10), null, null, null, [])
        {
            Scenario = [new ExerciseInject(TimeSpan.FromMinutes(5), AliasSource.Generic, Payload, null, false), new ExerciseInject(TimeSpan.FromHours(3), null, null, null, true)],
        };
        var mark = ExercisePlayer.MarkOf(exercise, Start);
        var player = new ExercisePlayer(h.Get<IntakeService>());
        var played = new List<InjectOutcome>();

        // Act: the inject 5 min in; acknowledged at 20 min; invoked at 1 h 15 min (10 min after the latest safe time); the outage ends at 3 h.
        h.Time.Advance(TimeSpan.FromMinutes(5));
        played.Add(await player.PlayAsync(exercise, mark, Start, 0, Token));
        await h.SweepAsync();
        var key = played[0].IncidentKeys[0];
        var card = TeamsHarness.CardOf(h.CardsIn(CrisisTeamCatalog.Channel).Single());
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.DecideAsync(TeamsHarness.ActionUrl(card, "Acknowledge")!, "POST", by: CrisisTeamCatalog.Tier1[0]);
        h.Time.Advance(TimeSpan.FromMinutes(55));
        await h.DecideAsync(TeamsHarness.ActionUrl(card, "Invoke plan")!, "POST", by: CrisisTeamCatalog.Tier1[1]);
        await h.SweepAsync();
        h.Time.SetUtcNow(Start + TimeSpan.FromHours(3));
        played.Add(await player.PlayAsync(exercise, mark, Start, 1, Token));
        await h.SweepAsync();
        var history = (await h.Get<IIncidentStore>().GetHistoryAsync(key, Token))!;
        var alerts = h.Get<Outbox.IAlertStore>();
        var report = AfterActionReports.Build(exercise, CrisisTeamCatalog.Create(), Start, h.Time.GetUtcNow(), played, [new ExerciseIncident(history, await alerts.ListAlertsAsync(key, Token), await alerts.ListRunsAsync(key, Token), await alerts.ListTokensAsync(key, Token))]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(AfterActionFiles.Json(report))!;

        // Assert
        Assert.Equal(ExerciseResult.PassedWithIssues, report.Result);
        Assert.Equal(("ex-online-dr", "dr-online", "PassedWithIssues"), (json["exerciseId"]!.GetValue<string>(), json["plan"]!.GetValue<string>(), json["result"]!.GetValue<string>()));
        Assert.Equal(("PT5M", "PT2H55M", "PT4H"), (json["timeToFirstAlert"]!.GetValue<string>(), json["achievedRecovery"]!.GetValue<string>(), json["rto"]!.GetValue<string>()));
        Assert.Equal(("2026-12-10T09:00:00Z", "2026-12-10T12:00:00Z"), (json["startedAt"]!.GetValue<string>(), json["endedAt"]!.GetValue<string>()));
        var decisions = json["decisions"]!.AsArray();
        Assert.Equal(
            [("Acknowledge", CrisisTeamCatalog.Tier1[0], "2026-12-10T09:20:00Z", "PT45M", false), ("Invoke", CrisisTeamCatalog.Tier1[1], "2026-12-10T10:15:00Z", "-PT10M", true)],
            decisions.Select(d => (d!["action"]!.GetValue<string>(), d["by"]!.GetValue<string>().Split(' ')[0], d["at"]!.GetValue<string>(), d["margin"]!.GetValue<string>(), d["late"]!.GetValue<bool>())));
        Assert.All(decisions, d => Assert.Equal("2026-12-10T10:05:00Z", d!["latestSafeInvocation"]!.GetValue<string>()));
        Assert.Equal(["inject", "alert"], json["timeline"]!.AsArray().Select(t => t!["kind"]!.GetValue<string>()).Where(k => k != "assessment").Take(2));
        Assert.Contains(json["timeline"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "resolved" && t["offset"]!.GetValue<string>() == "PT3H");
        Assert.Equal(["PT15M"], report.Acknowledgements.Where(a => a.AcknowledgedAfter is not null).Select(a => System.Xml.XmlConvert.ToString(a.AcknowledgedAfter!.Value)));
        Assert.Equal([.. CrisisTeamCatalog.Tier1, .. CrisisTeamCatalog.Tier2, .. CrisisTeamCatalog.Tier3], json["participants"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains(report.ResultReasons, r => r.Contains("10 min after the latest safe invocation time", StringComparison.Ordinal));
        Assert.DoesNotContain(report.ResultReasons, r => r.Contains("beyond the RTO", StringComparison.Ordinal));
        Assert.Contains("late by 10 min", AfterActionFiles.Html(report), StringComparison.Ordinal);
    }
}
