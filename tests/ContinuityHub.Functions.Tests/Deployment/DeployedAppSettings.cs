using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Azure;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// The app settings <c>bicep/modules/functionapp.bicep</c> gives the Function App, read from the compiled template:
/// as ARM expressions (<see cref="Expressions"/>), and as the values Azure would hold after a deployment with the
/// template's default parameters and the secrets <c>infra/deploy.sh secrets</c> creates (<see cref="Values"/>), so
/// that the start-up tests run the worker with exactly the settings a deployment gives it.
/// </summary>
internal static partial class DeployedAppSettings
{
    public const string SampleClientId = "00000000-0000-0000-0000-0000000000c1";

    /// <summary>A connection string of the shape Application Insights gives (it holds no credential).</summary>
    public const string SampleApplicationInsights =
        "InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/;ApplicationId=00000000-0000-0000-0000-0000000000a2";

    /// <summary>A 256-bit key as Key Vault holds it (base64), for the two key secrets.</summary>
    public static readonly string SampleKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The Function App's app settings by name, with the ARM expression (or literal) each is set to.</summary>
    public static Dictionary<string, string> Expressions(ArmTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var site = template.Only("Microsoft.Web/sites");
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in site.At("properties", "siteConfig", "appSettings")?.EnumerateArray() ?? Enumerable.Empty<JsonElement>())
        {
            var name = setting.GetProperty("name").GetString() ?? string.Empty;
            Assert.True(settings.TryAdd(name, setting.GetProperty("value").ToString()), $"{name} is set twice");
        }

        foreach (var config in template.OfType("Microsoft.Web/sites/config").Where(c => c.Name.Contains("appsettings", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var setting in config.Required("properties").EnumerateObject())
            {
                Assert.True(settings.TryAdd(setting.Name, setting.Value.ToString()), $"{setting.Name} is set twice");
            }
        }

        return settings;
    }

    /// <summary>
    /// Every deployed setting, by its environment-variable name, with the value Azure would hold: a Key Vault
    /// reference resolved to its secret (the test secret of each intake source, a sample key), a parameter of
    /// main.bicep that has a default given that default (the schedules, the empty Graph settings), and a
    /// sample of the right shape for what the deployment fills in (account and namespace names, the identity).
    /// </summary>
    public static Dictionary<string, string> Values(ArmTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var defaults = template.Root.GetProperty("parameters");
        return Expressions(template).ToDictionary(
            setting => setting.Key,
            setting => Resolve(setting.Key, setting.Value, defaults),
            StringComparer.OrdinalIgnoreCase);
    }

    private static string Resolve(string name, string expression, JsonElement defaults)
    {
        if (!expression.StartsWith('['))
        {
            return expression;
        }

        if (KeyVaultSecret().Match(expression) is { Success: true } reference)
        {
            var secret = reference.Groups["secret"].Value;
            if (secret.StartsWith("writeback-", StringComparison.Ordinal))
            {
                // The platform engineer sets these (deploy.sh does not): until then App Service passes the reference through.
                return $"@Microsoft.KeyVault(VaultName=kv-hub-sample;SecretName={secret})";
            }

            return IntakeSecret().Match(secret) is { Success: true } intake
                ? WebhookSamples.Secret(intake.Groups["source"].Value)
                : SampleKey;
        }

        if (Parameter().Match(expression) is { Success: true } parameter
            && defaults.TryGetProperty(parameter.Groups["name"].Value, out var declared)
            && declared.TryGetProperty("defaultValue", out var value)
            && value.ValueKind == JsonValueKind.String
            && !value.GetString()!.StartsWith('['))
        {
            return value.GetString()!;
        }

        return SampleValue(name);
    }

    private static string SampleValue(string name) => name switch
    {
        _ when name.EndsWith("__accountName", StringComparison.Ordinal) => "sthubsample01",
        _ when name.EndsWith("__clientId", StringComparison.Ordinal) => SampleClientId,
        HubSettings.ServiceBusFullyQualifiedNamespace => "sb-hub-sample.servicebus.windows.net",
        HubSettings.ServiceBusIncidentQueue => "incidents",
        HubSettings.ServiceBusMaxDeliveryCount => "10",
        HubSettings.ServiceBusEventsTopic => "continuity-events",
        HubSettings.ApplicationInsightsConnectionString => SampleApplicationInsights,
        HubSettings.ApplicationInsightsAuthenticationString => "Authorization=AAD;ClientId=" + SampleClientId,
        HubSettings.DecisionsBaseUrl => "https://func-hub-sample.azurewebsites.net",
        HubSettings.AutomationsKeyVaultUri => "https://kv-hub-sample.vault.azure.net/",
        "Reactions__Sources__azuremonitor__Enabled" => "False",
        _ => throw new InvalidOperationException($"No sample value for the deployed setting {name}: say in DeployedAppSettings what Azure would hold."),
    };

    [GeneratedRegex(@"@Microsoft\.KeyVault\(VaultName=\{0\};SecretName=(?<secret>[a-z0-9-]+)\)")]
    private static partial Regex KeyVaultSecret();

    [GeneratedRegex("^intake-(?<source>[a-z]+)-secret$")]
    private static partial Regex IntakeSecret();

    [GeneratedRegex(@"^\[parameters\('(?<name>[A-Za-z0-9]+)'\)\]$")]
    private static partial Regex Parameter();
}
