using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>Notifications account (delegated Graph sign-in) log messages; event ids 2650-2699.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2650, Level = LogLevel.Critical,
        Message = "The notifications account {Account} cannot post channel cards: {Reason}")]
    public static partial void SignInRequired(ILogger logger, string account, string reason);

    [LoggerMessage(EventId = 2651, Level = LogLevel.Information,
        Message = "Notifications account {Account} token refreshed silently; valid until {ExpiresOn}")]
    public static partial void TokenRefreshed(ILogger logger, string account, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 2660, Level = LogLevel.Information,
        Message = "Token cache {Path} stored for {Account}")]
    public static partial void CacheStored(ILogger logger, string path, string account);

    [LoggerMessage(EventId = 2661, Level = LogLevel.Information,
        Message = "Token cache {Path} was changed by another writer meanwhile; writing again over the version just read")]
    public static partial void CacheConflictRetried(ILogger logger, string path);

    [LoggerMessage(EventId = 2662, Level = LogLevel.Warning,
        Message = "Token cache {Path} changed again while it was written; the other writer's cache is kept and this refresh is not stored")]
    public static partial void CacheConflictKeptOther(ILogger logger, string path);
}
