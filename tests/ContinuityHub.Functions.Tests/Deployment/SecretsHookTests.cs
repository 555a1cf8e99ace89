using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// azure.yaml's postprovision hook, run for real on each platform (posix: <c>bash infra/deploy.sh secrets</c>;
/// windows: <c>infra/deploy-hooks.ps1 secrets</c> in PowerShell 7) against the fake <c>az</c>: it creates exactly the
/// secrets the vault lacks, with strong values that never appear on a command line, and only then makes the app
/// resolve its Key Vault references again and restarts it.
/// </summary>
public partial class SecretsHookTests(EmptyVaultHookRuns emptyVault) : IClassFixture<EmptyVaultHookRuns>
{
    public static TheoryData<string> Platforms => [AzdHooks.Posix, AzdHooks.Windows];

    [Theory]
    [MemberData(nameof(Platforms))]
    public void Creates_every_missing_secret_with_a_strong_value(string platform)
    {
        var (az, run) = emptyVault.On(platform);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(AzdEnvironment.AllSecrets.Order(StringComparer.Ordinal), SecretWrites(az).Select(w => w.Option("--name")).Order(StringComparer.Ordinal));
        Assert.All(SecretWrites(az), write => Assert.Equal(AzdEnvironment.Vault, write.Option("--vault-name")));
        Assert.All(AzdEnvironment.WebhookSecrets, name => Assert.Matches(HexSecret(), az.SecretValue(name)));
        Assert.All(AzdEnvironment.Keys, name => Assert.Equal(32, Convert.FromBase64String(az.SecretValue(name)!).Length));
        Assert.Equal(AzdEnvironment.AllSecrets.Count, AzdEnvironment.AllSecrets.Select(az.SecretValue).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public void No_secret_value_appears_on_a_command_line(string platform)
    {
        var (az, run) = emptyVault.On(platform);

        Assert.True(run.ExitCode == 0, run.ToString());
        var values = az.SecretNames().Select(az.SecretValue).OfType<string>().ToList();
        Assert.Equal(AzdEnvironment.AllSecrets.Count, values.Count);
        Assert.All(az.Calls(), call =>
        {
            Assert.DoesNotContain("--value", call.Arguments);
            Assert.All(values, value => Assert.DoesNotContain(call.Arguments, argument => argument.Contains(value, StringComparison.Ordinal)));
        });
        Assert.All(values, value => Assert.DoesNotContain(value, run.StandardOutput + run.StandardError, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public void Refresh_and_restart_come_after_the_last_secret_is_written(string platform)
    {
        var (az, run) = emptyVault.On(platform);

        Assert.True(run.ExitCode == 0, run.ToString());
        var calls = az.AzCalls().ToList();
        var grant = Assert.Single(calls, c => c.Is("az", "role", "assignment", "create"));
        Assert.Equal("Key Vault Secrets Officer", grant.Option("--role"));
        Assert.Equal(AzdEnvironment.VaultId, grant.Option("--scope"));
        Assert.Equal(AzdEnvironment.SignedInUser, grant.Option("--assignee-object-id"));
        var refresh = calls.FindIndex(c => c.Is("az", "rest", "--method", "post") && c.Option("--uri") == AzdEnvironment.RefreshUri);
        var restart = calls.FindIndex(c => c.Is("az", "functionapp", "restart") && c.Option("--name") == AzdEnvironment.App && c.Option("--resource-group") == AzdEnvironment.ResourceGroup);
        var writes = calls.Select((c, i) => (Call: c, Index: i)).Where(c => c.Call.Is("az", "keyvault", "secret", "set")).Select(c => c.Index).ToList();
        Assert.True(refresh >= 0, $"no refresh of the Key Vault references ({AzdEnvironment.RefreshUri}) among:{Environment.NewLine}{string.Join(Environment.NewLine, calls)}");
        Assert.True(restart > refresh, "the app must be restarted after its references are refreshed");
        Assert.True(writes.Count > 0 && writes.Max() < refresh, "the references must be refreshed after the last secret is written");
        Assert.True(calls.IndexOf(grant) < writes.Min(), "the Secrets Officer role must be granted before the first write");
        Assert.Equal(restart, calls.Count - 1);
    }

    [Fact]
    public async Task Waits_until_key_vault_honours_the_new_role_before_the_first_write()
    {
        // PowerShell's Start-Sleep cannot be stubbed; bash's sleep is a program, so the posix hook shows the wait.
        using var az = new FakeAzureCli().SignedIn().Deployed().RefuseSecretListing(2).Stub("sleep");

        var run = await AzdHooks.RunAsync(az, "postprovision", AzdHooks.Posix, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        var calls = az.Calls().ToList();
        var waits = calls.Select((c, i) => (Call: c, Index: i)).Where(c => c.Call.Program == "sleep").ToList();
        Assert.Equal(2, waits.Count);
        Assert.All(waits, wait => Assert.Equal(["10"], wait.Call.Arguments));
        Assert.True(waits.Max(w => w.Index) < calls.FindIndex(c => c.Is("az", "keyvault", "secret", "set")), "no secret may be written before Key Vault lets the caller list them");
        Assert.Equal(AzdEnvironment.AllSecrets.Count, SecretWrites(az).Count);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Keeps_every_secret_the_vault_already_holds(string platform)
    {
        using var az = new FakeAzureCli().SignedIn().Deployed()
            .Secret("intake-pagerduty-secret", "the-signing-secret-pagerduty-generated")
            .Secret("decisions-signing-key", "c2lnbmluZy1rZXktYWxyZWFkeS1pbi11c2UtMDAwMDA=")
            .Secret("graph-token-cache-key", "dG9rZW4tY2FjaGUta2V5LWFscmVhZHktaW4tdXNlLTA=");

        var run = await AzdHooks.RunAsync(az, "postprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            ["intake-alertmanager-secret", "intake-azuremonitor-secret", "intake-generic-secret", "intake-heartbeat-secret", "intake-jira-secret", "intake-opsgenie-secret", "intake-servicenow-secret"],
            SecretWrites(az).Select(w => w.Option("--name")).Order(StringComparer.Ordinal));
        Assert.Equal("the-signing-secret-pagerduty-generated", az.SecretValue("intake-pagerduty-secret"));
        Assert.Equal("c2lnbmluZy1rZXktYWxyZWFkeS1pbi11c2UtMDAwMDA=", az.SecretValue("decisions-signing-key"));
        Assert.Equal("dG9rZW4tY2FjaGUta2V5LWFscmVhZHktaW4tdXNlLTA=", az.SecretValue("graph-token-cache-key"));
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task A_second_run_writes_nothing_and_still_refreshes(string platform)
    {
        using var az = new FakeAzureCli().SignedIn().Deployed();
        var first = await AzdHooks.RunAsync(az, "postprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);
        var values = AzdEnvironment.AllSecrets.ToDictionary(name => name, az.SecretValue);
        var callsBefore = az.AzCalls().Count;

        var second = await AzdHooks.RunAsync(az, "postprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, $"{first}{Environment.NewLine}{second}");
        var secondCalls = az.AzCalls().Skip(callsBefore).ToList();
        Assert.DoesNotContain(secondCalls, c => c.Is("az", "keyvault", "secret", "set"));
        Assert.Contains(secondCalls, c => c.Is("az", "rest", "--method", "post") && c.Option("--uri") == AzdEnvironment.RefreshUri);
        Assert.All(values, secret => Assert.Equal(secret.Value, az.SecretValue(secret.Key)));
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Finds_the_vault_and_the_app_in_the_resource_group_when_only_it_is_given(string platform)
    {
        using var az = new FakeAzureCli().SignedIn().Deployed()
            .Answer($"resource list --resource-group {AzdEnvironment.ResourceGroup} --resource-type Microsoft.KeyVault/vaults *", AzdEnvironment.Vault)
            .Answer(
                $"resource list --resource-group {AzdEnvironment.ResourceGroup} --resource-type Microsoft.Web/sites -o json",
                JsonSerializer.Serialize(new object[]
                {
                    new { name = "func-something-else", tags = new Dictionary<string, string>() },
                    new { name = AzdEnvironment.App, tags = new Dictionary<string, string> { ["azd-service-name"] = "api" } },
                }))
            .Answer($"resource list --resource-group {AzdEnvironment.ResourceGroup} --resource-type Microsoft.Web/sites *", AzdEnvironment.App);

        var run = await AzdHooks.RunAsync(
            az, "postprovision", platform, new Dictionary<string, string> { ["RESOURCE_GROUP"] = AzdEnvironment.ResourceGroup }, TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(AzdEnvironment.AllSecrets.Count, SecretWrites(az).Count);
        Assert.Contains(az.AzCalls(), c => c.Is("az", "functionapp", "restart") && c.Option("--name") == AzdEnvironment.App);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Refuses_to_write_when_the_cli_is_signed_in_to_another_subscription(string platform)
    {
        using var az = new FakeAzureCli()
            .Answer("account show --query id -o tsv", "00000000-0000-0000-0000-0000000000ff")
            .SignedIn()
            .Deployed();

        var run = await AzdHooks.RunAsync(az, "postprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("az account set --subscription " + AzdEnvironment.SubscriptionId, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.Empty(SecretWrites(az));
    }

    private static List<ProgramCall> SecretWrites(FakeAzureCli az) => az.AzCalls().Where(c => c.Is("az", "keyvault", "secret", "set")).ToList();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexSecret();
}

/// <summary>The postprovision hook run once per platform against an empty vault, for the tests that only read what it did.</summary>
public sealed class EmptyVaultHookRuns : IAsyncLifetime
{
    private readonly Dictionary<string, (FakeAzureCli Az, ScriptRun Run)> _runs = [];

    public (FakeAzureCli Az, ScriptRun Run) On(string platform) => _runs[platform];

    public async ValueTask InitializeAsync()
    {
        var platforms = new[] { AzdHooks.Posix, AzdHooks.Windows };
        var runs = await Task.WhenAll(platforms.Select(async platform =>
        {
            var az = new FakeAzureCli().SignedIn().Deployed();
            return (Platform: platform, Az: az, Run: await AzdHooks.RunAsync(az, "postprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken));
        }));
        foreach (var (platform, az, run) in runs)
        {
            _runs[platform] = (az, run);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var (az, _) in _runs.Values)
        {
            az.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
