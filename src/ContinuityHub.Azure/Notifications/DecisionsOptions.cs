using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Xml;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// Decision links on the cards (section <c>Decisions</c>): where they point, how long they live, the key they are
/// signed with. Validated at start: a malformed value fails with one line that names the setting. Every value is
/// optional: without <see cref="BaseUrl"/> cards carry no decision links; without <see cref="SigningKey"/> links are
/// signed with a key of this process only.
/// </summary>
public sealed class DecisionsOptions : IValidatableObject
{
    public const string SectionName = "Decisions";

    /// <summary>The hub's public address (https; http only on loopback): links are <c>{BaseUrl}/api/decisions/{token}</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How long a link stays valid: <c>24h</c>, <c>90m</c> or ISO 8601 (<c>PT24H</c>); at most 7 days.</summary>
    public string? TokenLifetime { get; set; }

    /// <summary>Base64 of at least <see cref="DecisionTokens.MinKeyBytes"/> bytes; a Key Vault reference in Azure.</summary>
    public string? SigningKey { get; set; }

    public static DecisionsOptions FromConfiguration(IConfigurationSection section) => OptionsValidation.Bind<DecisionsOptions>(section);

    /// <summary>The settings the sender uses; throws with the first problem when a value is malformed.</summary>
    public NotificationSettings ToSettings()
    {
        OptionsValidation.ThrowIfInvalid(this);
        var settings = NotificationSettings.Default;
        if (Uri() is { } uri)
        {
            settings = settings with { DecisionsBaseUrl = uri };
        }

        return Lifetime() is { } lifetime ? settings with { TokenLifetime = lifetime } : settings;
    }

    /// <summary>The signing key, or null when none is set; throws with the first problem when it is malformed.</summary>
    public byte[]? Key()
    {
        OptionsValidation.ThrowIfInvalid(this);
        return string.IsNullOrWhiteSpace(SigningKey) ? null : Convert.FromBase64String(SigningKey.Trim());
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseUrl is { Length: > 0 } && Uri() is null)
        {
            yield return new ValidationResult($"Decisions:BaseUrl '{BaseUrl}' must be the hub's absolute https address (http only on loopback).", [nameof(BaseUrl)]);
        }

        if (TokenLifetime is { Length: > 0 } && Lifetime() is null)
        {
            yield return new ValidationResult($"Decisions:TokenLifetime '{TokenLifetime}': {Durations.Expected}, at most 7d.", [nameof(TokenLifetime)]);
        }

        if (KeyProblem() is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(SigningKey)]);
        }
    }

    private Uri? Uri() =>
        BaseUrl is { Length: > 0 } text && System.Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri)
            && (uri.Scheme == System.Uri.UriSchemeHttps || (uri.Scheme == System.Uri.UriSchemeHttp && uri.IsLoopback))
            ? uri
            : null;

    private TimeSpan? Lifetime()
    {
        if (TokenLifetime is not { Length: > 0 } text)
        {
            return null;
        }

        var parsed = Durations.TryParse(text, out var value) ? value : Iso(text);
        return parsed is { } ok && ok > TimeSpan.Zero && ok <= TimeSpan.FromDays(7) ? ok : null;
    }

    private string? KeyProblem()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return null;
        }

        if (SigningKey.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            return "Decisions:SigningKey is an unresolved Key Vault reference: check the app's identity can read the secret.";
        }

        var bytes = new byte[SigningKey.Length];
        if (!Convert.TryFromBase64String(SigningKey.Trim(), bytes, out var length))
        {
            return "Decisions:SigningKey must be base64 (e.g. openssl rand -base64 32).";
        }

        return length >= DecisionTokens.MinKeyBytes
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"Decisions:SigningKey is {length} bytes; it must be at least {DecisionTokens.MinKeyBytes} (openssl rand -base64 32).");
    }

    private static TimeSpan? Iso(string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
