namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>Who a token cache belongs to: the account's UPN and its MSAL home account id (<c>{objectId}.{tenantId}</c>).</summary>
public sealed record NotificationsAccountIdentity(string Username, string HomeAccountId)
{
    /// <summary>Whether this is the account <paramref name="upn"/> names (UPNs compare case-insensitively).</summary>
    public bool Is(string? upn) => string.Equals(Username, upn?.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>The decrypted token cache as stored: MSAL's v3 serialization, whose account it is, when it was stored, and the blob's ETag.</summary>
public sealed record StoredTokenCache(ReadOnlyMemory<byte> Content, NotificationsAccountIdentity Account, DateTimeOffset? StoredAt, global::Azure.ETag ETag);
