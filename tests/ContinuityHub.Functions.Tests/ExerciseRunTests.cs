using System.Text.Json.Nodes;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// An exercise started on the hub and played by its <c>PlayExercises</c> timer, on the crisis-team catalogue (RTO 4 h,
/// plan 3 h: latest safe invocation 1 h in), Azurite, the loopback Graph and a fake clock: injects as they fall due,
/// decisions through the card's links, and at the scenario's end the after-action report in blob storage, the result
/// on the exercise and the summary card in the continuity channel.
/// </summary>
public sealed class ExerciseRunTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 10, 9, 0, 0, TimeSpan.Zero);

    private const string ExerciseId = "ex-online-dr";

    private const string Payload = """
        {"id": "EX-1", "title": "Online banking down in DC1", "priority": "P1", "state": "Open", "startedAt": "2026-01-01T00:00:00Z", "services": ["online-banking"], "major": true}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_started_exercise_plays_on_the_timer_and_ends_with_its_report_its_result_and_a_summary_card()
    {
        // Arrange
        var catalog = Catalog();
        await using var h = await TeamsHarness.StartAsync(azurite, catalog, Start);
        var exercises = h.Get<ExerciseRunService>();

        // Act: started at 9:00; the inject falls due at 9:05; acknowledged 9:20, invoked 10:15 (10 min late); the outage ends at 12:00.
        var started = await exercises.StartAsync(ExerciseId, 1, "continuity.manager@contoso.com", Token);
        await TickAsync(h);
        var before = h.CardsIn(CrisisTeamCatalog.Channel).Count;
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await TickAsync(h);
        var card = TeamsHarness.CardOf(h.CardsIn(CrisisTeamCatalog.Channel).Single());
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.DecideAsync(TeamsHarness.ActionUrl(card, "Acknowledge")!, "POST", by: CrisisTeamCatalog.Tier1[0]);
        h.Time.Advance(TimeSpan.FromMinutes(55));
        await h.DecideAsync(TeamsHarness.ActionUrl(card, "Invoke plan")!, "POST", by: CrisisTeamCatalog.Tier1[1]);
        await TickAsync(h);
        h.Time.SetUtcNow(Start + TimeSpan.FromHours(3));
        await TickAsync(h);
        await TickAsync(h);

        // Assert: the run and what it recorded
        Assert.Equal(ExerciseStartOutcome.Started, started.Outcome);
        Assert.Equal(0, before);
        var run = Assert.Single(await exercises.ListAsync(ExerciseId, Token));
        Assert.Equal((ExerciseRunState.Ended, ExerciseResult.PassedWithIssues, TimeSpan.FromMinutes(175)), (run.State, run.Result, run.AchievedRecovery));
        Assert.Equal((Start + TimeSpan.FromHours(3), "exercise-reports/dr-online/ex-online-dr/", ExerciseSummaryState.Posted), (run.EndedAt, run.ReportFolder, run.Summary));
        var key = Assert.Single(run.Played[0].IncidentKeys);
        var incident = (await h.Get<IIncidentStore>().FindAsync(key, Token))!.Incident;
        Assert.Equal((IncidentState.Resolved, Start + TimeSpan.FromMinutes(5)), (incident.State, incident.StartedAt));

        // The after-action report in blob storage, figures as scripted
        var blobs = h.Get<StorageClients>().Blobs.GetBlobContainerClient(h.ExerciseReports);
        var json = JsonNode.Parse((await blobs.GetBlobClient("dr-online/ex-online-dr/after-action.json").DownloadContentAsync(Token)).Value.Content.ToString())!;
        Assert.Equal(("PassedWithIssues", "PT5M", "PT2H55M"), ((string?)json["result"], (string?)json["timeToFirstAlert"], (string?)json["achievedRecovery"]));
        Assert.Equal([("Acknowledge", "PT45M", false), ("Invoke", "-PT10M", true)], json["decisions"]!.AsArray().Select(d => ((string)d!["action"]!, (string)d["margin"]!, (bool)d["late"]!)));
        Assert.True((await blobs.GetBlobClient("dr-online/ex-online-dr/after-action.html").ExistsAsync(Token)).Value);
        Assert.True((await blobs.GetBlobClient("dr-online/ex-online-dr/after-action.md").ExistsAsync(Token)).Value);

        // Every card of the crisis team says EXERCISE; one summary card in the continuity channel, with the report's link
        Assert.All(h.CardsIn(CrisisTeamCatalog.Channel).Concat(h.RepliesIn(CrisisTeamCatalog.Channel)), c => Assert.Contains("EXERCISE · ex-online-dr", TeamsHarness.CardOf(c), StringComparison.Ordinal));
        var summary = TeamsHarness.CardOf(Assert.Single(h.CardsIn(TeamsHarness.ContinuityChannel)));
        Assert.Contains("EXERCISE · ex-online-dr · not a real incident", summary, StringComparison.Ordinal);
        Assert.Contains("Exercise passed with issues", summary, StringComparison.Ordinal);
        Assert.Contains("late by 10 min", summary, StringComparison.Ordinal);
        Assert.Contains("2 h 55 min against an RTO of 4 h", summary, StringComparison.Ordinal);
        Assert.Contains("after-action.html", TeamsHarness.ActionUrl(summary, "Open the after-action report"), StringComparison.Ordinal);
        Assert.Empty(h.Published);

        // The exercise as the catalogue store gives it: completed, with the result and the recovery achieved
        var store = new TableCatalogStore(h.Get<StorageClients>(), h.TablePrefix);
        await store.ReplaceAsync(catalog, null, Token);
        var recorded = (await store.LoadAsync(Token)).Exercises.Single(e => e.Id == ExerciseId);
        Assert.Equal((new DateOnly(2026, 12, 10), ExerciseResult.PassedWithIssues, TimeSpan.FromMinutes(175)), (recorded.Completed, recorded.Result, recorded.AchievedRecovery));

        // The next weekly report lists the run with its late invocation
        var line = Assert.Single((await h.Get<ContinuityHub.Reporting.ReportService>().BuildAsync(new DateOnly(2026, 12, 14), Token)).Report.Learning.ExercisesRun);
        Assert.Equal((ExerciseId, false, TimeSpan.FromMinutes(75), TimeSpan.FromMinutes(-10), true), (line.ExerciseId, line.Rehearsal, line.InvokedAfter, line.Margin, line.Late));
    }

    [Fact]
    public async Task Ending_early_skips_the_injects_not_yet_due_and_an_accelerated_run_is_a_rehearsal_not_recorded_on_the_exercise()
    {
        // Arrange: at 60x the inject at 5 min falls due 5 s in, the one at 2 h two minutes in.
        var catalog = Catalog(extra: new ExerciseInject(TimeSpan.FromHours(2), AliasSource.Generic, Payload.Replace("EX-1", "EX-2", StringComparison.Ordinal), null, false));
        await using var h = await TeamsHarness.StartAsync(azurite, catalog, Start);
        var exercises = h.Get<ExerciseRunService>();

        // Act
        await exercises.StartAsync(ExerciseId, 60, "continuity.manager@contoso.com", Token);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await TickAsync(h);
        var again = await exercises.StartAsync(ExerciseId, 1, "someone.else@contoso.com", Token);
        var ending = await exercises.RequestEndAsync(ExerciseId, "continuity.manager@contoso.com", Token);
        await TickAsync(h);
        var noMore = await exercises.RequestEndAsync(ExerciseId, "continuity.manager@contoso.com", Token);

        // Assert
        Assert.Equal(ExerciseStartOutcome.AlreadyRunning, again.Outcome);
        Assert.Equal(ExerciseEndOutcome.Requested, ending.Outcome);
        Assert.Equal(ExerciseEndOutcome.NotRunning, noMore.Outcome);
        var run = Assert.Single(await exercises.ListAsync(ExerciseId, Token));
        Assert.Equal((ExerciseRunState.Ended, 60), (run.State, run.Speed));
        Assert.Null(run.AchievedRecovery);
        Assert.NotNull(run.Result);
        Assert.Equal([0, -1], run.Played.Select(p => p.Index));
        Assert.StartsWith("Ended by continuity.manager@contoso.com: 1 incident(s) resolved", run.Played[^1].Text, StringComparison.Ordinal);
        Assert.Equal(Start + TimeSpan.FromSeconds(5), (await h.Get<IIncidentStore>().FindAsync(run.Played[0].IncidentKeys[0], Token))!.Incident.StartedAt);
        var summary = TeamsHarness.CardOf(Assert.Single(h.CardsIn(TeamsHarness.ContinuityChannel)));
        Assert.Contains("at 60x", summary, StringComparison.Ordinal);
        Assert.Contains("a rehearsal, so neither its result nor its recovery time is recorded on the exercise", summary, StringComparison.Ordinal);
        var store = new TableCatalogStore(h.Get<StorageClients>(), h.TablePrefix);
        await store.ReplaceAsync(catalog, null, Token);
        Assert.Equal((null, null), (await store.LoadAsync(Token)).Exercises.Single(e => e.Id == ExerciseId) is var e ? (e.Completed, e.Result) : default);
    }

    [Fact]
    public async Task An_unknown_exercise_or_one_without_a_scenario_does_not_start_and_a_speed_out_of_range_names_the_field()
    {
        var catalog = Catalog();
        catalog = catalog with { Exercises = [.. catalog.Exercises, new Exercise("ex-tabletop", CrisisTeamCatalog.Plan, ExerciseType.Walkthrough, new DateOnly(2026, 12, 1), null, null, null, [])] };
        await using var h = await TeamsHarness.StartAsync(azurite, catalog, Start);
        var exercises = h.Get<ExerciseRunService>();

        Assert.Equal(ExerciseStartOutcome.UnknownExercise, (await exercises.StartAsync("ex-nope", 1, "me", Token)).Outcome);
        Assert.Equal(ExerciseStartOutcome.NoScenario, (await exercises.StartAsync("ex-tabletop", 1, "me", Token)).Outcome);
        var refused = await Assert.ThrowsAsync<HubValidationException>(() => exercises.StartAsync(ExerciseId, 0, "me", Token));
        Assert.Equal("speed", Assert.Single(refused.Problems).Path);
        Assert.Equal(ExerciseEndOutcome.UnknownExercise, (await exercises.RequestEndAsync("ex-nope", "me", Token)).Outcome);
        Assert.Empty(await exercises.ListAsync(ExerciseId, Token));
    }

    private static async Task TickAsync(TeamsHarness h)
    {
        await h.Timers().PlayExercises(new Microsoft.Azure.Functions.Worker.TimerInfo(), TeamsHarness.Context());
        await h.SweepAsync();
    }

    private static ContinuityCatalog Catalog(ExerciseInject? extra = null)
    {
        var catalog = CrisisTeamCatalog.Create();
        var exercise = new Exercise(ExerciseId, CrisisTeamCatalog.Plan, ExerciseType.Simulation, new DateOnly(2026, 12, 10), null, null, null, [])
        {
            Scenario = extra is null
                ? [new ExerciseInject(TimeSpan.FromMinutes(5), AliasSource.Generic, Payload, null, false), new ExerciseInject(TimeSpan.FromHours(3), null, null, null, true)]
                : [new ExerciseInject(TimeSpan.FromMinutes(5), AliasSource.Generic, Payload, null, false), extra, new ExerciseInject(TimeSpan.FromHours(3), null, null, null, true)],
        };
        return catalog with { Exercises = [.. catalog.Exercises, exercise] };
    }
}
