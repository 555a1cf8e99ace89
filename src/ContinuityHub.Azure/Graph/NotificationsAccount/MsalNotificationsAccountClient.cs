using Microsoft.Identity.Client;

namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// <see cref="INotificationsAccountClient"/> with MSAL: a public client application of the hub's app registration
/// (<c>Graph:ClientId</c>) on the tenant's authority (<c>Graph:TenantId</c>), whose user token cache is the
/// <see cref="EncryptedTokenCache"/> blob.
/// </summary>
public sealed class MsalNotificationsAccountClient : INotificationsAccountClient
{
    private const string ClientName = "ContinuityHub";

    private readonly GraphOptions _options;
    private readonly EncryptedTokenCache _cache;
    private readonly IMsalHttpClientFactory? _httpClientFactory;
    private readonly Lazy<IPublicClientApplication> _silent;

    /// <param name="options">The tenant and client id (both required).</param>
    /// <param name="cache">The stored token cache.</param>
    /// <param name="httpClientFactory">The HTTP clients MSAL uses, or <c>null</c> for its own.</param>
    public MsalNotificationsAccountClient(GraphOptions options, EncryptedTokenCache cache, IMsalHttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        _options = options;
        _cache = cache;
        _httpClientFactory = httpClientFactory;
        _silent = new Lazy<IPublicClientApplication>(() =>
        {
            var app = Build();
            _cache.Bind(app.UserTokenCache);
            return app;
        });
    }

    public async Task<NotificationsAccountToken> AcquireTokenSilentAsync(
        IReadOnlyList<string> scopes, string account, string? claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrWhiteSpace(account);

        // Read once up front, so "never signed in" and "wrong key" are told as such and need no network.
        _ = await _cache.ReadAsync(cancellationToken) ?? throw TokenCacheNotFoundException.For(_cache.Path);
        var request = _silent.Value.AcquireTokenSilent(scopes, account);
        if (!string.IsNullOrEmpty(claims))
        {
            request = request.WithClaims(claims);
        }

        var result = await request.ExecuteAsync(cancellationToken);
        return new NotificationsAccountToken(result.AccessToken, result.ExpiresOn, Identity(result));
    }

    public async Task<DeviceCodeSignIn> SignInWithDeviceCodeAsync(
        IReadOnlyList<string> scopes, Func<DeviceCodePrompt, CancellationToken, Task> prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(prompt);

        // A cache of its own, in memory: what is stored is decided by the caller once it knows who signed in.
        var app = Build();
        byte[]? serialized = null;
        app.UserTokenCache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                serialized = args.TokenCache.SerializeMsalV3();
            }
        });
        var result = await app
            .AcquireTokenWithDeviceCode(scopes, code => prompt(new DeviceCodePrompt(code.Message, code.VerificationUrl, code.UserCode, code.ExpiresOn), cancellationToken))
            .ExecuteAsync(cancellationToken);
        return new DeviceCodeSignIn(
            Identity(result),
            serialized ?? throw new InvalidOperationException("The sign-in succeeded but MSAL left no token cache to store."));
    }

    private IPublicClientApplication Build()
    {
        if (string.IsNullOrWhiteSpace(_options.TenantId) || string.IsNullOrWhiteSpace(_options.ClientId))
        {
            throw new HubValidationException(
                $"{GraphOptions.SectionName}:{nameof(GraphOptions.TenantId)}",
                "and Graph:ClientId are both needed to sign the notifications account in");
        }

        var builder = PublicClientApplicationBuilder.Create(_options.ClientId.Trim())
            .WithTenantId(_options.TenantId.Trim())
            .WithClientName(ClientName);
        if (_httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(_httpClientFactory);
        }

        return builder.Build();
    }

    private static NotificationsAccountIdentity Identity(AuthenticationResult result) =>
        new(result.Account?.Username ?? string.Empty, result.Account?.HomeAccountId?.Identifier ?? string.Empty);
}
