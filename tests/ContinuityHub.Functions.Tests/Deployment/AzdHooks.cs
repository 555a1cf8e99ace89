using ContinuityHub.Testing;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>One hook of azure.yaml for one platform, as azd reads it.</summary>
public sealed class AzdHook
{
    public string? Shell { get; set; }

    public string? Run { get; set; }

    public bool ContinueOnError { get; set; }

    public bool Interactive { get; set; }
}

/// <summary>A hook of azure.yaml: what runs on Linux and macOS (<c>posix</c>) and what runs on Windows.</summary>
public sealed class AzdHookPlatforms
{
    public AzdHook? Posix { get; set; }

    public AzdHook? Windows { get; set; }
}

/// <summary>The part of azure.yaml the hook tests read.</summary>
public sealed class AzureYaml
{
    public Dictionary<string, AzdHookPlatforms> Hooks { get; set; } = [];

    public static AzureYaml Load() =>
        new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<AzureYaml>(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "azure.yaml")));

    /// <summary>The hook's command for a platform, failing the test when azure.yaml has none.</summary>
    public AzdHook Hook(string name, string platform)
    {
        Assert.True(Hooks.TryGetValue(name, out var platforms), $"azure.yaml has no {name} hook");
        var hook = platform switch
        {
            AzdHooks.Posix => platforms.Posix,
            AzdHooks.Windows => platforms.Windows,
            _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "posix or windows"),
        };
        Assert.True(hook?.Run is not null, $"azure.yaml has no {platform} command for its {name} hook");
        return hook;
    }
}

/// <summary>
/// Runs an azure.yaml hook the way azd does, from the repository root: a posix hook's inline script with <c>sh</c>,
/// a windows hook's with PowerShell 7 (the PowerShell global tool of .config/dotnet-tools.json, which on Linux runs
/// the same script against the same fake <c>az</c>).
/// </summary>
public static class AzdHooks
{
    public const string Posix = "posix";

    public const string Windows = "windows";

    private static readonly Lazy<Task> _toolRestore = new(RestoreToolsAsync);

    public static async Task<ScriptRun> RunAsync(
        FakeAzureCli az, string hook, string platform, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var command = AzureYaml.Load().Hook(hook, platform).Run!;
        if (platform == Posix)
        {
            return await az.RunAsync("sh", ["-c", command], environment, cancellationToken);
        }

        await _toolRestore.Value;
        return await az.RunAsync("dotnet", ["tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", command], environment, cancellationToken);
    }

    /// <summary><c>dotnet tool restore</c> once per test run (CI runs it before the tests; locally it makes <c>dotnet test</c> enough).</summary>
    private static async Task RestoreToolsAsync()
    {
        using var scratch = new FakeAzureCli();
        var restore = await scratch.RunAsync("dotnet", ["tool", "restore"], new Dictionary<string, string>(), CancellationToken.None);
        Assert.True(restore.ExitCode == 0, $"dotnet tool restore (PowerShell for the windows hooks) failed: {restore}");
    }
}
