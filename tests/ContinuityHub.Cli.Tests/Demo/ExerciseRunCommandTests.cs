using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests.Demo;

/// <summary><c>hub exercise run</c> on the seed catalogue, as a user runs it: the embedded hub, a simulated clock.</summary>
public sealed class ExerciseRunCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 30, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("hub-exercise-").FullName, "out");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public async Task Seed_sql_simulation_plays_to_a_passed_result_with_the_scripted_times_and_writes_its_report()
    {
        var run = await CliRun.RunAsync(new FakeTimeProvider(Now), "exercise", "run", "ex-2027-sql-dc2-simulation", "--out", _folder, "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonNode.Parse(run.Out)!;
        var start = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal("ex-2027-sql-dc2-simulation", (string?)report["exerciseId"]);
        Assert.Equal("dr-sql-cluster", (string?)report["plan"]);
        Assert.Equal(start, report["startedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(start.AddMinutes(55), report["endedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Passed", (string?)report["result"]);
        Assert.Equal("PT55M", (string?)report["achievedRecovery"]);
        Assert.Equal("PT1H", (string?)report["rto"]);
        Assert.Equal("PT6M", (string?)report["timeToFirstAlert"]);
        var decisions = report["decisions"]!.AsArray();
        Assert.Equal(["Acknowledge", "Invoke"], decisions.Select(d => (string?)d!["action"]));
        var invoke = decisions[1]!;
        Assert.Equal(start.AddMinutes(10), invoke["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(start.AddMinutes(15), invoke["latestSafeInvocation"]!.GetValue<DateTimeOffset>());
        Assert.Equal("PT5M", (string?)invoke["margin"]);
        Assert.False(invoke["late"]!.GetValue<bool>());
        Assert.StartsWith("noah.andersson@contoso.com", (string?)invoke["by"], StringComparison.Ordinal);
        Assert.Contains(report["timeline"]!.AsArray(), t => (string?)t!["kind"] == "alert" && (string?)t["offset"] == "PT6M" && ((string?)t["text"])!.EndsWith("at Alert", StringComparison.Ordinal));
        var folder = Path.Combine(_folder, "exercise-reports", "dr-sql-cluster", "ex-2027-sql-dc2-simulation");
        Assert.Equal(["after-action.html", "after-action.json", "after-action.md"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("Passed", (string?)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "after-action.json"), TestContext.Current.CancellationToken))!["result"]);
    }

    [Fact]
    public async Task An_unknown_exercise_is_refused_naming_the_ones_with_a_scenario_exit_2()
    {
        var run = await CliRun.RunAsync("exercise", "run", "ex-nope", "--out", _folder);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("exerciseId: unknown exercise 'ex-nope' (the catalogue has ex-2026-payments-q4, ex-2027-sql-dc2-simulation", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task An_exercise_without_a_scenario_is_refused_exit_2()
    {
        var run = await CliRun.RunAsync("exercise", "run", "ex-2027-ledger-full", "--out", _folder);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("exerciseId: 'ex-2027-ledger-full' has no scenario", run.Error, StringComparison.Ordinal);
    }
}
