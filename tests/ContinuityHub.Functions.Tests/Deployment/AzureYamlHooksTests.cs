using System.Text.RegularExpressions;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// azure.yaml registers the provisioning hooks for Linux and macOS and for Windows alike (azd skips a hook that has
/// no command for the platform it runs on), each running a script of the repository and stopping azd when it fails.
/// </summary>
public partial class AzureYamlHooksTests
{
    public static TheoryData<string, string> Hooks => new()
    {
        { "preprovision", AzdHooks.Posix },
        { "preprovision", AzdHooks.Windows },
        { "postprovision", AzdHooks.Posix },
        { "postprovision", AzdHooks.Windows },
    };

    [Theory]
    [MemberData(nameof(Hooks))]
    public void Hook_runs_a_script_of_the_repository_and_stops_azd_when_it_fails(string hook, string platform)
    {
        var command = AzureYaml.Load().Hook(hook, platform);

        Assert.Equal(platform == AzdHooks.Posix ? "sh" : "pwsh", command.Shell);
        Assert.False(command.ContinueOnError, $"a failing {hook} hook must stop azd");
        var script = Assert.Single(ScriptPath().Matches(command.Run!)).Groups["path"].Value;
        Assert.True(File.Exists(Path.Combine(AzuriteFixture.RepositoryRoot, script)), $"the {platform} {hook} hook runs {script}, which is not in the repository");
    }

    [Fact]
    public void Both_platforms_run_the_same_step_of_their_script()
    {
        var azureYaml = AzureYaml.Load();

        Assert.Equal("bash infra/deploy.sh recover-vault", azureYaml.Hook("preprovision", AzdHooks.Posix).Run);
        Assert.Equal("./infra/deploy-hooks.ps1 recover-vault", azureYaml.Hook("preprovision", AzdHooks.Windows).Run);
        Assert.Equal("bash infra/deploy.sh secrets", azureYaml.Hook("postprovision", AzdHooks.Posix).Run);
        Assert.Equal("./infra/deploy-hooks.ps1 secrets", azureYaml.Hook("postprovision", AzdHooks.Windows).Run);
    }

    [GeneratedRegex(@"(?:^|\s)(?:\./)?(?<path>[\w./-]+\.(?:sh|ps1))(?:\s|$)")]
    private static partial Regex ScriptPath();
}
