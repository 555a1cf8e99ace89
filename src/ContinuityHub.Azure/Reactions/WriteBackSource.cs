using ContinuityHub.Catalog;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Reactions;

/// <summary>
/// One source's write-back settings, <c>Reactions:Sources:{source}:…</c>: <c>BaseUrl</c> (the instance: required for
/// ServiceNow and Jira; PagerDuty and Opsgenie default to their public APIs), <c>User</c> (ServiceNow user, Jira
/// account e-mail, PagerDuty <c>From</c> e-mail, Opsgenie note author) and <c>Token</c> (ServiceNow password, Jira API
/// token, PagerDuty REST API key, Opsgenie API key: a Key Vault reference in Azure); for Jira also <c>ApiVersion</c>
/// (<c>3</c>, Cloud; <c>2</c>, Server/Data Center).
/// </summary>
public sealed record WriteBackSource(AliasSource Source, Uri? BaseUrl, string? User, string? Token, int ApiVersion = 3)
{
    /// <summary>Azure Monitor only: set the alert's state to Acknowledged with the hub's managed identity (<c>Reactions:Sources:azuremonitor:Enabled</c>).</summary>
    public bool Enabled { get; init; }

    public const string SectionName = "Reactions:Sources";

    /// <summary>The sources the hub can write back to.</summary>
    public static readonly IReadOnlyList<AliasSource> Supported = [AliasSource.ServiceNow, AliasSource.Jira, AliasSource.PagerDuty, AliasSource.Opsgenie, AliasSource.AzureMonitor];

    /// <summary>Where the source's API is: its <see cref="BaseUrl"/>, else the vendor's public API (PagerDuty, Opsgenie), else a placeholder for the local sink.</summary>
    public Uri Api => BaseUrl ?? Source switch
    {
        AliasSource.PagerDuty => new Uri("https://api.pagerduty.com/"),
        AliasSource.Opsgenie => new Uri("https://api.opsgenie.com/"),
        AliasSource.AzureMonitor => new Uri("https://management.azure.com/"),
        AliasSource.ServiceNow => new Uri("https://your-instance.service-now.com/"),
        _ => new Uri("https://your-site.atlassian.net/"),
    };

    /// <summary>Configured to send: a token (not a Key Vault reference App Service left unresolved), and a base URL where the vendor has no public one.</summary>
    public bool IsConfigured => Source == AliasSource.AzureMonitor
        ? Enabled
        : !string.IsNullOrWhiteSpace(Token) && !UnresolvedReference && (BaseUrl is not null || Source is AliasSource.PagerDuty or AliasSource.Opsgenie);

    // App Service passes a Key Vault reference it cannot resolve (no such secret, no access) through as its own text.
    private bool UnresolvedReference => Token?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>What is missing, for the start-up line of a source that is off.</summary>
    public string Missing => Source == AliasSource.AzureMonitor
        ? $"{SectionName}:azuremonitor:Enabled is not true (the hub's identity needs the Monitoring Contributor role where the alerts fire)"
        : UnresolvedReference
        ? $"{SectionName}:{CatalogNames.Name(Source)}:Token is a Key Vault reference App Service could not resolve (is the secret there, and may the app's identity read it?)"
        : Source is AliasSource.PagerDuty or AliasSource.Opsgenie
        ? $"{SectionName}:{CatalogNames.Name(Source)}:Token is empty (its API key, from Key Vault in Azure)"
        : $"{SectionName}:{CatalogNames.Name(Source)}:BaseUrl or :Token is empty (the instance and its API credentials, from Key Vault in Azure)";

    public static WriteBackSource Read(IConfiguration configuration, AliasSource source)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection($"{SectionName}:{CatalogNames.Name(source)}");
        var baseUrl = section["BaseUrl"] is { Length: > 0 } text
            ? Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                ? uri
                : throw new InvalidOperationException($"{SectionName}:{CatalogNames.Name(source)}:BaseUrl: '{text}' is not an absolute http(s) URL.")
            : null;
        var version = section["ApiVersion"] is { Length: > 0 } v
            ? v is "2" or "3" ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidOperationException($"{SectionName}:{CatalogNames.Name(source)}:ApiVersion: '{v}' is neither 2 (Server/Data Center) nor 3 (Cloud).")
            : 3;
        var enabled = section["Enabled"] is { Length: > 0 } on
            ? bool.TryParse(on, out var flag) ? flag : throw new InvalidOperationException($"{SectionName}:{CatalogNames.Name(source)}:Enabled: '{on}' is neither true nor false.")
            : false;
        return new WriteBackSource(source, baseUrl, section["User"] is { Length: > 0 } user ? user : null, section["Token"] is { Length: > 0 } token ? token : null, version)
        {
            Enabled = enabled,
        };
    }
}
