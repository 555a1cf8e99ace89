using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// The Function App the template deploys: Flex Consumption running .NET 10 isolated as the hub's identity, with
/// every app setting the code reads (HubSettings, the options classes, the functions' %Setting% expressions) set by
/// name, and no setting that nothing reads.
/// </summary>
[Collection(nameof(BicepTemplates))]
public partial class FunctionAppSettingsTests(BicepFixture bicep)
{
    private const string SampleClientId = DeployedAppSettings.SampleClientId;

    private static readonly string SampleKey = DeployedAppSettings.SampleKey;

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_on_flex_consumption_as_the_hub_identity()
    {
        var template = bicep.CompiledTemplate();
        var plan = template.Only("Microsoft.Web/serverfarms");
        var site = template.Only("Microsoft.Web/sites");

        Assert.Equal("FC1", plan.Required("sku", "name").GetString());
        Assert.Equal("FlexConsumption", plan.Required("sku", "tier").GetString());
        Assert.Equal("functionapp,linux", site.Required("kind").GetString());
        Assert.Equal("dotnet-isolated", site.Required("properties", "functionAppConfig", "runtime", "name").GetString());
        Assert.Equal("10.0", site.Required("properties", "functionAppConfig", "runtime", "version").GetString());
        Assert.Equal("[parameters('instanceMemoryMB')]", site.Required("properties", "functionAppConfig", "scaleAndConcurrency", "instanceMemoryMB").GetString());
        Assert.Equal("[parameters('maximumInstanceCount')]", site.Required("properties", "functionAppConfig", "scaleAndConcurrency", "maximumInstanceCount").GetString());
        Assert.Equal("UserAssigned", site.Required("identity", "type").GetString());
        Assert.Equal("UserAssignedIdentity", site.Required("properties", "functionAppConfig", "deployment", "storage", "authentication", "type").GetString());
        Assert.Equal("[parameters('identityId')]", site.Required("properties", "functionAppConfig", "deployment", "storage", "authentication", "userAssignedIdentityResourceId").GetString());
        Assert.Equal("[parameters('identityId')]", site.Required("properties", "keyVaultReferenceIdentity").GetString());
        Assert.True(site.Required("properties", "httpsOnly").GetBoolean());
    }

    [Fact]
    public void Every_setting_the_hub_needs_in_Azure_is_set()
    {
        var settings = AppSettings();

        Assert.All(HubSettings.RequiredInAzure, name => Assert.True(settings.ContainsKey(name), $"the Function App does not set {name}"));
    }

    [Fact]
    public void Every_setting_set_is_one_the_hub_needs()
    {
        var settings = AppSettings();

        Assert.All(settings.Keys, name => Assert.Contains(name, HubSettings.RequiredInAzure));
    }

    [Fact]
    public void Every_setting_a_function_binds_is_set()
    {
        var settings = AppSettings();
        var bound = BoundSettings().ToList();

        Assert.Contains(HubSettings.ReassessSchedule, bound);
        Assert.All(bound, name => Assert.True(settings.ContainsKey(name), $"a function binds %{name}% but the Function App does not set it"));
    }

    [Fact]
    public void Every_intake_source_secret_is_a_key_vault_reference_to_its_own_secret()
    {
        var settings = AppSettings();

        Assert.All(Enum.GetValues<AliasSource>(), source =>
        {
            var name = WebhookAuthenticator.SecretSetting(source).Replace(":", "__", StringComparison.Ordinal);
            Assert.Equal(HubSettings.IntakeSecret(CatalogNames.Name(source)), name);
            Assert.True(settings.TryGetValue(name, out var value), $"{name} is not set");
            Assert.Equal(
                $"[format('@Microsoft.KeyVault(VaultName={{0}};SecretName=intake-{CatalogNames.Name(source)}-secret)', parameters('keyVaultName'))]",
                value);
        });
    }

    [Fact]
    public void Token_cache_key_and_decision_signing_key_are_key_vault_references_to_their_own_secrets()
    {
        var settings = AppSettings();

        Assert.Equal("[format('@Microsoft.KeyVault(VaultName={0};SecretName=graph-token-cache-key)', parameters('keyVaultName'))]", settings[HubSettings.GraphTokenCacheKey]);
        Assert.Equal("[format('@Microsoft.KeyVault(VaultName={0};SecretName=decisions-signing-key)', parameters('keyVaultName'))]", settings[HubSettings.DecisionsSigningKey]);
    }

    [Fact]
    public void Each_write_back_token_is_a_key_vault_reference_to_its_own_secret_and_the_instances_are_empty_by_default()
    {
        var settings = AppSettings();
        var template = bicep.CompiledTemplate();

        Assert.Equal("[string(parameters('writeBackAzureMonitor'))]", settings["Reactions__Sources__azuremonitor__Enabled"]);
        Assert.False(template.DefaultOf("writeBackAzureMonitor").GetBoolean());
        Assert.All(WriteBackSource.Supported.Where(s => s != AliasSource.AzureMonitor).Select(CatalogNames.Name), source =>
        {
            Assert.Equal(
                $"[format('@Microsoft.KeyVault(VaultName={{0}};SecretName=writeback-{source}-token)', parameters('keyVaultName'))]",
                settings[$"Reactions__Sources__{source}__Token"]);
            Assert.StartsWith("[parameters('writeBack", settings[$"Reactions__Sources__{source}__BaseUrl"], StringComparison.Ordinal);
            Assert.StartsWith("[parameters('writeBack", settings[$"Reactions__Sources__{source}__User"], StringComparison.Ordinal);
        });
        Assert.All(
            template.Root.GetProperty("parameters").EnumerateObject().Where(p => p.Name.StartsWith("writeBack", StringComparison.Ordinal) && p.Name != "writeBackAzureMonitor"),
            p => Assert.Equal(string.Empty, p.Value.GetProperty("defaultValue").GetString()));
    }

    [Fact]
    public void No_secret_is_a_parameter_or_an_output()
    {
        var template = bicep.CompiledTemplate();
        var parameters = template.Root.GetProperty("parameters").EnumerateObject().ToList();
        var outputs = template.Root.GetProperty("outputs").GetRawText();

        Assert.DoesNotContain(parameters, p => SecretName().IsMatch(p.Name));
        Assert.DoesNotContain(parameters, p => p.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase));
        Assert.All(["graph-token-cache-key", "decisions-signing-key", "intake-"], secret => Assert.DoesNotContain(secret, outputs, StringComparison.Ordinal));
        Assert.All(bicep.Parameters.Values, built => Assert.DoesNotContain(
            built.RootElement.GetProperty("parameters").EnumerateObject(), p => SecretName().IsMatch(p.Name) || p.Value.GetRawText().Contains("SecretName=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Teams_notifications_reach_graph_the_decision_endpoint_and_the_events_topic()
    {
        var template = bicep.CompiledTemplate();
        var settings = AppSettings();

        // The notifications account signs in to the hub's app registration (a public client), not to the managed identity.
        Assert.Equal("[parameters('graphClientId')]", settings[HubSettings.GraphClientId]);
        Assert.Equal("[parameters('graphTenantId')]", settings[HubSettings.GraphTenantId]);
        Assert.Equal("[parameters('graphNotificationsAccount')]", settings[HubSettings.GraphNotificationsAccount]);
        Assert.Equal("[parameters('graphMailSender')]", settings[HubSettings.GraphMailSender]);
        Assert.Equal("[parameters('graphMeetingOrganizer')]", settings[HubSettings.GraphMeetingOrganizer]);
        Assert.Matches(@"^\[format\('https://\{0\}', reference\(resourceId\('Microsoft.Web/sites', parameters\('name'\)\), '[0-9-]+'\)\.defaultHostName\)\]$", settings[HubSettings.DecisionsBaseUrl]);
        Assert.Equal("[parameters('eventsTopicName')]", settings[HubSettings.ServiceBusEventsTopic]);

        var functionApp = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d.Name == "functionapp");
        var serviceBus = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d.Name == "servicebus");
        Assert.Matches(@"^\[reference\(resourceId\('Microsoft.Resources/deployments', 'servicebus'\).*\)\.outputs\.eventsTopicName\.value\]$",
            functionApp.Required("properties", "parameters", "eventsTopicName", "value").GetString());
        Assert.Equal("[variables('eventsTopicName')]", serviceBus.Required("properties", "parameters", "eventsTopicName", "value").GetString());
        Assert.Equal(ServiceBusOptions.DefaultEventsTopic, template.Root.GetProperty("variables").GetProperty("eventsTopicName").GetString());
    }

    [Fact]
    public void Host_and_hub_connect_to_storage_and_service_bus_by_identity()
    {
        var settings = AppSettings();

        Assert.Equal("managedidentity", settings[HubSettings.HostStorageCredential]);
        Assert.All(
            [HubSettings.HostStorageClientId, HubSettings.StorageClientId, HubSettings.ServiceBusClientId],
            name => Assert.Equal("[parameters('identityClientId')]", settings[name]));
        Assert.Equal("[format('Authorization=AAD;ClientId={0}', parameters('identityClientId'))]", settings[HubSettings.ApplicationInsightsAuthenticationString]);
        Assert.Equal("[parameters('storageAccountName')]", settings[HubSettings.HostStorageAccountName]);
        Assert.Equal("[parameters('storageAccountName')]", settings[HubSettings.StorageAccountName]);
    }

    [Fact]
    public void Settings_as_deployed_bind_to_the_options_the_hub_validates()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(AppSettings().Keys.Select(name => new KeyValuePair<string, string?>(HubSettings.ConfigurationKey(name), SampleValue(name))))
            .Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var serviceBus = services.GetRequiredService<IOptions<ServiceBusOptions>>().Value;

        Assert.True(storage.UsesIdentity);
        Assert.Equal("sthubsample01", storage.AccountName);
        Assert.Equal(SampleClientId, storage.ClientId);
        Assert.True(serviceBus.UsesIdentity);
        Assert.Equal("sb-hub-sample.servicebus.windows.net", serviceBus.FullyQualifiedNamespace);
        Assert.Equal(SampleClientId, serviceBus.ClientId);
        Assert.Equal("incidents-sample", serviceBus.IncidentQueue);
        Assert.Equal(7, serviceBus.MaxDeliveryCount);
        Assert.All(Enum.GetValues<AliasSource>(), source => Assert.False(string.IsNullOrEmpty(configuration[WebhookAuthenticator.SecretSetting(source)])));
        Assert.Equal("continuity-events-sample", serviceBus.EventsTopic);

        var graph = GraphOptions.FromConfiguration(configuration);
        Assert.Equal("continuity@contoso.example", graph.MailSender);
        Assert.Equal("bridge@contoso.example", graph.MeetingOrganizer);
        Assert.Equal(TokenCacheKey.KeyBytes, TokenCacheKey.Parse(graph.TokenCacheKey).Length);
        var decisions = configuration.GetSection(NotificationServiceCollectionExtensions.DecisionsSection);
        Assert.Equal(new Uri("https://func-hub-sample.azurewebsites.net/api/decisions/t"), NotificationServiceCollectionExtensions.ReadSettings(decisions).DecisionLink("t"));
        Assert.NotNull(NotificationServiceCollectionExtensions.CreateTokens(decisions, NullLoggerFactory.Instance));
    }

    [Fact]
    public void Schedules_default_to_the_documented_timetable()
    {
        var template = bicep.CompiledTemplate();

        Assert.Equal("0 */1 * * * *", template.DefaultOf("reassessSchedule").GetString());
        Assert.Equal("*/10 * * * * *", template.DefaultOf("incidentQueuePollSchedule").GetString());
        Assert.Equal("0 */5 * * * *", template.DefaultOf("intakeRedriveSchedule").GetString());
        Assert.Equal("0 0 7 * * 1", template.DefaultOf("reportSchedule").GetString());
        Assert.Equal("0 */1 * * * *", template.DefaultOf("escalationSchedule").GetString());
        Assert.Equal("0 */1 * * * *", template.DefaultOf("notificationSweepSchedule").GetString());
        Assert.All(
            ["graphTenantId", "graphClientId", "graphNotificationsAccount", "graphMailSender", "graphMeetingOrganizer"],
            parameter => Assert.Equal(string.Empty, template.DefaultOf(parameter).GetString()));
    }

    [Fact]
    public void No_setting_that_flex_consumption_deprecates_or_that_carries_a_key_is_set()
    {
        var settings = AppSettings();

        Assert.All(
            [
                "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
                "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage", "DEPLOYMENT_STORAGE_CONNECTION_STRING",
                "APPINSIGHTS_INSTRUMENTATIONKEY", "Storage", "ServiceBus",
            ],
            name => Assert.False(settings.ContainsKey(name), $"{name} must not be set"));
    }

    /// <summary>The Function App's app settings by name, with the ARM expression (or literal) each is set to.</summary>
    private Dictionary<string, string> AppSettings() => DeployedAppSettings.Expressions(bicep.CompiledTemplate());

    /// <summary>Every app setting named by a <c>%Setting%</c> binding expression on a function of the Functions app.</summary>
    private static IEnumerable<string> BoundSettings() =>
        typeof(TimerFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters())
            .SelectMany(p => p.GetCustomAttributes(inherit: true))
            .SelectMany(a => a.GetType().GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => p.GetValue(a) as string))
            .OfType<string>()
            .SelectMany(value => BindingExpression().Matches(value).Select(m => m.Groups["setting"].Value))
            .Distinct(StringComparer.Ordinal);

    /// <summary>A value of the kind Azure would hold for a setting (the template holds ARM expressions, not values).</summary>
    private static string SampleValue(string name) => name switch
    {
        _ when name.EndsWith("__accountName", StringComparison.Ordinal) => "sthubsample01",
        _ when name.EndsWith("__clientId", StringComparison.Ordinal) => SampleClientId,
        _ when name.EndsWith("__credential", StringComparison.Ordinal) => "managedidentity",
        HubSettings.ServiceBusFullyQualifiedNamespace => "sb-hub-sample.servicebus.windows.net",
        HubSettings.ServiceBusIncidentQueue => "incidents-sample",
        HubSettings.ServiceBusMaxDeliveryCount => "7",
        HubSettings.ServiceBusEventsTopic => "continuity-events-sample",
        HubSettings.GraphMailSender => "continuity@contoso.example",
        HubSettings.GraphMeetingOrganizer => "bridge@contoso.example",
        HubSettings.GraphTokenCacheKey or HubSettings.DecisionsSigningKey => SampleKey,
        HubSettings.DecisionsBaseUrl => "https://func-hub-sample.azurewebsites.net",
        _ => "sample-" + name,
    };

    [GeneratedRegex("secret|signingkey|cachekey|password", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("%(?<setting>[A-Za-z0-9_:.-]+)%")]
    private static partial Regex BindingExpression();
}
