using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Graph;

/// <summary>
/// How the hub reaches Microsoft Graph (section <c>Graph</c>; environment <c>Graph__TenantId</c> …). With a tenant the
/// real Graph is used: app-only with the hub's managed identity, channel posts as the notifications account whose
/// token cache <c>hub graph login</c> stored. Without a tenant, <see cref="BaseUrl"/> may point at a local Graph
/// (the tests' stub); with neither, <c>hub serve</c> writes Graph requests to the local Teams sink and the Functions
/// app leaves notifications in the outbox.
/// </summary>
public sealed class GraphOptions : IValidatableObject
{
    public const string SectionName = "Graph";

    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";

    /// <summary>The Entra tenant (id or domain); empty: no real Graph.</summary>
    public string? TenantId { get; set; }

    /// <summary>The hub's app registration (the client the notifications account signs in to, and the Teams app's <c>webApplicationInfo.id</c>).</summary>
    public string? ClientId { get; set; }

    /// <summary>The dedicated account channel cards are posted as (UPN), signed in once with <c>hub graph login</c>.</summary>
    public string? NotificationsAccount { get; set; }

    /// <summary>The shared mailbox e-mail fallbacks are sent from (UPN); empty: no e-mail fallback.</summary>
    public string? MailSender { get; set; }

    /// <summary>The user (UPN or object id) who organizes bridge meetings; needs a Teams application access policy.</summary>
    public string? MeetingOrganizer { get; set; }

    /// <summary>The 256-bit key (base64) the notifications account's token cache is encrypted with (AES-GCM); a Key Vault reference in Azure.</summary>
    public string? TokenCacheKey { get; set; }

    /// <summary>Graph's base URL: <see cref="DefaultBaseUrl"/>, or a local stub.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long one Graph request may take before it counts as a (transient) failure; <see cref="DefaultRequestTimeout"/> when not set.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    public static TimeSpan DefaultRequestTimeout { get; } = TimeSpan.FromSeconds(30);

    public bool HasTenant => !string.IsNullOrWhiteSpace(TenantId);

    public static GraphOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new GraphOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)))
        {
            yield return new ValidationResult($"Graph:BaseUrl '{url}' must be an absolute https URL (or http on loopback).", [nameof(BaseUrl)]);
        }

        if (RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Graph:RequestTimeout '{timeout}' must be positive.", [nameof(RequestTimeout)]);
        }

        if (HasTenant && string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult("Graph:ClientId must be set when Graph:TenantId is.", [nameof(ClientId)]);
        }
    }
}
