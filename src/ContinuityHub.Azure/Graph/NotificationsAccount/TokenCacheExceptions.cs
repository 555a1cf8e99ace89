namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// The stored token cache cannot be decrypted: <c>Graph:TokenCacheKey</c> changed since <c>hub graph login</c> stored
/// it, or the blob was altered. Signing the notifications account in again stores a cache under the current key.
/// </summary>
public sealed class TokenCacheUnreadableException : Exception
{
    public TokenCacheUnreadableException()
        : this("The notifications account's token cache cannot be read.")
    {
    }

    public TokenCacheUnreadableException(string message)
        : base(message)
    {
    }

    public TokenCacheUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static TokenCacheUnreadableException For(string path, string why, Exception? inner = null)
    {
        var message = $"The notifications account's token cache {path} cannot be read: {why}. "
            + "Graph:TokenCacheKey changed since it was stored, or the blob was altered: run `hub graph login` to sign the notifications account in again.";
        return inner is null ? new TokenCacheUnreadableException(message) : new TokenCacheUnreadableException(message, inner);
    }
}

/// <summary>No token cache is stored: the notifications account has never been signed in with <c>hub graph login</c> (or the blob was deleted).</summary>
public sealed class TokenCacheNotFoundException : Exception
{
    public TokenCacheNotFoundException()
        : this("The notifications account has not signed in: run `hub graph login`.")
    {
    }

    public TokenCacheNotFoundException(string message)
        : base(message)
    {
    }

    public TokenCacheNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static TokenCacheNotFoundException For(string path) =>
        new($"The notifications account has not signed in yet (no token cache at {path}): run `hub graph login` to sign it in once.");
}
