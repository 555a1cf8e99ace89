using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Graph.NotificationsAccount;

/// <summary>
/// A notifications account, keys, settings, and MSAL v3 cache documents as MSAL writes them: an account with a refresh
/// token (and, when asked, a valid access token), so MSAL finds it without reaching Entra ID.
/// </summary>
internal static class TokenCacheSamples
{
    public const string TenantId = "6f1c2b7e-0d4e-4d7a-9a37-3b4f5c2e8a10";
    public const string ClientId = "0b8d2f5a-7c1e-4e0b-8f52-1d9e6a3c4b27";
    public const string ObjectId = "a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8f0a1c";
    public const string Upn = "teams-alerts@contoso.example";
    public const string AccessTokenSecret = "at-secret-from-the-stored-cache";
    public const string RefreshTokenSecret = "rt-secret-never-in-plaintext";

    public static string HomeAccountId => $"{ObjectId}.{TenantId}";

    public static NotificationsAccountIdentity Account { get; } = new(Upn, HomeAccountId);

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static StorageClients Clients(AzuriteFixture azurite) =>
        new(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString), new QueueServiceClient(azurite.ConnectionString));

    public static GraphOptions Options(string? key = null, string account = Upn) => new()
    {
        TenantId = TenantId,
        ClientId = ClientId,
        NotificationsAccount = account,
        TokenCacheKey = key ?? NewKey(),
    };

    /// <summary>An MSAL v3 cache: the account and its refresh token; with <paramref name="accessTokenValidUntil"/>, an access token for ChannelMessage.Send.</summary>
    public static byte[] MsalCache(DateTimeOffset? accessTokenValidUntil = null, bool withRefreshToken = true)
    {
        const string Environment = "login.microsoftonline.com";
        var home = HomeAccountId;
        var accessTokens = accessTokenValidUntil is { } until
            ? $$"""
              "{{home}}-{{Environment}}-accesstoken-{{ClientId}}-{{TenantId}}-https://graph.microsoft.com/channelmessage.send": {
                "home_account_id": "{{home}}", "environment": "{{Environment}}", "client_id": "{{ClientId}}",
                "secret": "{{AccessTokenSecret}}", "credential_type": "AccessToken", "realm": "{{TenantId}}",
                "target": "https://graph.microsoft.com/ChannelMessage.Send",
                "cached_at": "{{Unix(until.AddHours(-1))}}", "expires_on": "{{Unix(until)}}", "extended_expires_on": "{{Unix(until)}}"
              }
              """
            : string.Empty;
        var refreshTokens = withRefreshToken
            ? $$"""
              "{{home}}-{{Environment}}-refreshtoken-{{ClientId}}--": {
                "home_account_id": "{{home}}", "environment": "{{Environment}}", "client_id": "{{ClientId}}",
                "secret": "{{RefreshTokenSecret}}", "credential_type": "RefreshToken", "target": ""
              }
              """
            : string.Empty;
        return Encoding.UTF8.GetBytes($$"""
            {
              "Account": {
                "{{home}}-{{Environment}}-{{TenantId}}": {
                  "home_account_id": "{{home}}", "environment": "{{Environment}}", "realm": "{{TenantId}}",
                  "local_account_id": "{{ObjectId}}", "username": "{{Upn}}", "authority_type": "MSSTS"
                }
              },
              "AccessToken": { {{accessTokens}} },
              "RefreshToken": { {{refreshTokens}} },
              "IdToken": {},
              "AppMetadata": {}
            }
            """);
    }

    private static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
