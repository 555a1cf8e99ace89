using System.Text.Json;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// azure.yaml's preprovision hook, run for real on each platform against the fake <c>az</c>: after <c>azd down</c>
/// the vault waits soft-deleted under its name, and provisioning the same environment again would fail with "vault
/// exists in deleted state". The hook recovers the one deleted vault that belongs to this environment (tag
/// azd-env-name, and the environment's resource group) and no other.
/// </summary>
public class VaultRecoveryHookTests
{
    public static TheoryData<string> Platforms => [AzdHooks.Posix, AzdHooks.Windows];

    /// <summary>A soft-deleted vault as <c>az keyvault list-deleted</c> describes it.</summary>
    private sealed record DeletedVault(string Name, string ResourceGroup, string Location, string? EnvironmentTag);

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Recovers_only_the_deleted_vault_of_this_environment(string platform)
    {
        using var az = new FakeAzureCli().SignedIn()
            .Answer($"group exists --name {AzdEnvironment.ResourceGroup}", "true");
        DeletedVaults(
            az,
            new DeletedVault("kv-otherenv01", "rg-continuityhub-other", "westeurope", "continuityhub-other"),
            new DeletedVault("kv-untagged01", AzdEnvironment.ResourceGroup, AzdEnvironment.Location, null),
            new DeletedVault(AzdEnvironment.Vault, AzdEnvironment.ResourceGroup, AzdEnvironment.Location, AzdEnvironment.Name),
            new DeletedVault("kv-earlier01", "rg-continuityhub-earlier", AzdEnvironment.Location, AzdEnvironment.Name));
        az.Answer("keyvault recover *");

        var run = await AzdHooks.RunAsync(az, "preprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        var recover = Assert.Single(az.AzCalls(), c => c.Is("az", "keyvault", "recover"));
        Assert.Equal(AzdEnvironment.Vault, recover.Option("--name"));
        Assert.Equal(AzdEnvironment.ResourceGroup, recover.Option("--resource-group"));
        Assert.Equal(AzdEnvironment.Location, recover.Option("--location"));
        Assert.DoesNotContain(az.AzCalls(), c => c.Is("az", "group", "create"));
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Recreates_the_deleted_resource_group_before_recovering_the_vault_into_it(string platform)
    {
        using var az = new FakeAzureCli().SignedIn()
            .Answer($"group exists --name {AzdEnvironment.ResourceGroup}", "false")
            .Answer("group create *")
            .Answer("keyvault recover *");
        DeletedVaults(az, new DeletedVault(AzdEnvironment.Vault, AzdEnvironment.ResourceGroup, AzdEnvironment.Location, AzdEnvironment.Name));

        var run = await AzdHooks.RunAsync(az, "preprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        var calls = az.AzCalls().ToList();
        var create = Assert.Single(calls, c => c.Is("az", "group", "create"));
        Assert.Equal(AzdEnvironment.ResourceGroup, create.Option("--name"));
        Assert.Equal(AzdEnvironment.Location, create.Option("--location"));
        Assert.Equal($"azd-env-name={AzdEnvironment.Name}", create.Option("--tags"));
        Assert.True(calls.IndexOf(create) < calls.FindIndex(c => c.Is("az", "keyvault", "recover")), "the group must exist before the vault is recovered into it");
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task Recovers_nothing_when_no_deleted_vault_belongs_to_this_environment(string platform)
    {
        using var az = new FakeAzureCli().SignedIn();
        DeletedVaults(az, new DeletedVault("kv-otherenv01", "rg-continuityhub-other", "westeurope", "continuityhub-other"));

        var run = await AzdHooks.RunAsync(az, "preprovision", platform, AzdEnvironment.AzdValues(), TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(az.AzCalls(), c => c.Is("az", "keyvault", "recover") || c.Is("az", "group", "create"));
        Assert.Contains(az.AzCalls(), c => c.Is("az", "keyvault", "list-deleted"));
    }

    /// <summary>
    /// Answers <c>az keyvault list-deleted</c> both ways the scripts ask: as JSON (PowerShell filters it) and as the
    /// TSV of the bash script's projection (name, location, vault id, azd-env-name tag; a missing tag is an empty field).
    /// </summary>
    private static void DeletedVaults(FakeAzureCli az, params DeletedVault[] vaults)
    {
        static string VaultId(DeletedVault v) =>
            $"/subscriptions/{AzdEnvironment.SubscriptionId}/resourceGroups/{v.ResourceGroup}/providers/Microsoft.KeyVault/vaults/{v.Name}";

        var json = JsonSerializer.Serialize(vaults.Select(v => new
        {
            id = $"/subscriptions/{AzdEnvironment.SubscriptionId}/providers/Microsoft.KeyVault/locations/{v.Location}/deletedVaults/{v.Name}",
            name = v.Name,
            type = "Microsoft.KeyVault/deletedVaults",
            properties = new
            {
                vaultId = VaultId(v),
                location = v.Location,
                tags = v.EnvironmentTag is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["azd-env-name"] = v.EnvironmentTag },
                purgeProtectionEnabled = false,
            },
        }));
        var tsv = string.Join('\n', vaults.Select(v => string.Join('\t', v.Name, v.Location, VaultId(v), v.EnvironmentTag ?? string.Empty)));
        az.Answer("keyvault list-deleted --resource-type vault -o json", json)
            .Answer("keyvault list-deleted --resource-type vault --query * -o tsv", tsv);
    }
}
