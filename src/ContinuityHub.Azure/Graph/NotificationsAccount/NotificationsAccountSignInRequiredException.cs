using Azure.Identity;

namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>Why the notifications account cannot get a token until someone acts.</summary>
public enum SignInRequiredReason
{
    /// <summary>A setting the sign-in needs is missing or malformed (<c>Graph:TokenCacheKey</c>, <c>Graph:NotificationsAccount</c>, …).</summary>
    Misconfigured,

    /// <summary>No token cache is stored: <c>hub graph login</c> was never run.</summary>
    NotSignedIn,

    /// <summary>The stored cache does not decrypt: the key changed or the blob was altered.</summary>
    CacheUnreadable,

    /// <summary>The stored cache belongs to another account than <c>Graph:NotificationsAccount</c>.</summary>
    AnotherAccount,

    /// <summary>Entra ID refused the silent refresh: the sign-in expired or was revoked, consent withdrawn, password reset, MFA needed.</summary>
    ExpiredOrRevoked,
}

/// <summary>
/// The notifications account cannot post until someone signs it in again with <c>hub graph login</c>. A
/// <see cref="CredentialUnavailableException"/>, so whoever uses the credential treats it as "sign-in required";
/// <see cref="Reason"/> and <see cref="ErrorCode"/> (an <c>AADSTS…</c> code when Entra ID gave one) tell why.
/// </summary>
public sealed class NotificationsAccountSignInRequiredException : CredentialUnavailableException
{
    public NotificationsAccountSignInRequiredException(string message)
        : base(message)
    {
    }

    public NotificationsAccountSignInRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NotificationsAccountSignInRequiredException(SignInRequiredReason reason, string message, string? errorCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        ErrorCode = errorCode;
    }

    public SignInRequiredReason Reason { get; }

    /// <summary>Entra ID's error (<c>AADSTS700082</c>, <c>invalid_grant</c>, …), when there is one.</summary>
    public string? ErrorCode { get; }
}
