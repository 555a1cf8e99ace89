using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Lessons;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub lessons list|complete</c> and <c>hub lessons actions add|close</c>: the post-incident reviews the hub drafted
/// and their corrective actions, through the same <see cref="ReviewService"/> the timer uses.
/// </summary>
internal static class LessonsCommands
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var lessons = new Command("lessons", "Lessons learned from real events: the post-incident reviews the hub drafts when an incident that reached Alert is resolved, and their corrective actions.");
        lessons.Subcommands.Add(List(console, time));
        lessons.Subcommands.Add(Complete(console, time));
        var actions = new Command("actions", "A review's corrective actions: add them, close them.");
        actions.Subcommands.Add(AddAction(console, time));
        actions.Subcommands.Add(CloseAction(console, time));
        lessons.Subcommands.Add(actions);
        return lessons;
    }

    private static Command List(CliConsole console, TimeProvider time)
    {
        var open = new Option<bool>("--open") { Description = "Only reviews not completed, or with corrective actions still open." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of the reviews." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("list", "Every post-incident review, the latest resolved first: the incident, its outage against the RTO, whose it is, when it is due, its open corrective actions.") { open, json, storage };
        command.SetAction(async (parse, ct) =>
        {
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var views = await ReviewView.ListAsync(provider.GetRequiredService<ReviewService>(), parse.GetValue(open), time, ct);
            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(views, AssessmentJson.Options));
                return HubCli.Ok;
            }

            foreach (var v in views)
            {
                var rto = v.WithinRto ? "within RTO" : "BEYOND RTO";
                var due = v.Status == nameof(ReviewStatus.Draft) ? string.Create(CultureInfo.InvariantCulture, $"{(v.Overdue ? "OVERDUE, " : string.Empty)}due {v.Due:yyyy-MM-dd}") : "completed";
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{v.ReviewId} {v.Title} (resolved {HumanText.Time(v.ResolvedAt)}, {v.HighestLevel}, {rto}): {string.Join(", ", v.AssignedTo)}, {due}; {v.OpenActions} open corrective action(s); {v.Report}"));
            }

            if (views.Count == 0)
            {
                await console.Out.WriteLineAsync(parse.GetValue(open) ? "No open post-incident reviews." : "No post-incident reviews yet.");
            }

            return HubCli.Ok;
        });
        return command;
    }

    private static Command Complete(CliConsole console, TimeProvider time)
    {
        var review = new Argument<string>("reviewId") { Description = "The review (pir-…)." };
        var by = new Option<string>("--by") { Description = "Who completed it (default: your user name)." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("complete", "Mark a post-incident review completed: it no longer counts as overdue.") { review, by, storage };
        command.SetAction(async (parse, ct) =>
        {
            var id = parse.GetRequiredValue(review);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var done = await provider.GetRequiredService<ReviewService>().CompleteAsync(id, parse.GetValue(by) ?? Environment.UserName, ct)
                ?? throw new HubValidationException("reviewId", $"there is no review '{id}' (see hub lessons list)");
            await console.Out.WriteLineAsync($"Review {done.ReviewId} completed{(done.CompletedBy is { } who ? " by " + who : string.Empty)}.");
            return HubCli.Ok;
        });
        return command;
    }

    private static Command AddAction(CliConsole console, TimeProvider time) => FindingAddCommand.Create(
        console,
        time,
        new FindingAddWords("reviewId", "The review (pir-…).", "Add a corrective action to a review.", "Corrective action", "CA", id => $"there is no review '{id}' (see hub lessons list)"),
        (services, reviewId, id, text, owner, due, ct) => services.GetRequiredService<ReviewService>().AddActionAsync(reviewId, id, text, owner, due, ct));

    private static Command CloseAction(CliConsole console, TimeProvider time)
    {
        var review = new Argument<string>("reviewId") { Description = "The review (pir-…)." };
        var action = new Argument<string>("actionId") { Description = "The corrective action (CA-…)." };
        var on = new Option<string>("--on") { Description = "The day it was done, yyyy-MM-dd (default: today, UTC)." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("close", "Close a corrective action.") { review, action, on, storage };
        command.SetAction(async (parse, ct) =>
        {
            var closed = FindingAddCommand.OnDate(parse.GetValue(on));

            var reviewId = parse.GetRequiredValue(review);
            var actionId = parse.GetRequiredValue(action);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var done = await provider.GetRequiredService<ReviewService>().CloseActionAsync(reviewId, actionId, closed, ct)
                ?? throw new HubValidationException("actionId", $"{reviewId} has no corrective action '{actionId}'");
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Corrective action {done.Id} of {reviewId} closed on {done.Closed:yyyy-MM-dd}."));
            return HubCli.Ok;
        });
        return command;
    }
}
