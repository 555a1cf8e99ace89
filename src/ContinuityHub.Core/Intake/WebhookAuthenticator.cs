using System.Security.Cryptography;
using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Intake;

public enum WebhookAuthentication
{
    Verified,

    /// <summary>No secret is configured for the source: it is refused, never open.</summary>
    NotConfigured,

    /// <summary>The request carries no signature or token.</summary>
    Missing,

    /// <summary>A signature or token is there but does not match.</summary>
    Invalid,
}

/// <summary>
/// Verifies that a webhook comes from the tool it claims, with the secret configured for that source
/// (<c>Intake:Sources:{source}:Secret</c>):
/// PagerDuty <c>X-PagerDuty-Signature: v1=&lt;hex HMAC-SHA256 of the raw body&gt;</c> (several may be listed, one valid suffices);
/// Jira <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256&gt;</c>;
/// Alertmanager (and Grafana): <c>Authorization: Bearer &lt;secret&gt;</c> (its <c>http_config.authorization</c>) or basic
/// auth whose password is the secret, with any user name (its <c>http_config.basic_auth</c>);
/// ServiceNow, Opsgenie, Azure Monitor and generic: the secret itself in the <c>X-Hub-Token</c> header or the <c>token</c> query parameter.
/// Every comparison is constant-time.
/// </summary>
public static class WebhookAuthenticator
{
    public const string PagerDutySignatureHeader = "X-PagerDuty-Signature";
    public const string HubSignatureHeader = "X-Hub-Signature";
    public const string TokenHeader = "X-Hub-Token";
    public const string TokenQuery = "token";
    public const string AuthorizationHeader = "Authorization";

    /// <param name="header">Reads a request header by name (case-insensitive), null when absent.</param>
    /// <param name="query">Reads a query parameter by name, null when absent.</param>
    public static WebhookAuthentication Verify(
        AliasSource source,
        string? secret,
        ReadOnlySpan<byte> body,
        Func<string, string?> header,
        Func<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(query);
        // An unresolved Key Vault reference stays in the setting as its (guessable) text: never a secret.
        if (string.IsNullOrEmpty(secret) || secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookAuthentication.NotConfigured;
        }

        switch (source)
        {
            case AliasSource.PagerDuty:
            {
                var signatures = header(PagerDutySignatureHeader);
                if (string.IsNullOrWhiteSpace(signatures))
                {
                    return WebhookAuthentication.Missing;
                }

                var expected = Hmac(secret, body);
                foreach (var signature in signatures.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (signature.StartsWith("v1=", StringComparison.Ordinal) && HexEquals(expected, signature.AsSpan(3)))
                    {
                        return WebhookAuthentication.Verified;
                    }
                }

                return WebhookAuthentication.Invalid;
            }

            case AliasSource.Jira:
            {
                var signature = header(HubSignatureHeader)?.Trim();
                if (string.IsNullOrEmpty(signature))
                {
                    return WebhookAuthentication.Missing;
                }

                return signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) && HexEquals(Hmac(secret, body), signature.AsSpan(7))
                    ? WebhookAuthentication.Verified
                    : WebhookAuthentication.Invalid;
            }

            case AliasSource.Alertmanager:
                return VerifyAuthorization(secret, header(AuthorizationHeader));

            default:
            {
                var token = header(TokenHeader) ?? query(TokenQuery);
                if (string.IsNullOrEmpty(token))
                {
                    return WebhookAuthentication.Missing;
                }

                return SecretEquals(token, secret) ? WebhookAuthentication.Verified : WebhookAuthentication.Invalid;
            }
        }
    }

    /// <summary>
    /// What the headers alone settle, before any of the body is read: an unconfigured source, a missing signature or
    /// token, a shared secret right or wrong, a body signature that cannot be one (no <c>v1=</c>/<c>sha256=</c> and 64
    /// hex digits). Null when only the body can tell (a well-formed PagerDuty or Jira signature): then call
    /// <see cref="Verify"/> with the body.
    /// </summary>
    public static WebhookAuthentication? VerifyHeaders(AliasSource source, string? secret, Func<string, string?> header, Func<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(query);
        switch (source)
        {
            case AliasSource.PagerDuty:
            {
                var signatures = header(PagerDutySignatureHeader);
                var first = Verify(source, secret, [], name => name == PagerDutySignatureHeader ? signatures : null, query);
                if (first is WebhookAuthentication.NotConfigured or WebhookAuthentication.Missing)
                {
                    return first;
                }

                var wellFormed = signatures!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Any(signature => signature.StartsWith("v1=", StringComparison.Ordinal) && IsHexSha256(signature.AsSpan(3)));
                return wellFormed ? null : WebhookAuthentication.Invalid;
            }

            case AliasSource.Jira:
            {
                var signature = header(HubSignatureHeader)?.Trim();
                var first = Verify(source, secret, [], name => name == HubSignatureHeader ? signature : null, query);
                if (first is WebhookAuthentication.NotConfigured or WebhookAuthentication.Missing)
                {
                    return first;
                }

                return signature!.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) && IsHexSha256(signature.AsSpan(7))
                    ? null
                    : WebhookAuthentication.Invalid;
            }

            default:
                // A shared secret does not depend on the body.
                return Verify(source, secret, [], header, query);
        }
    }

    /// <summary>The hex HMAC-SHA256 signature a sender would compute (for tests, samples and `hub` tooling).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) => Convert.ToHexStringLower(Hmac(secret, body));

    /// <summary>The configuration key of a source's secret.</summary>
    public static string SecretSetting(AliasSource source) => $"Intake:Sources:{CatalogNames.Name(source)}:Secret";

    /// <summary><c>Bearer &lt;secret&gt;</c>, or <c>Basic base64(user:secret)</c> with any user name; schemes are case-insensitive.</summary>
    private static WebhookAuthentication VerifyAuthorization(string secret, string? authorization)
    {
        var value = authorization?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return WebhookAuthentication.Missing;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return WebhookAuthentication.Invalid;
        }

        var scheme = value[..space];
        var credentials = value[(space + 1)..].Trim();
        if (string.Equals(scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return SecretEquals(credentials, secret) ? WebhookAuthentication.Verified : WebhookAuthentication.Invalid;
        }

        if (string.Equals(scheme, "Basic", StringComparison.OrdinalIgnoreCase) && BasicPassword(credentials) is { } password)
        {
            return SecretEquals(password, secret) ? WebhookAuthentication.Verified : WebhookAuthentication.Invalid;
        }

        return WebhookAuthentication.Invalid;
    }

    /// <summary>The password of basic credentials (<c>base64(user:password)</c>, UTF-8); null when they are not that.</summary>
    private static string? BasicPassword(string credentials)
    {
        var buffer = new byte[(credentials.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(credentials, buffer, out var written))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..];
    }

    /// <summary>Constant-time: both sides are hashed first, so neither the length nor a prefix of the secret leaks.</summary>
    private static bool SecretEquals(string given, string secret) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static byte[] Hmac(string secret, ReadOnlySpan<byte> body) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);

    private static bool IsHexSha256(ReadOnlySpan<char> hex) => hex.Length == 64 && !hex.ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool HexEquals(byte[] expected, ReadOnlySpan<char> hex)
    {
        if (hex.Length != expected.Length * 2)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[expected.Length];
        return Convert.FromHexString(hex, given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
