using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Intake;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub exercise start|end|status</c>: exercises played on the hub itself (the storage <c>hub serve</c> or the
/// Functions app uses), through the same <see cref="ExerciseRunService"/> as <c>POST /api/exercises/{id}/start|end</c>.
/// The hub's <c>PlayExercises</c> timer plays the injects and ends the run; these commands record what is asked.
/// </summary>
internal static class ExerciseLiveCommands
{
    public static Command Start(CliConsole console, TimeProvider time)
    {
        var id = new Argument<string>("exerciseId") { Description = "The exercise's id in the stored catalogue (it needs a scenario)." };
        var speed = new Option<int>("--speed") { Description = $"Play the scenario this many times faster (1 to {ExerciseRunService.MaxSpeed}; default 1, real time). The hub's own clock still runs in real time.", DefaultValueFactory = _ => 1 };
        var by = By();
        var storage = CatalogCommands.StorageOption();
        var command = new Command("start", "Start an exercise on the hub: its scenario's injects go through the real intake, assessment and notifications, marked EXERCISE, as they fall due.")
        {
            id, speed, by, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var exerciseId = parse.GetRequiredValue(id);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            ExerciseStartResult result;
            try
            {
                result = await provider.GetRequiredService<ExerciseRunService>().StartAsync(exerciseId, parse.GetValue(speed), parse.GetValue(by) ?? Environment.UserName, ct);
            }
            catch (HubValidationException e) when (e.Problems.All(p => p.Path == "speed"))
            {
                throw new HubValidationException("--speed", e.Problems[0].Message);
            }

            var exercise = (await provider.GetRequiredService<ICatalogProvider>().GetAsync(ct)).Catalog.Exercises.FirstOrDefault(e => e.Id == exerciseId);
            switch (result.Outcome)
            {
                case ExerciseStartOutcome.UnknownExercise:
                    throw new HubValidationException("exerciseId", $"the stored catalogue has no exercise '{exerciseId}' (import it first: hub catalog import)");
                case ExerciseStartOutcome.NoScenario:
                    throw new HubValidationException("exerciseId", $"'{exerciseId}' has no scenario: give it one under scenario: in the catalogue and import it");
                case ExerciseStartOutcome.AlreadyRunning:
                    throw new HubValidationException("exerciseId", $"'{exerciseId}' is running (run {result.Run?.RunId}): end it first with hub exercise end {exerciseId}");
            }

            var run = result.Run!;
            var scenario = exercise?.Scenario ?? [];
            var length = scenario.Count > 0 ? scenario[^1].At : TimeSpan.Zero;
            var played = run.Speed == 1 ? HumanText.Duration(length) : $"{HumanText.Duration(length)} of scenario in {HumanText.Duration(length / run.Speed)} at {run.Speed}x";
            await console.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Started {exerciseId} (run {run.RunId}) for plan {run.Plan}: {scenario.Count(i => !i.Resolve)} injects over {played}."));
            await console.Out.WriteLineAsync($"The hub's exercise timer (PlayExercises, every 10 s; hub serve runs it too) plays them as they fall due. Follow it: hub exercise status {exerciseId}");
            return HubCli.Ok;
        });
        return command;
    }

    public static Command End(CliConsole console, TimeProvider time)
    {
        var id = new Argument<string>("exerciseId") { Description = "The exercise whose run to end." };
        var by = By();
        var storage = CatalogCommands.StorageOption();
        var command = new Command("end", "End an exercise's run: at its next tick the hub resolves what is still open, writes the after-action report and records the result.")
        {
            id, by, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var exerciseId = parse.GetRequiredValue(id);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var result = await provider.GetRequiredService<ExerciseRunService>().RequestEndAsync(exerciseId, parse.GetValue(by) ?? Environment.UserName, ct);
            switch (result.Outcome)
            {
                case ExerciseEndOutcome.UnknownExercise:
                    throw new HubValidationException("exerciseId", $"the stored catalogue has no exercise '{exerciseId}'");
                case ExerciseEndOutcome.NotRunning:
                    throw new HubValidationException("exerciseId", $"no run of '{exerciseId}' is going (start one with hub exercise start {exerciseId})");
            }

            await console.Out.WriteLineAsync($"End of {exerciseId} (run {result.Run!.RunId}) asked for: at its next tick (within 10 s) the hub resolves what is open, writes exercise-reports/{result.Run.Plan}/{exerciseId}/ and records the result. See it: hub exercise status {exerciseId}");
            return HubCli.Ok;
        });
        return command;
    }

    public static Command Status(CliConsole console, TimeProvider time)
    {
        var id = new Argument<string>("exerciseId") { Description = "The exercise." };
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON, as GET /api/exercises/{id} lists them." };
        var output = new Option<string>("--out", "-o") { Description = "Also copy the latest after-action report (HTML, JSON, Markdown) from storage into this folder." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("status", "The runs of an exercise on the hub, the latest first: injects played, the end, the result and where the after-action report is.")
        {
            id, json, output, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var exerciseId = parse.GetRequiredValue(id);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var exercise = (await provider.GetRequiredService<ICatalogProvider>().GetAsync(ct)).Catalog.Exercises.FirstOrDefault(e => e.Id == exerciseId);
            var runs = await provider.GetRequiredService<ExerciseRunService>().ListAsync(exerciseId, ct);
            if (exercise is null && runs.Count == 0)
            {
                throw new HubValidationException("exerciseId", $"the stored catalogue has no exercise '{exerciseId}'");
            }

            var views = runs.Select(r => ExerciseRunView.From(r, exercise?.Scenario ?? [])).ToList();
            if (parse.GetValue(output) is { Length: > 0 } folder)
            {
                await CopyReportAsync(provider.GetRequiredService<IExerciseReportStore>(), runs, folder, console, ct);
            }

            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(views, AssessmentJson.Options));
                return HubCli.Ok;
            }

            if (views.Count == 0)
            {
                await console.Out.WriteLineAsync($"{exerciseId} has not been played on this hub (start it: hub exercise start {exerciseId}).");
                return HubCli.Ok;
            }

            foreach (var v in views)
            {
                var speed = v.Speed == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" at {v.Speed}x");
                var line = v.State == nameof(ExerciseRunState.Running)
                    ? string.Create(CultureInfo.InvariantCulture, $"{v.InjectsPlayed} of {v.Injects} injects played{(v.NextInjectAt is { } next ? "; next at " + HumanText.Time(next) : string.Empty)}{(v.EndRequestedAt is null ? string.Empty : "; end asked for")}")
                    : $"ended {(v.EndedAt is { } ended ? HumanText.Time(ended) : "?")}: {v.Result ?? "no result"}{(v.AchievedRecovery is null ? string.Empty : ", recovery " + v.AchievedRecovery)}; report {v.Report ?? "none"}; {SummaryText(v.Summary)}";
                await console.Out.WriteLineAsync($"{v.ExerciseId} run {v.RunId} ({v.State}{speed}, started {HumanText.Time(v.StartedAt)} by {v.StartedBy}): {line}");
            }

            return HubCli.Ok;
        });
        return command;
    }

    /// <summary>Copies the after-action report of the latest ended run into <paramref name="folder"/> (messages to standard error).</summary>
    private static async Task CopyReportAsync(IExerciseReportStore reports, IReadOnlyList<ExerciseRun> runs, string folder, CliConsole console, CancellationToken cancellationToken)
    {
        if (runs.FirstOrDefault(r => r.ReportFolder is not null) is not { } ended)
        {
            throw new HubValidationException("--out", "no run of this exercise has ended yet, so there is no after-action report to copy");
        }

        var target = Directory.CreateDirectory(Path.GetFullPath(folder));
        foreach (var name in new[] { AfterActionFiles.HtmlFile, AfterActionFiles.JsonFile, AfterActionFiles.MarkdownFile })
        {
            if (await reports.ReadAsync(ended.Plan, ended.ExerciseId, name, cancellationToken) is { } content)
            {
                await File.WriteAllBytesAsync(Path.Combine(target.FullName, name), content, cancellationToken);
            }
        }

        await console.Error.WriteLineAsync($"After-action report of run {ended.RunId}: {Path.Combine(target.FullName, AfterActionFiles.HtmlFile)} (and .json, .md)");
    }

    private static string SummaryText(string state) => state switch
    {
        nameof(ExerciseSummaryState.Posted) => "summary card posted to the continuity channel",
        nameof(ExerciseSummaryState.Pending) => "summary card not posted yet (Teams unreachable; retried)",
        nameof(ExerciseSummaryState.Failed) => "summary card refused by Teams (see the log)",
        nameof(ExerciseSummaryState.NotConfigured) => "no summary card (no continuity channel: Teams:ContinuityChannelId)",
        _ => "no summary card",
    };

    private static Option<string> By() => new("--by") { Description = "Who does it, for the audit log (default: your user name)." };
}
