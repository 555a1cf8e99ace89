using System.Diagnostics;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// <c>./hub</c> at the repository root, run through bash as a user runs it, from a folder of its own. It builds into
/// a temporary folder (<c>HUB_BUILD_DIR</c>) in Debug (<c>HUB_BUILD_CONFIGURATION</c>), which the test project's
/// own build has just compiled, so it costs seconds and leaves a developer's <c>.hub/</c> alone.
/// </summary>
public sealed class HubScriptTests(HubScriptTests.Script script) : IClassFixture<HubScriptTests.Script>
{
    private static readonly string[] s_verbs = ["catalog", "simulate", "serve", "intake", "report", "graph"];

    [Fact]
    public async Task Help_exits_0_listing_the_verbs()
    {
        var run = await script.RunAsync("--help");

        Assert.True(run.ExitCode == 0, run.Error);
        var commands = run.OutLines.SkipWhile(l => l != "Commands:").Skip(1).Select(l => l.Split(' ')[0]).ToList();
        Assert.All(s_verbs, verb => Assert.Contains(verb, commands));
    }

    [Fact]
    public async Task Mistyped_verb_exits_2_with_the_one_line_the_cli_answers()
    {
        var run = await script.RunAsync("catlog");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal("unknown command 'catlog'; did you mean 'catalog'?", run.ErrorLines.Last());
    }

    [Fact]
    public async Task Builds_again_only_once_a_source_is_newer_than_the_last_build()
    {
        await script.RunAsync("--version");

        var unchanged = await script.RunAsync("--version");
        File.SetLastWriteTimeUtc(Path.Combine(script.BuildDirectory, "stamp"), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var changed = await script.RunAsync("--version");

        Assert.Equal(0, unchanged.ExitCode);
        Assert.Empty(unchanged.Error);
        Assert.Equal(0, changed.ExitCode);
        Assert.Equal("building hub…", Assert.Single(changed.ErrorLines));
        Assert.Equal(unchanged.Out, changed.Out);
    }

    [Fact]
    public async Task Runs_in_the_callers_folder_with_its_standard_input()
    {
        File.WriteAllText(Path.Combine(script.WorkingDirectory, "catalog.yaml"), "services:\n  - {id: a, name: A, tier: 1, rto: 1h, rpo: 5m, mtpd: 4h}\n");

        var validated = await script.RunAsync("catalog", "validate", "catalog.yaml");
        var simulated = await script.RunWithInputAsync("{}", "simulate", "/dev/stdin", "--source", "generic", "--catalog", "catalog.yaml");

        Assert.True(validated.ExitCode == 0, validated.Error);
        Assert.StartsWith("catalog.yaml: valid", validated.OutLines[0], StringComparison.Ordinal);
        Assert.Equal(["warning: services[0]: a is tier 1 and no Approved recovery plan covers it"], validated.OutLines[1..]);
        Assert.Equal(2, simulated.ExitCode);
        Assert.Contains("id: is required", simulated.ErrorLines);
    }

    /// <summary>A build folder and a working folder for the class's runs, removed afterwards.</summary>
    public sealed class Script : IDisposable
    {
        private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
        private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hub-script-");

        public string BuildDirectory => Path.Combine(_root.FullName, "build");

        public string WorkingDirectory => Directory.CreateDirectory(Path.Combine(_root.FullName, "work")).FullName;

        internal Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync("", args);

        internal async Task<CliRun> RunWithInputAsync(string input, params string[] args)
        {
            var start = new ProcessStartInfo("bash")
            {
                WorkingDirectory = WorkingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(CliRun.RepoRoot, "hub"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["HUB_BUILD_DIR"] = BuildDirectory;
            start.Environment["HUB_BUILD_CONFIGURATION"] = "Debug";

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(s_timeout);
            using var process = Process.Start(start)!;
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var error = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                return new CliRun(process.ExitCode, await output, await error);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }

        public void Dispose() => _root.Delete(recursive: true);
    }
}
