namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// The few sign-in calls the hub makes for the notifications account (MSAL's public client in production,
/// <see cref="MsalNotificationsAccountClient"/>; a substitute in tests). MSAL's exceptions pass through:
/// <c>MsalUiRequiredException</c> when the stored sign-in can no longer be refreshed.
/// </summary>
public interface INotificationsAccountClient
{
    /// <summary>An access token for <paramref name="account"/> from the stored token cache, refreshed silently when needed.</summary>
    /// <param name="scopes">The scopes wanted.</param>
    /// <param name="account">The account's UPN.</param>
    /// <param name="claims">A claims challenge from the resource (continuous access evaluation), or <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    /// <exception cref="TokenCacheNotFoundException">No token cache is stored.</exception>
    /// <exception cref="TokenCacheUnreadableException">The stored cache does not decrypt.</exception>
    Task<NotificationsAccountToken> AcquireTokenSilentAsync(IReadOnlyList<string> scopes, string account, string? claims, CancellationToken cancellationToken);

    /// <summary>
    /// Signs an account in with the device-code flow, in a token cache of its own: <paramref name="prompt"/> tells the
    /// user where to enter which code; nothing is stored. The result carries the new cache for the caller to store.
    /// </summary>
    Task<DeviceCodeSignIn> SignInWithDeviceCodeAsync(
        IReadOnlyList<string> scopes, Func<DeviceCodePrompt, CancellationToken, Task> prompt, CancellationToken cancellationToken);
}

/// <summary>An access token of the notifications account and whose it is.</summary>
public sealed record NotificationsAccountToken(string AccessToken, DateTimeOffset ExpiresOn, NotificationsAccountIdentity Account);

/// <summary>What the user must do to finish a device-code sign-in: open <see cref="VerificationUrl"/> and enter <see cref="UserCode"/>.</summary>
public sealed record DeviceCodePrompt(string Message, string VerificationUrl, string UserCode, DateTimeOffset ExpiresOn);

/// <summary>A finished device-code sign-in: who signed in, and the token cache (MSAL v3 serialization) holding that sign-in alone.</summary>
public sealed record DeviceCodeSignIn(NotificationsAccountIdentity Account, ReadOnlyMemory<byte> TokenCache);
