using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Reactions;

/// <summary>The value of a secret an automation names (<c>urlSecret</c>, <c>signingSecret</c>); null when there is none by that name.</summary>
public interface IAutomationSecrets
{
    /// <summary>Whether any secret can be found at all (configuration secrets or a Key Vault).</summary>
    string Where { get; }

    Task<string?> GetAsync(string name, CancellationToken cancellationToken);
}

/// <summary>
/// Automation secrets by name: configuration <c>Automations:Secrets:{name}</c> first (local runs, tests), then the Key
/// Vault at <c>Automations:KeyVaultUri</c> (the deployment sets it; the hub's identity reads secrets there as it does
/// for its Key Vault references). The catalogue names the secrets, so they cannot be app-setting references made at
/// deployment; each is read once and kept for <see cref="CacheFor"/>, so a rotated secret is taken within minutes.
/// </summary>
public sealed class AutomationSecrets : IAutomationSecrets
{
    public const string SectionName = "Automations";

    /// <summary>How long a secret read from Key Vault is kept.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private readonly IConfiguration _configuration;
    private readonly SecretClient? _vault;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (string? Value, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public AutomationSecrets(IConfiguration configuration, global::Azure.Core.TokenCredential? identity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        _time = time;
        var uri = configuration[SectionName + ":KeyVaultUri"];
        _vault = identity is not null && Uri.TryCreate(uri, UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps
            ? new SecretClient(vault, identity)
            : null;
        Where = _vault is null
            ? $"configuration {SectionName}:Secrets:{{name}} ({SectionName}:KeyVaultUri is not set)"
            : $"configuration {SectionName}:Secrets:{{name}}, then Key Vault {_vault.VaultUri.Host}";
    }

    public string Where { get; }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_configuration[$"{SectionName}:Secrets:{name}"] is { Length: > 0 } configured)
        {
            return configured;
        }

        if (_vault is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_cache.TryGetValue(name, out var kept) && kept.Until > now)
            {
                return kept.Value;
            }
        }

        string? value;
        try
        {
            value = (await _vault.GetSecretAsync(name, cancellationToken: cancellationToken)).Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            value = null;
        }

        lock (_gate)
        {
            _cache[name] = (value, now + CacheFor);
        }

        return value;
    }
}
