using System.CommandLine;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Demo;
using ContinuityHub.Exercises;

namespace ContinuityHub.Cli.Commands;

/// <summary><c>hub exercise run</c>: rehearse an exercise's scenario on this machine and write its after-action report.</summary>
internal static class ExerciseCommands
{
    public const string DefaultOutput = "exercise-output";

    public static Command Create(CliConsole console, TimeProvider time)
    {
        var exercise = new Command("exercise", "Continuity exercises: rehearse a scenario here (run), or play it on the hub (start, end, status) and get its after-action report.");
        exercise.Subcommands.Add(Run(console, time));
        exercise.Subcommands.Add(ExerciseLiveCommands.Start(console, time));
        exercise.Subcommands.Add(ExerciseLiveCommands.End(console, time));
        exercise.Subcommands.Add(ExerciseLiveCommands.Status(console, time));
        exercise.Subcommands.Add(ExerciseFindingsCommands.Create(console, time));
        return exercise;
    }

    private static Command Run(CliConsole console, TimeProvider time)
    {
        var id = new Argument<string>("exerciseId") { Description = "The exercise's id in the catalogue." };
        var catalogFile = new Option<string>("--catalog") { Description = "The catalogue file that declares the exercise (default: infra/seed/catalog.yaml)." };
        var output = new Option<string>("--out", "-o") { Description = $"The folder for the run's files (default ./{DefaultOutput}/); a previous run's output there is replaced." };
        var json = new Option<bool>("--json") { Description = "Print the after-action report as JSON instead of the timeline." };
        var command = new Command(
            "run",
            "Play an exercise's scenario at once on an embedded hub (Azurite, the local Teams sink) with a simulated clock and its scripted decisions; print its timeline and write its after-action report (HTML, JSON, Markdown).")
        {
            id, catalogFile, output, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var repository = DemoCommand.Repository() ?? throw new HubValidationException("exercise", "run it from the repository (it needs infra/: Azurite and the samples)");
            var path = parse.GetValue(catalogFile) is { Length: > 0 } given ? Path.GetFullPath(given) : Path.Combine(repository, "infra", "seed", "catalog.yaml");
            var catalog = await CatalogCommands.LoadAsync(path, ct);
            var exerciseId = parse.GetRequiredValue(id);
            var found = catalog.Exercises.FirstOrDefault(e => e.Id == exerciseId)
                ?? throw new HubValidationException("exerciseId", $"unknown exercise '{exerciseId}' (the catalogue has {string.Join(", ", catalog.Exercises.Where(e => e.Scenario.Count > 0).Select(e => e.Id).DefaultIfEmpty("none with a scenario"))})");
            if (found.Scenario.Count == 0)
            {
                throw new HubValidationException("exerciseId", $"'{exerciseId}' has no scenario: give it one under scenario: in the catalogue");
            }

            var folder = DemoCommand.Prepare(parse.GetValue(output) is { Length: > 0 } o ? o : DefaultOutput);
            var asJson = parse.GetValue(json);
            void Progress(string line) => console.Error.WriteLine(line);
            // From a whole minute, so the report's figures read as the scenario's offsets.
            var now = time.GetUtcNow();
            var clock = new DemoClock(new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero));
            await using var environment = await DemoEnvironment.StartAsync(repository, folder, null, path, clock, Progress, ct);
            Progress($"Playing {found.Id} ({found.Scenario.Count} injects, {found.Decisions.Count} scripted decisions) for plan {found.Plan} on a simulated clock from {HumanText.Time(clock.Start)}…");
            var report = await new ExerciseRehearsal(environment, clock, found, folder, Progress).PlayAsync(ct);
            var target = Directory.CreateDirectory(Path.Combine(folder, report.Folder));
            foreach (var file in AfterActionFiles.Render(report))
            {
                await File.WriteAllBytesAsync(Path.Combine(target.FullName, file.FileName), file.Content.ToArray(), ct);
            }

            if (asJson)
            {
                await console.Out.WriteLineAsync(AfterActionFiles.Json(report));
                return HubCli.Ok;
            }

            await console.Out.WriteLineAsync($"Timeline of {report.ExerciseId} (plan {report.Plan}), from {HumanText.Time(report.StartedAt)}:");
            foreach (var line in AfterActionFiles.TimelineLines(report))
            {
                await console.Out.WriteLineAsync("  " + line);
            }

            await console.Out.WriteLineAsync($"Result: {report.Result}. {string.Join(" ", report.ResultReasons)}");
            await console.Out.WriteLineAsync($"Time to first alert {HumanText.Duration(report.TimeToFirstAlert)}; achieved recovery {HumanText.Duration(report.AchievedRecovery)} against an RTO of {HumanText.Duration(report.Rto)}.");
            await console.Out.WriteLineAsync($"After-action report: {Path.Combine(target.FullName, "after-action.html")} (and .json, .md)");
            return HubCli.Ok;
        });
        return command;
    }
}
