namespace ContinuityHub.Cli.Tests;

public class UnknownVerbTests
{
    [Theory]
    [InlineData("catlog", "catalog")]
    [InlineData("CATLOG", "catalog")]
    [InlineData("reprot", "report")]
    [InlineData("sim", "simulate")]
    public async Task Mistyped_verb_exits_2_with_one_line_naming_the_closest_verb(string typed, string meant)
    {
        var run = await CliRun.RunAsync(typed);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal($"unknown command '{typed}'; did you mean '{meant}'?", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("catalog", "imprt", "import")]
    [InlineData("intake", "redrve", "redrive")]
    [InlineData("graph", "statsu", "status")]
    public async Task Mistyped_second_level_verb_exits_2_naming_the_closest_verb_of_its_group(string group, string typed, string meant)
    {
        var run = await CliRun.RunAsync(group, typed, "--storage", "UseDevelopmentStorage=true");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"unknown command '{typed}'; did you mean '{meant}'?", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Verb_near_no_verb_exits_2_pointing_at_the_help()
    {
        var run = await CliRun.RunAsync("xyz");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("unknown command 'xyz'; run 'hub --help' for the verbs", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Second_level_verb_near_no_verb_points_at_its_group_help()
    {
        var run = await CliRun.RunAsync("catalog", "xyz");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("unknown command 'xyz'; run 'hub catalog --help' for the verbs", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Prefix_of_several_verbs_suggests_none()
    {
        var run = await CliRun.RunAsync("s");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("unknown command 's'; run 'hub --help' for the verbs", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Bad_option_value_keeps_its_path_message_line()
    {
        var run = await CliRun.RunAsync("report", "--catalog", CliRun.Seed, "--at", "2026-13-45");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--at: '2026-13-45' is not a date: expected yyyy-MM-dd, e.g. 2026-11-24", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Missing_option_value_and_unknown_option_keep_the_usage_lines()
    {
        var missing = await CliRun.RunAsync("serve", "--urls");
        var unknown = await CliRun.RunAsync("catalog", "--bogus");

        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(["usage: Required argument missing for option: '--urls'.", "Run 'hub --help' for usage."], missing.ErrorLines);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("usage: Unrecognized command or argument '--bogus'.", unknown.ErrorLines);
        Assert.DoesNotContain(unknown.ErrorLines, l => l.StartsWith("unknown command", StringComparison.Ordinal));
    }
}
