using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Identity.Client;

namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// The delegated credential channel cards are posted with: tokens of the notifications account
/// (<c>Graph:NotificationsAccount</c>) from the token cache <c>hub graph login</c> stored, refreshed silently. When
/// it cannot get one without a person (never signed in, the cache unreadable, the sign-in expired or revoked) it
/// throws <see cref="NotificationsAccountSignInRequiredException"/> (a <see cref="CredentialUnavailableException"/>)
/// saying so and that <c>hub graph login</c> fixes it, and logs it as critical. Other failures (Entra ID or storage
/// unreachable) are <see cref="AuthenticationFailedException"/>s, worth a retry. Tokens are kept in memory until five
/// minutes before they expire; one refresh runs at a time.
/// </summary>
public sealed partial class NotificationsAccountCredential : TokenCredential, IDisposable
{
    /// <summary>The service key the credential is registered under (<c>GraphClients.NotificationsAccountKey</c>).</summary>
    public const string ServiceKey = GraphClients.NotificationsAccountKey;

    /// <summary>The delegated scope channel posts need; <c>offline_access</c> (the refresh token) is added by MSAL.</summary>
    public const string ChannelMessageSendScope = "https://graph.microsoft.com/ChannelMessage.Send";

    private static readonly TimeSpan _refreshMargin = TimeSpan.FromMinutes(5);

    private readonly GraphOptions _options;
    private readonly INotificationsAccountClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public NotificationsAccountCredential(
        GraphOptions options, INotificationsAccountClient client, TimeProvider? time = null, ILogger<NotificationsAccountCredential>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        _options = options;
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<NotificationsAccountCredential>.Instance;
    }

    /// <summary>The scopes <c>hub graph login</c> asks consent for.</summary>
    public static IReadOnlyList<string> SignInScopes { get; } = [ChannelMessageSendScope];

    /// <summary>The account tokens are for (<c>Graph:NotificationsAccount</c>).</summary>
    public string? Account => _options.NotificationsAccount?.Trim();

    public void Dispose() => _refresh.Dispose();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var scopes = requestContext.Scopes is { Length: > 0 } requested ? requested : [ChannelMessageSendScope];
        var key = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        var challenged = !string.IsNullOrEmpty(requestContext.Claims);
        if (!challenged && Fresh(key) is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!challenged && Fresh(key) is { } meanwhile)
            {
                return meanwhile;
            }

            var token = await AcquireAsync(scopes, requestContext.Claims, cancellationToken);
            var accessToken = new AccessToken(token.AccessToken, token.ExpiresOn);
            _tokens[key] = accessToken;
            Log.TokenRefreshed(_logger, token.Account.Username, token.ExpiresOn);
            return accessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>A token for <paramref name="scopes"/> and whose it is, from the stored sign-in (what <c>hub graph status</c> checks).</summary>
    /// <exception cref="NotificationsAccountSignInRequiredException">Someone must run <c>hub graph login</c>.</exception>
    /// <exception cref="AuthenticationFailedException">Entra ID or storage failed; a retry may work.</exception>
    public async Task<NotificationsAccountToken> AcquireAsync(IReadOnlyList<string> scopes, string? claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var account = Account;
        if (string.IsNullOrEmpty(account))
        {
            throw SignInRequired(
                SignInRequiredReason.Misconfigured,
                "Graph:NotificationsAccount is not set: set it to the UPN of the account channel cards are posted as, then run `hub graph login`.");
        }

        NotificationsAccountToken token;
        try
        {
            token = await _client.AcquireTokenSilentAsync(scopes, account, claims, cancellationToken);
        }
        catch (HubValidationException e)
        {
            throw SignInRequired(SignInRequiredReason.Misconfigured, $"The notifications account cannot sign in: {e.Message}", inner: e);
        }
        catch (TokenCacheNotFoundException e)
        {
            throw SignInRequired(SignInRequiredReason.NotSignedIn, e.Message, inner: e);
        }
        catch (TokenCacheUnreadableException e)
        {
            throw SignInRequired(SignInRequiredReason.CacheUnreadable, e.Message, inner: e);
        }
        catch (MsalUiRequiredException e)
        {
            var code = AadstsCode(e.Message) ?? e.ErrorCode;
            throw SignInRequired(
                SignInRequiredReason.ExpiredOrRevoked,
                $"The notifications account's Teams sign-in has expired or was revoked ({code}{Why(e)}): run `hub graph login` to sign {account} in again; channel cards cannot be posted until then.",
                code,
                e);
        }
        catch (MsalException e)
        {
            throw new AuthenticationFailedException(
                $"The notifications account {account} could not refresh its token ({AadstsCode(e.Message) ?? e.ErrorCode}): {FirstLine(e.Message)}", e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthenticationFailedException($"The notifications account {account} could not refresh its token: Entra ID is unreachable ({e.Message}).", e);
        }
        catch (RequestFailedException e)
        {
            throw new AuthenticationFailedException(
                $"The notifications account's token cache could not be read from storage ({e.Status} {e.ErrorCode}): {FirstLine(e.Message)}", e);
        }

        if (!token.Account.Is(account))
        {
            throw SignInRequired(
                SignInRequiredReason.AnotherAccount,
                $"The stored sign-in is {token.Account.Username}'s, but Graph:NotificationsAccount is {account}: run `hub graph login` and sign in as {account}.");
        }

        return token;
    }

    private AccessToken? Fresh(string key) =>
        _tokens.TryGetValue(key, out var token) && token.ExpiresOn - _refreshMargin > _time.GetUtcNow() ? token : null;

    private NotificationsAccountSignInRequiredException SignInRequired(
        SignInRequiredReason reason, string message, string? errorCode = null, Exception? inner = null)
    {
        _tokens.Clear();
        Log.SignInRequired(_logger, Account ?? "(not set)", message);
        return new NotificationsAccountSignInRequiredException(reason, message, errorCode, inner);
    }

    private static string Why(MsalUiRequiredException e) => e.Classification switch
    {
        UiRequiredExceptionClassification.UserPasswordExpired => ", the password expired",
        UiRequiredExceptionClassification.ConsentRequired => ", consent is required again",
        UiRequiredExceptionClassification.BasicAction or UiRequiredExceptionClassification.AdditionalAction => ", the user must act (MFA, terms, password change)",
        _ => string.Empty,
    };

    private static string? AadstsCode(string message) => AadstsPattern().Match(message) is { Success: true } m ? m.Value : null;

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"AADSTS\d+", RegexOptions.CultureInvariant)]
    private static partial Regex AadstsPattern();
}
