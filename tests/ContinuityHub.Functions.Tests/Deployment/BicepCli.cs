using System.Diagnostics;
using System.Reflection;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>What one run of the Bicep CLI did: its exit code and everything it printed.</summary>
public sealed record BicepRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything printed, both streams: diagnostics (warnings included) are printed, so clean means empty.</summary>
    public string Output => (StandardOutput + StandardError).Trim();

    public override string ToString() => $"bicep {Command} exited {ExitCode}{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs the Bicep CLI that the Azure.Bicep.CommandLine.linux-x64 package restores (the test project passes its path
/// in as assembly metadata), so CI validates the templates with a pinned Bicep and downloads nothing at run time.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(2);

    /// <summary>The <c>bicep</c> executable inside the restored package.</summary>
    public static string ExecutablePath { get; } = Locate();

    public static async Task<BicepRun> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExecutablePath, arguments) { WorkingDirectory = workingDirectory };

        // Bicep is a self-contained .NET app: keep it independent of the machine's ICU, and quiet.
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var run = await ProcessRun.RunAsync(start, _timeout, cancellationToken);
        return new BicepRun(string.Join(' ', arguments), run.ExitCode, run.StandardOutput, run.StandardError);
    }

    private static string Locate()
    {
        var configured = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(configured))
        {
            throw new InvalidOperationException(
                "The test assembly carries no BicepPath: the Azure.Bicep.CommandLine.linux-x64 package reference is missing from the test project.");
        }

        var path = Path.GetFullPath(configured);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}; run dotnet restore.", path);
        }

        // NuGet may extract the package without the execute bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }
}
