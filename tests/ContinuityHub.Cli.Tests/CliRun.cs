using ContinuityHub.Cli;

namespace ContinuityHub.Cli.Tests;

/// <summary>Runs <c>hub</c> in-process as a user would from a shell, capturing what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    /// <summary>Runs <c>hub</c> on <paramref name="time"/>'s clock (what "now" and "today" are to the command).</summary>
    public static async Task<CliRun> RunAsync(TimeProvider time, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HubCli.RunAsync(args, output, error, time, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string RepoRoot { get; } = FindRoot();

    public static string Seed => Path.Combine(RepoRoot, "infra", "seed", "catalog.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Serverless.sln not found above " + AppContext.BaseDirectory);
    }
}
