using ContinuityHub.Azure.Graph;

namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// <c>Graph:TokenCacheKey</c>: the 256-bit AES key (base64 of 32 random bytes, e.g. <c>openssl rand -base64 32</c>)
/// the notifications account's token cache is encrypted with; a Key Vault reference in Azure.
/// </summary>
public static class TokenCacheKey
{
    /// <summary>The configuration key, as problems name it.</summary>
    public const string Setting = GraphOptions.SectionName + ":" + nameof(GraphOptions.TokenCacheKey);

    /// <summary>The key length in bytes.</summary>
    public const int KeyBytes = 32;

    private const string Generate = "generate one with `openssl rand -base64 32` (in Azure: a Key Vault secret referenced by Graph__TokenCacheKey)";

    /// <summary>What is wrong with <paramref name="value"/> as a key, or nothing.</summary>
    public static IReadOnlyList<ValidationProblem> Check(string? value) => TryParse(value, out _, out var problem) ? [] : [problem!];

    /// <summary>The key bytes of <paramref name="value"/>; a <see cref="HubValidationException"/> naming <see cref="Setting"/> when it is no key.</summary>
    public static byte[] Parse(string? value) =>
        TryParse(value, out var key, out var problem) ? key : throw new HubValidationException([problem!]);

    private static bool TryParse(string? value, out byte[] key, out ValidationProblem? problem)
    {
        key = [];
        problem = null;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = new ValidationProblem(Setting, $"is not set: the notifications account's token cache is encrypted with it; {Generate}");
            return false;
        }

        if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            problem = new ValidationProblem(Setting, "is an unresolved Key Vault reference: give the Function App's identity 'Key Vault Secrets User' on the vault and check the secret exists");
            return false;
        }

        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
        {
            problem = new ValidationProblem(Setting, $"is not base64: it must be the base64 of {KeyBytes} random bytes; {Generate}");
            return false;
        }

        if (length != KeyBytes)
        {
            problem = new ValidationProblem(Setting, $"is {length} bytes long, not {KeyBytes} (256 bits); {Generate}");
            return false;
        }

        key = buffer[..length];
        return true;
    }
}
