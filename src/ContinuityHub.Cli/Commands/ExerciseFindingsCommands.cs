using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub exercise findings add|close|list</c>: an exercise's findings beside the catalogue's, through the same
/// <see cref="FindingService"/> the HTTP routes call; a field the rules refuse is bad input on its flag.
/// </summary>
internal static class ExerciseFindingsCommands
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var findings = new Command("findings", "An exercise's findings: add them after the debrief, close them when done, list them (the catalogue's and those added).");
        findings.Subcommands.Add(Add(console, time));
        findings.Subcommands.Add(Close(console, time));
        findings.Subcommands.Add(List(console, time));
        return findings;
    }

    private static Command Add(CliConsole console, TimeProvider time) => FindingAddCommand.Create(
        console,
        time,
        new FindingAddWords("exerciseId", "The exercise the finding came from.", "Add a finding to an exercise.", "Finding", "F", id => $"the stored catalogue has no exercise '{id}'"),
        (services, exerciseId, id, text, owner, due, ct) => services.GetRequiredService<FindingService>().AddAsync(exerciseId, id, text, owner, due, ct));

    private static Command Close(CliConsole console, TimeProvider time)
    {
        var exercise = new Argument<string>("exerciseId") { Description = "The exercise." };
        var finding = new Argument<string>("findingId") { Description = "The finding added with hub exercise findings add." };
        var on = new Option<string>("--on") { Description = "The day it was closed, yyyy-MM-dd (default: today, UTC)." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("close", "Close a finding added with hub exercise findings add (one in the catalogue is closed there).") { exercise, finding, on, storage };
        command.SetAction(async (parse, ct) =>
        {
            var closed = FindingAddCommand.OnDate(parse.GetValue(on));

            var exerciseId = parse.GetRequiredValue(exercise);
            var findingId = parse.GetRequiredValue(finding);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var (outcome, done) = await provider.GetRequiredService<FindingService>().CloseAsync(exerciseId, findingId, closed, ct);
            switch (outcome)
            {
                case FindingCloseOutcome.InCatalogue:
                    throw new HubValidationException("findingId", $"'{findingId}' is {ExerciseFindingsEndpoint.CloseRefusal}");
                case FindingCloseOutcome.NotFound:
                    throw new HubValidationException("findingId", $"{exerciseId} has no finding '{findingId}'");
            }

            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Finding {done!.Id} of {exerciseId} closed on {done.Closed:yyyy-MM-dd}."));
            return HubCli.Ok;
        });
        return command;
    }

    private static Command List(CliConsole console, TimeProvider time)
    {
        var exercise = new Argument<string>("exerciseId") { Description = "Only this exercise's findings (default: every exercise's).", Arity = ArgumentArity.ZeroOrOne };
        var open = new Option<bool>("--open") { Description = "Only the findings not closed." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, each finding as GET /api/exercises/{id}/findings answers it." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("list", "Every exercise's findings, the catalogue's and those added, with whether each is overdue.") { exercise, open, json, storage };
        command.SetAction(async (parse, ct) =>
        {
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var exercises = (await provider.GetRequiredService<ICatalogStore>().LoadAsync(ct)).Exercises;
            var only = parse.GetValue(exercise);
            if (only is not null && exercises.All(e => e.Id != only))
            {
                throw new HubValidationException("exerciseId", $"the stored catalogue has no exercise '{only}'");
            }

            var added = (await provider.GetRequiredService<IFindingStore>().ListAsync(FindingOrigin.Exercise, only, ct))
                .Select(f => (f.Owner, f.Finding.Id.ToUpperInvariant())).ToHashSet();
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var views = exercises.Where(e => only is null || e.Id == only)
                .SelectMany(e => e.Findings.Select(f => FindingView.From(e, f, added.Contains((e.Id, f.Id.ToUpperInvariant())), today)))
                .Where(v => !parse.GetValue(open) || v.Closed is null)
                .ToList();
            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(views, AssessmentJson.Options));
                return HubCli.Ok;
            }

            foreach (var v in views)
            {
                var state = v.Closed is { } closed ? string.Create(CultureInfo.InvariantCulture, $"closed {closed:yyyy-MM-dd}") : v.Overdue ? "OVERDUE" : "open";
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{v.ExerciseId} {v.Id} ({v.Origin}): {state}, due {v.Due:yyyy-MM-dd}, owner {v.Owner}: {v.Text}"));
            }

            if (views.Count == 0)
            {
                await console.Out.WriteLineAsync(parse.GetValue(open) ? "No open findings." : "No findings.");
            }

            return HubCli.Ok;
        });
        return command;
    }
}
