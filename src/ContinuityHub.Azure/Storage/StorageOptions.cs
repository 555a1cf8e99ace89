using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// Where the hub's storage account is and how to reach it, read the way Azure Functions reads a connection:
/// the configuration value <c>Storage</c> is a connection string (Azurite, local use); otherwise the settings
/// under the <c>Storage</c> section name the account for identity-based access
/// (<c>Storage:tableServiceUri</c>, <c>Storage:blobServiceUri</c>, <c>Storage:queueServiceUri</c>, or
/// <c>Storage:accountName</c> from which those are derived, and <c>Storage:clientId</c> for a user-assigned identity).
/// With nothing set, the local emulator is used (<c>UseDevelopmentStorage=true</c>).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private readonly List<string> _unreadable = [];

    /// <summary>A storage connection string; null when the account is reached by identity.</summary>
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>The storage account name; the public-cloud service URIs not given explicitly are derived from it.</summary>
    public string? AccountName { get; set; }

    /// <summary>The client id of the user-assigned managed identity; null for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    /// <summary>True when the account is reached with a token credential rather than a connection string.</summary>
    public bool UsesIdentity => ConnectionString is null;

    /// <summary>The Table service URI to use with a token credential.</summary>
    public Uri? EffectiveTableServiceUri => TableServiceUri ?? Derive("table");

    /// <summary>The Blob service URI to use with a token credential.</summary>
    public Uri? EffectiveBlobServiceUri => BlobServiceUri ?? Derive("blob");

    /// <summary>The Queue service URI to use with a token credential.</summary>
    public Uri? EffectiveQueueServiceUri => QueueServiceUri ?? Derive("queue");

    /// <summary>Reads the options from <paramref name="configuration"/> (the root, or any section holding a <c>Storage</c> key).</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new StorageOptions();
        options.Read(configuration.GetSection(SectionName));
        return options;
    }

    /// <summary>Fills these options from the <c>Storage</c> section: its own value and its children.</summary>
    public void Read(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _unreadable.Clear();
        TableServiceUri = ReadUri(section, "tableServiceUri");
        BlobServiceUri = ReadUri(section, "blobServiceUri");
        QueueServiceUri = ReadUri(section, "queueServiceUri");
        AccountName = ReadText(section, "accountName");
        ClientId = ReadText(section, "clientId");

        var value = string.IsNullOrWhiteSpace(section.Value) ? null : section.Value.Trim();
        var identityConfigured = TableServiceUri is not null || BlobServiceUri is not null || QueueServiceUri is not null
            || AccountName is not null || _unreadable.Count > 0;
        ConnectionString = value ?? (identityConfigured ? null : DevelopmentStorage);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesIdentity)
        {
            yield break;
        }

        foreach (var message in _unreadable)
        {
            yield return new ValidationResult(message);
        }

        if (AccountName is not null && !IsAccountName(AccountName))
        {
            yield return new ValidationResult(
                $"{SectionName}:accountName '{AccountName}' is not a storage account name (3-24 lowercase letters and digits).",
                [nameof(AccountName)]);
            yield break;
        }

        foreach (var (service, uri, explicitUri) in new[]
                 {
                     ("tableServiceUri", EffectiveTableServiceUri, TableServiceUri),
                     ("blobServiceUri", EffectiveBlobServiceUri, BlobServiceUri),
                     ("queueServiceUri", EffectiveQueueServiceUri, QueueServiceUri),
                 })
        {
            if (uri is null && !_unreadable.Any(m => m.StartsWith($"{SectionName}:{service} ", StringComparison.Ordinal)))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{service} is required when {SectionName} is configured by identity; set it or {SectionName}:accountName, or set {SectionName} to a connection string.",
                    [service]);
            }
            else if (explicitUri is not null && explicitUri.Scheme != Uri.UriSchemeHttps && !explicitUri.IsLoopback)
            {
                yield return new ValidationResult($"{SectionName}:{service} '{explicitUri}' must be an https URI.", [service]);
            }
        }
    }

    private Uri? Derive(string service) =>
        AccountName is null ? null : new Uri($"https://{AccountName}.{service}.core.windows.net", UriKind.Absolute);

    private static string? ReadText(IConfigurationSection section, string key)
    {
        var value = section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private Uri? ReadUri(IConfigurationSection section, string key)
    {
        var value = ReadText(section, key);
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        _unreadable.Add($"{SectionName}:{key} '{value}' is not an absolute URI.");
        return null;
    }

    private static bool IsAccountName(string name) =>
        name.Length is >= 3 and <= 24 && name.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));
}
