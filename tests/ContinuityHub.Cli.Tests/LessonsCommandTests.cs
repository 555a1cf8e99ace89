using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Lessons;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Lessons;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>`hub lessons list|complete` and `hub lessons actions add|close` against the real Azurite, a drafted review stored as the timer stores it.</summary>
[Collection(StorageGroup.Name)]
public sealed class LessonsCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private const string ReviewId = "pir-20261201-0a1b2c3d";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.Zero));

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var review = new PostIncidentReview(
            ReviewId, "generic~INC-7", "Online banking down in DC1", start, start.AddHours(5), AssessmentLevel.Invoke, TimeSpan.FromHours(5), TimeSpan.FromHours(4), TimeSpan.FromHours(12),
            [new ReviewPlan("dr-online", "Online banking DR", "james.whitfield@contoso.example", start.AddMinutes(75), "sofia.rossi@contoso.example", start.AddHours(1), TimeSpan.FromMinutes(-15), true, TimeSpan.FromMinutes(225))],
            ["james.whitfield@contoso.example"], new DateOnly(2026, 12, 15), start.AddHours(5));
        Assert.True(await new TableReviewStore(StorageClients.FromConnectionString(Storage)).AddAsync(review, TestContext.Current.CancellationToken));
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_time, [.. args, "--storage", Storage]);

    [Fact]
    public async Task A_review_is_listed_overdue_takes_corrective_actions_and_leaves_the_open_list_once_completed_and_done()
    {
        var listed = await RunAsync("lessons", "list");
        var add = await RunAsync("lessons", "actions", "add", ReviewId, "--text", "Second DNS provider for the login domain", "--owner", "james.whitfield@contoso.example", "--due", "2027-01-31");
        var complete = await RunAsync("lessons", "complete", ReviewId, "--by", "james.whitfield@contoso.example");
        var stillOpen = await RunAsync("lessons", "list", "--open", "--json");
        var close = await RunAsync("lessons", "actions", "close", ReviewId, "CA-1", "--on", "2027-01-10");
        var none = await RunAsync("lessons", "list", "--open");

        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.StartsWith($"{ReviewId} Online banking down in DC1 (resolved 1 Dec 2026 14:00 UTC, Invoke, BEYOND RTO): james.whitfield@contoso.example, OVERDUE, due 2026-12-15; 0 open corrective action(s)", listed.Out, StringComparison.Ordinal);
        Assert.Equal($"Corrective action CA-1 added to {ReviewId} (owner james.whitfield@contoso.example, due 2027-01-31).", add.Out.Trim());
        Assert.Equal($"Review {ReviewId} completed by james.whitfield@contoso.example.", complete.Out.Trim());
        var review = JsonNode.Parse(stillOpen.Out)!.AsArray().Single()!;
        Assert.Equal(("Completed", 1, "PT5H", false), ((string)review["status"]!, (int)review["openActions"]!, (string)review["achievedRecovery"]!, (bool)review["withinRto"]!));
        Assert.Equal($"Corrective action CA-1 of {ReviewId} closed on 2027-01-10.", close.Out.Trim());
        Assert.Equal("No open post-incident reviews.", none.Out.Trim());
    }

    [Fact]
    public async Task An_unknown_review_or_action_and_bad_fields_exit_2_naming_what()
    {
        var unknown = await RunAsync("lessons", "actions", "add", "pir-nope", "--text", "x", "--owner", "a@contoso.com", "--due", "2027-01-31");
        var bad = await RunAsync("lessons", "actions", "add", ReviewId, "--text", "x", "--owner", "nobody", "--due", "tomorrow");
        var noAction = await RunAsync("lessons", "actions", "close", ReviewId, "CA-9");
        var noReview = await RunAsync("lessons", "complete", "pir-nope");

        Assert.Equal((2, "reviewId: there is no review 'pir-nope' (see hub lessons list)"), (unknown.ExitCode, unknown.Error.Trim()));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--owner: is required", bad.Error, StringComparison.Ordinal);
        Assert.Contains("--due: 'tomorrow' is not a date", bad.Error, StringComparison.Ordinal);
        Assert.Equal((2, $"actionId: {ReviewId} has no corrective action 'CA-9'"), (noAction.ExitCode, noAction.Error.Trim()));
        Assert.Equal(2, noReview.ExitCode);
    }
}
