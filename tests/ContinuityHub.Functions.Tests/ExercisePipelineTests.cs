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
