using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Intake;
using ContinuityHub.Lessons;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// Lessons learned from real events on the crisis-team catalogue (RTO 4 h, MTPD 12 h, plan 3 h: latest safe invocation
/// 1 h in), Azurite, the loopback Graph and a fake clock: a resolved incident at Invoke gets one drafted review, its
/// documents in blob storage, assigned to its plan owner by one activity notification; nothing else does.
/// </summary>
public sealed class LessonsPipelineTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Incident(string id, string state, string priority = "P1", bool major = true) =>
        $$"""{"id": "{{id}}", "title": "Online banking down in DC1", "priority": "{{priority}}", "state": "{{state}}", "startedAt": "2026-12-01T09:00:00Z", "services": ["online-banking"], "major": {{(major ? "true" : "false")}}}""";

    [Fact]
    public async Task A_resolved_incident_at_invoke_gets_one_review_assigned_to_its_plan_owner_with_the_figures_of_what_happened()
    {
        // Arrange: alerted at 9:00, assessed at Invoke and invoked at 10:15 (15 min late), resolved at 12:30.
        await using var h = await TeamsHarness.StartAsync(azurite, CrisisTeamCatalog.Create(), Start);
        var opened = await h.ReceiveAsync(Incident("INC-7", "Open"));
        await h.SweepAsync();
        var card = TeamsHarness.CardOf(h.CardsIn(CrisisTeamCatalog.Channel).Single());
        h.Time.Advance(TimeSpan.FromMinutes(75));
        await h.ReassessAsync(); // past the latest safe invocation time: Invoke
        await h.DecideAsync(TeamsHarness.ActionUrl(card, "Invoke plan")!, "POST", by: CrisisTeamCatalog.Tier1[1]);
        await h.SweepAsync();
        h.Time.SetUtcNow(Start + TimeSpan.FromMinutes(210));
        await h.ReceiveAsync(Incident("INC-7", "Resolved"));
        await h.SweepAsync();
        var service = h.Get<ReviewService>();

        // Act: the timer twice, and the resolve delivered again in between
        await h.Timers().DraftPostIncidentReviews(new Microsoft.Azure.Functions.Worker.TimerInfo(), TeamsHarness.Context());
        await h.ReceiveAsync(Incident("INC-7", "Closed"));
        await h.Timers().DraftPostIncidentReviews(new Microsoft.Azure.Functions.Worker.TimerInfo(), TeamsHarness.Context());

        // Assert
        var review = Assert.Single(await service.ListAsync(Token));
        Assert.Equal((opened.IncidentKey, AssessmentLevel.Invoke, ReviewStatus.Draft, ReviewNotice.Sent), (review.IncidentKey, review.HighestLevel, review.Status, review.Notice));
        Assert.Equal(["james.whitfield@contoso.example"], review.AssignedTo);
        Assert.Equal((TimeSpan.FromMinutes(210), TimeSpan.FromHours(4), TimeSpan.FromHours(12), true), (review.AchievedRecovery, review.Rto, review.Mtpd, review.WithinRto));
        Assert.Equal(new DateOnly(2026, 12, 15), review.Due);
        var plan = Assert.Single(review.Plans);
        Assert.Equal((Start + TimeSpan.FromMinutes(75), TimeSpan.FromMinutes(-15), true, TimeSpan.FromMinutes(135)), (plan.InvokedAt, plan.Margin, plan.Late, plan.RecoveryAfterInvocation));
        var notices = h.Graph.DeliveredTo("/teamwork/sendActivityNotification").Where(r => r.Body.Contains("\"reviewAssigned\"", StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(notices);
        Assert.Contains("/users/james.whitfield@contoso.example/", Uri.UnescapeDataString(notice.Path), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{review.ReviewId}/review.html", notice.Body, StringComparison.Ordinal);
        var blobs = h.Get<StorageClients>().Blobs.GetBlobContainerClient(h.Reviews);
        var json = JsonNode.Parse((await blobs.GetBlobClient($"{review.ReviewId}/review.json").DownloadContentAsync(Token)).Value.Content.ToString())!;
        Assert.Equal(("PT3H30M", "-PT15M", true), ((string?)json["achievedRecovery"], (string?)json["plans"]![0]!["margin"], (bool)json["withinRto"]!));
        Assert.True((await blobs.GetBlobClient($"{review.ReviewId}/review.html").ExistsAsync(Token)).Value);
    }

    [Fact]
    public async Task An_incident_that_stayed_at_monitor_or_an_exercise_gets_no_review_and_corrective_actions_are_kept()
    {
        await using var h = await TeamsHarness.StartAsync(azurite, CrisisTeamCatalog.Create(), Start);
        await h.ReceiveAsync(Incident("INC-8", "Open", priority: "P4", major: false));
        var exercise = new Exercise("ex-review", CrisisTeamCatalog.Plan, ExerciseType.Simulation, new DateOnly(2026, 12, 1), null, null, null, []);
        var mark = ExercisePlayer.MarkOf(exercise, Start);
        var played = await h.Get<IntakeService>().ReceiveAsync(new IntakeRequest(AliasSource.Generic, System.Text.Encoding.UTF8.GetBytes(Incident("EX-1", "Open")), IntakeChannel.Exercise) { Exercise = mark }, Token);
        await h.SweepAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.ReceiveAsync(Incident("INC-8", "Resolved", priority: "P4", major: false));
        await h.Get<IntakeService>().ResolveExerciseAsync(played.IncidentKey, "end", Token);
        await h.SweepAsync();

        var result = await h.Get<ReviewService>().DraftDueAsync(Token);
        var missing = await h.Get<ReviewService>().AddActionAsync("pir-nope", null, "x", "sam@contoso.com", "2027-01-01", Token);

        Assert.Equal(0, result.Drafted);
        Assert.Empty(await h.Get<ReviewService>().ListAsync(Token));
        Assert.Equal(FindingAddOutcome.NotFound, missing.Outcome);
    }
}
