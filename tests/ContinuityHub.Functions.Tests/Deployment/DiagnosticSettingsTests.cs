using System.Text.RegularExpressions;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// The compiled template sends the Function App's own log lines (FunctionAppLogs) and the vault's audit log
/// (AuditEvent: who read or wrote which secret) to the Log Analytics workspace of the monitoring module.
/// </summary>
[Collection(nameof(BicepTemplates))]
public partial class DiagnosticSettingsTests(BicepFixture bicep)
{
    private const string DiagnosticSettings = "Microsoft.Insights/diagnosticSettings";

    [Fact]
    public void Function_app_sends_its_function_app_logs_to_the_workspace()
    {
        var setting = SettingOn("Microsoft.Web/sites", "functionapp");

        Assert.Equal(["FunctionAppLogs"], EnabledCategories(setting));
        AssertSendsToTheWorkspace(setting, "functionapp");
    }

    [Fact]
    public void Key_vault_sends_its_audit_log_to_the_workspace_in_its_own_table()
    {
        var setting = SettingOn("Microsoft.KeyVault/vaults", "keyvault");

        Assert.Equal(["AuditEvent"], EnabledCategories(setting));
        Assert.Equal("Dedicated", setting.Required("properties", "logAnalyticsDestinationType").GetString());
        AssertSendsToTheWorkspace(setting, "keyvault");
    }

    [Fact]
    public void Monitoring_module_outputs_the_id_of_its_workspace()
    {
        var template = bicep.CompiledTemplate();
        var monitoring = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d.Name == "monitoring");
        var workspace = template.Only("Microsoft.OperationalInsights/workspaces");

        Assert.Equal("monitoring", workspace.Module);
        Assert.Equal(
            "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
            monitoring.Required("properties", "template", "outputs", "workspaceId", "value").GetString());
    }

    /// <summary>The one diagnostic setting scoped to the module's resource of <paramref name="resourceType"/>.</summary>
    private ArmResource SettingOn(string resourceType, string module)
    {
        var settings = bicep.CompiledTemplate().OfType(DiagnosticSettings).ToList();
        return Assert.Single(settings, s => s.Module == module && s.Scope == $"[resourceId('{resourceType}', parameters('name'))]");
    }

    /// <summary>The setting's workspace is the module's parameter, and main.bicep fills it with the monitoring module's output.</summary>
    private void AssertSendsToTheWorkspace(ArmResource setting, string module)
    {
        var deployment = Assert.Single(bicep.CompiledTemplate().OfType("Microsoft.Resources/deployments"), d => d.Name == module);

        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", setting.Required("properties", "workspaceId").GetString());
        Assert.Matches(MonitoringWorkspaceOutput(), deployment.Required("properties", "parameters", "logAnalyticsWorkspaceId", "value").GetString());
        Assert.Null(setting.At("properties", "storageAccountId"));
        Assert.Null(setting.At("properties", "eventHubAuthorizationRuleId"));
    }

    private static List<string?> EnabledCategories(ArmResource setting) =>
        setting.Required("properties", "logs").EnumerateArray()
            .Where(log => log.GetProperty("enabled").GetBoolean())
            .Select(log => log.TryGetProperty("category", out var category) ? category.GetString() : "group " + log.GetProperty("categoryGroup").GetString())
            .ToList();

    [GeneratedRegex(@"^\[reference\(resourceId\('Microsoft.Resources/deployments', 'monitoring'\).*\)\.outputs\.workspaceId\.value\]$")]
    private static partial Regex MonitoringWorkspaceOutput();
}
