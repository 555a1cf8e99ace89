using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Commands;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub catalog validate` (and every command that loads a catalogue file) reads the scenarios' sample files: beside the
/// catalogue or in a folder above it, checked against their source's parser, their text kept as the inject's payload.
/// </summary>
public class CatalogScenarioSamplesTests
{
    private const string Generic = """{"id": "INC-7", "title": "SQL down", "startedAt": "2026-11-24T09:58:12Z", "services": ["sql"]}""";

    /// <summary>A catalogue whose one exercise's scenario is <paramref name="injects"/> (list items under <c>scenario:</c>).</summary>
    private static string Catalogue(string injects) => $"""
        services:
          - {"{"}id: sql, name: SQL, tier: 1, rto: 1h, rpo: 5m, mtpd: 4h{"}"}
        plans:
          - {"{"}id: dr-sql, title: SQL failover, type: DisasterRecovery, version: "1", status: Draft, services: [sql], recoveryTime: 30m{"}"}
        exercises:
          - id: ex-sql
            plan: dr-sql
            type: simulation
            scheduled: 2026-12-10
            scenario:
        {string.Concat(injects.Split('\n').Select(l => "      " + l + "\n"))}
        """;

    /// <summary>A fresh root folder with <paramref name="files"/> (relative path, text) in it.</summary>
    private static string Root(params (string Path, string Text)[] files)
    {
        var root = Directory.CreateTempSubdirectory("hub-samples-").FullName;
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return root;
    }

    [Fact]
    public async Task A_sample_named_from_a_folder_above_the_catalogue_is_found_and_read_into_the_payload()
    {
        // Arrange: the catalogue two folders down, the sample at the root, as infra/seed names infra/samples.
        var root = Root(
            ("samples/generic/open.json", Generic),
            ("infra/seed/catalog.yaml", Catalogue("- {at: 0m, source: generic, sample: samples/generic/open.json}\n- {at: 1h, resolve: true}")));
        var file = Path.Combine(root, "infra", "seed", "catalog.yaml");

        // Act
        var run = await CliRun.RunAsync("catalog", "validate", file);
        var loaded = await CatalogCommands.LoadAsync(file, TestContext.Current.CancellationToken);

        // Assert
        Assert.True(run.ExitCode == 0, run.Error);
        var inject = loaded.Exercises[0].Scenario[0];
        Assert.Equal(("samples/generic/open.json", Generic), (inject.Sample, inject.Payload));
    }

    [Fact]
    public async Task A_sample_beside_the_catalogue_comes_before_one_further_up()
    {
        var root = Root(
            ("open.json", """{"id": "INC-root"}"""),
            ("seed/open.json", Generic),
            ("seed/catalog.yaml", Catalogue("- {at: 0m, source: generic, sample: open.json}")));

        var loaded = await CatalogCommands.LoadAsync(Path.Combine(root, "seed", "catalog.yaml"), TestContext.Current.CancellationToken);

        Assert.Equal(Generic, loaded.Exercises[0].Scenario[0].Payload);
    }

    [Fact]
    public async Task An_absolute_sample_path_is_taken_as_it_is()
    {
        var samples = Root(("open.json", Generic));
        var absolute = Path.Combine(samples, "open.json");
        var root = Root(("catalog.yaml", Catalogue($"- {{at: 0m, source: generic, sample: \"{absolute}\"}}")));

        var run = await CliRun.RunAsync("catalog", "validate", Path.Combine(root, "catalog.yaml"));

        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public async Task A_missing_sample_exits_2_naming_every_place_it_looked()
    {
        // Arrange
        var root = Root(("seed/catalog.yaml", Catalogue("- {at: 0m, source: generic, sample: samples/none.json}")));
        var seed = Path.Combine(root, "seed");

        // Act
        var run = await CliRun.RunAsync("catalog", "validate", Path.Combine(seed, "catalog.yaml"));

        // Assert
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"exercises[0].scenario[0].sample: file not found: samples/none.json (looked in {Path.Combine(seed, "samples", "none.json")}, {Path.Combine(root, "samples", "none.json")}, ", line, StringComparison.Ordinal);
        Assert.EndsWith($"{Path.Combine("/", "samples", "none.json")})", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_its_source_cannot_read_exits_2_with_the_parser_problem()
    {
        var root = Root(
            ("bad.json", """{"id": "INC-7", "startedAt": "2026-11-24T09:58:12Z"}"""),
            ("catalog.yaml", Catalogue("- {at: 0m, source: generic, sample: bad.json}")));

        var run = await CliRun.RunAsync("catalog", "validate", Path.Combine(root, "catalog.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("exercises[0].scenario[0].sample: the generic parser refuses bad.json: title: is required", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_sample_that_is_not_json_exits_2_with_the_parser_problem()
    {
        var root = Root(("alert.json", "<alert/>"), ("catalog.yaml", Catalogue("- {at: 0m, source: azuremonitor, sample: alert.json}")));

        var run = await CliRun.RunAsync("catalog", "validate", Path.Combine(root, "catalog.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("exercises[0].scenario[0].sample: the azuremonitor parser refuses alert.json: not valid JSON: ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_over_1_MiB_exits_2_with_its_size()
    {
        var root = Root(("big.json", "{\"id\": \"" + new string('x', ScenarioSamples.MaxSampleBytes) + "\"}"), ("catalog.yaml", Catalogue("- {at: 0m, source: generic, sample: big.json}")));

        var run = await CliRun.RunAsync("catalog", "validate", Path.Combine(root, "catalog.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"exercises[0].scenario[0].sample: {Path.Combine(root, "big.json")} is 1048586 bytes; a sample may hold at most 1048576 (1 MiB)", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Samples_too_large_to_store_together_exit_2_naming_the_scenario()
    {
        var sample = $$"""{"id": "INC-7", "title": "{{new string('x', 20_000)}}", "startedAt": "2026-11-24T09:58:12Z"}""";
        var root = Root(("a.json", sample), ("catalog.yaml", Catalogue("- {at: 0m, source: generic, sample: a.json}\n- {at: 1m, source: generic, sample: a.json}\n- {at: 2m, source: generic, sample: a.json}")));

        var run = await CliRun.RunAsync("catalog", "validate", Path.Combine(root, "catalog.yaml"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("exercises[0].scenario: the injects are too large to store (60", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seed_validates_and_its_two_scenarios_carry_their_payloads_once_loaded()
    {
        // Act
        var seed = await CatalogCommands.LoadAsync(CliRun.Seed, TestContext.Current.CancellationToken);

        // Assert
        var played = seed.Exercises.Where(e => e.Scenario.Count > 0).ToList();
        Assert.Equal(["ex-2026-payments-q4", "ex-2027-sql-dc2-simulation"], played.Select(e => e.Id));
        Assert.All(played, e =>
        {
            Assert.Null(e.Completed);
            Assert.True(e.Scenario[^1].Resolve);
            Assert.InRange(e.Scenario.Count(i => !i.Resolve), 2, 4);
            Assert.InRange(e.Decisions.Count, 1, 2);
            Assert.All(e.Scenario.Where(i => !i.Resolve), i => Assert.NotNull(JsonNode.Parse(i.Payload!)));
            Assert.All(e.Decisions, d => Assert.Equal(e.Plan, d.Plan));
        });
        Assert.Contains(played, e => e.Participants.Count > 0);
        Assert.Contains(played, e => e.Scenario.Any(i => i is { Sample: null, Payload: not null }));
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(CliRun.RepoRoot, "infra", "samples", "azuremonitor", "metric-alert-fired.json"), TestContext.Current.CancellationToken),
            seed.Exercises.Single(e => e.Id == "ex-2027-sql-dc2-simulation").Scenario[0].Payload);
        Assert.Contains(seed.Exercises, e => e.Plan == "dr-sql-cluster" && e.Completed is null);
    }
}
