namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// <c>infra/deploy.sh dev</c>, the deployment without azd, run for real under bash with the fake <c>az</c> and stubs
/// for <c>dotnet</c>, <c>zip</c> and <c>sleep</c>: it recovers a deleted vault first, provisions, creates the missing
/// secrets, makes the app resolve its references and restarts it, and only then publishes, retrying a package the
/// platform refuses (right after provisioning, storage answers 403 until the new role assignments propagate).
/// </summary>
public class DeployScriptTests
{
    private const string Group = AzdEnvironment.ResourceGroup;

    [Fact]
    public async Task Deploys_in_order_recover_provision_secrets_refresh_publish_and_retries_a_refused_package()
    {
        using var az = new FakeAzureCli()
            .Answer("account show -o none")
            .SignedIn()
            .Answer("keyvault list-deleted *")
            .Answer($"group exists --name {Group}", "true")
            .Answer($"deployment group create --resource-group {Group} --name continuityhub-dev *")
            .Answer($"resource list --resource-group {Group} --resource-type Microsoft.Web/sites *", AzdEnvironment.App)
            .Answer($"resource list --resource-group {Group} --resource-type Microsoft.KeyVault/vaults *", AzdEnvironment.Vault)
            .Deployed()
            .Answer("functionapp deployment source config-zip *", "ERROR: Operation returned an invalid status 'Forbidden'", exitCode: 1, times: 1)
            .Answer($"functionapp deployment source config-zip --resource-group {Group} --name {AzdEnvironment.App} *")
            .Answer($"functionapp show --resource-group {Group} --name {AzdEnvironment.App} --query defaultHostName -o tsv", $"{AzdEnvironment.App}.azurewebsites.net")
            .Stub("dotnet", """while [[ $# -gt 0 ]]; do [[ "$1" == --output ]] && mkdir -p "$2"; shift; done""")
            .Stub("zip", """touch "$2" """)
            .Stub("sleep");

        var run = await az.RunAsync("bash", ["infra/deploy.sh", "dev"], new Dictionary<string, string> { ["RESOURCE_GROUP"] = Group }, TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        var calls = az.Calls().ToList();
        int First(Func<ProgramCall, bool> predicate, string what)
        {
            var index = calls.FindIndex(c => predicate(c));
            Assert.True(index >= 0, $"deploy.sh never ran {what}:{Environment.NewLine}{string.Join(Environment.NewLine, calls)}");
            return index;
        }

        var recover = First(c => c.Is("az", "keyvault", "list-deleted"), "keyvault list-deleted");
        var provision = First(c => c.Is("az", "deployment", "group", "create"), "the deployment");
        var firstSecret = First(c => c.Is("az", "keyvault", "secret", "set"), "a secret write");
        var lastSecret = calls.FindLastIndex(c => c.Is("az", "keyvault", "secret", "set"));
        var refresh = First(c => c.Is("az", "rest", "--method", "post") && c.Option("--uri") == AzdEnvironment.RefreshUri, "the references' refresh");
        var restart = First(c => c.Is("az", "functionapp", "restart"), "the restart");
        var publish = First(c => c.Is("dotnet", "publish"), "dotnet publish");
        var packages = calls.Select((c, i) => (Call: c, Index: i)).Where(c => c.Call.Is("az", "functionapp", "deployment", "source", "config-zip")).ToList();

        Assert.True(recover < provision && provision < firstSecret && lastSecret < refresh && refresh < restart && restart < publish, string.Join(Environment.NewLine, calls));
        Assert.Equal(2, packages.Count);
        Assert.True(publish < packages[0].Index);
        var wait = Assert.Single(calls, c => c.Program == "sleep");
        Assert.Equal(["30"], wait.Arguments);
        Assert.InRange(calls.IndexOf(wait), packages[0].Index, packages[1].Index);
        Assert.Contains("403", run.StandardError, StringComparison.Ordinal);
    }
}
