namespace ContinuityHub.Cli.Tests;

public class CatalogValidateCommandTests
{
    [Fact]
    public async Task Seed_catalogue_is_valid()
    {
        var run = await CliRun.RunAsync("catalog", "validate", CliRun.Seed);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(": valid: 22 services, 12 plans, 14 exercises, 1 maintenance window(s)", run.Out, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Seed_catalogue_warns_of_the_plan_its_bia_outgrew_and_the_uncovered_network_and_still_exits_0()
    {
        var run = await CliRun.RunAsync("catalog", "validate", CliRun.Seed);

        Assert.Equal(0, run.ExitCode);
        var warnings = run.OutLines.Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
        Assert.Contains("warning: plans[7].recoveryTime: the plan's recovery takes 6 h, beyond the RTO of 4 h of Treasury and Liquidity Management (treasury): it cannot meet it", warnings);
        Assert.Contains("warning: services[0]: network-core is tier 1 and no Approved recovery plan covers it", warnings);
        Assert.Single(warnings, w => w.StartsWith("warning: services[0]: no Approved recovery plan covers network-core, yet 7 plan(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_catalogue_exits_2_with_one_path_message_line_per_problem()
    {
        var file = WriteCatalog(File.ReadAllText(CliRun.Seed)
            .Replace("rto: 4h", "rto: 10h", StringComparison.Ordinal)
            .Replace("tier: 4", "tier: 7", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("catalog", "validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.NotEmpty(run.ErrorLines);
        Assert.All(run.ErrorLines, line => Assert.Matches(@"^[a-zA-Z]+(\[\d+\])?[\w.\[\]]*: .+", line));
        Assert.Contains(run.ErrorLines, l => l.Contains("exceeds mtpd", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.Contains(".tier: 7 is outside 1–4", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_exits_2_naming_it()
    {
        var run = await CliRun.RunAsync("catalog", "validate", "/nowhere/catalog.yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("file: /nowhere/catalog.yaml not found", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Missing_plan_document_is_reported_with_its_path()
    {
        var file = WriteCatalog("""
            services:
              - {id: a, name: A, tier: 1, rto: 1h, rpo: 5m, mtpd: 4h}
            plans:
              - id: dr-a
                title: DR for A
                type: DisasterRecovery
                version: "1"
                status: Draft
                services: [a]
                recoveryTime: 30m
                documents:
                  - path: runbooks/missing.md
            """);

        var run = await CliRun.RunAsync("catalog", "validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("plans[0].documents[0].path: file not found: ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_yaml_exits_2_with_the_line()
    {
        var file = WriteCatalog("services:\n  - id: a\n   name: [\n");

        var run = await CliRun.RunAsync("catalog", "validate", file);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("line ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catalog", "validate")]
    [InlineData("catalog", "validate", "a.yaml", "--bogus")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("hub --help", run.Error, StringComparison.Ordinal);
    }

    private static string WriteCatalog(string yaml)
    {
        var dir = Directory.CreateTempSubdirectory("hub-cli-");
        var file = Path.Combine(dir.FullName, "catalog.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }

    [Fact]
    public async Task Storage_option_that_is_not_a_connection_string_exits_2_naming_it()
    {
        var run = await CliRun.RunAsync("catalog", "export", "--storage", "garbage");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--storage: not a storage connection string", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_given_as_the_file_exits_2_naming_it()
    {
        var run = await CliRun.RunAsync("catalog", "validate", Path.GetTempPath());

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("file: ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
