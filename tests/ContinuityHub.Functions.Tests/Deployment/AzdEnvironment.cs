namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// One deployed environment as the hook scripts see it: the values azd passes to hooks (its environment's .env, the
/// Bicep outputs among them), and the answers the Azure CLI gives about it.
/// </summary>
public static class AzdEnvironment
{
    public const string Name = "continuityhub-test";
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string ResourceGroup = "rg-continuityhub-test";
    public const string Location = "swedencentral";
    public const string Vault = "kv-hubtest01";
    public const string App = "func-continuityhub-hubtest01";
    public const string SignedInUser = "00000000-0000-0000-0000-0000000000b1";

    public const string VaultId = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.KeyVault/vaults/{Vault}";
    public const string SiteId = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Web/sites/{App}";

    /// <summary>The documented call that makes App Service resolve the app's Key Vault references now.</summary>
    public const string RefreshUri = $"{SiteId}/config/configreferences/appsettings/refresh?api-version=2022-03-01";

    /// <summary>Every secret the app settings reference: a webhook secret per intake source and the two keys.</summary>
    public static readonly string[] WebhookSecrets =
        ["intake-servicenow-secret", "intake-jira-secret", "intake-pagerduty-secret", "intake-opsgenie-secret", "intake-azuremonitor-secret", "intake-generic-secret", "intake-alertmanager-secret", "intake-heartbeat-secret"];

    public static readonly string[] Keys = ["graph-token-cache-key", "decisions-signing-key"];

    public static IReadOnlyList<string> AllSecrets { get; } = [.. WebhookSecrets, .. Keys];

    /// <summary>What azd sets for a hook of this environment after a provisioning.</summary>
    public static Dictionary<string, string> AzdValues() => new()
    {
        ["AZURE_ENV_NAME"] = Name,
        ["AZURE_SUBSCRIPTION_ID"] = SubscriptionId,
        ["AZURE_LOCATION"] = Location,
        ["AZURE_RESOURCE_GROUP"] = ResourceGroup,
        ["AZURE_KEY_VAULT_NAME"] = Vault,
        ["AZURE_FUNCTION_APP_NAME"] = App,
    };

    /// <summary>The Azure CLI signed in as a user, to this environment's subscription.</summary>
    public static FakeAzureCli SignedIn(this FakeAzureCli az) => az
        .Answer("account show --query id -o tsv", SubscriptionId)
        .Answer("account show --query user.type -o tsv", "user")
        .Answer("ad signed-in-user show --query id -o tsv", SignedInUser);

    /// <summary>The vault and the app exist, every reference resolves once refreshed, and a restart succeeds.</summary>
    public static FakeAzureCli Deployed(this FakeAzureCli az) => az
        .Answer($"keyvault show --name {Vault} --query id -o tsv", VaultId)
        .Answer("role assignment create *")
        .Answer($"functionapp show --resource-group {ResourceGroup} --name {App} --query id -o tsv", SiteId)
        .Answer("rest --method post --uri *")
        .Answer("rest --method get --uri * -o json", """{"value": [{"name": "Decisions__SigningKey", "properties": {"status": "Resolved"}}]}""")
        .Answer("rest --method get --uri *")
        .Answer($"functionapp restart --resource-group {ResourceGroup} --name {App} *");
}
