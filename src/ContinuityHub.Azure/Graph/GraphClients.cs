using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;

namespace ContinuityHub.Azure.Graph;

/// <summary>
/// The two <see cref="GraphServiceClient"/>s the hub talks to Microsoft Graph with, both over an
/// <see cref="HttpClient"/> from <see cref="GraphClientFactory"/> so the SDK's own middleware runs (the retry handler
/// honours Retry-After on 429/503/504 and retries 3 times): <see cref="App"/> app-only with the hub's managed identity
/// (scope <see cref="AppScope"/>), <see cref="Delegated"/> as the notifications account (scope
/// <see cref="DelegatedScope"/>; Graph allows channel posts only with a delegated permission).
/// Tokens are sent to the base URL's host only; plain http only to loopback (a local Graph).
/// </summary>
public sealed class GraphClients : IDisposable
{
    /// <summary>The service key under which the notifications account's <see cref="TokenCredential"/> is registered.</summary>
    public const string NotificationsAccountKey = "notifications-account";

    public const string AppScope = "https://graph.microsoft.com/.default";

    public const string DelegatedScope = "https://graph.microsoft.com/ChannelMessage.Send";

    /// <summary>The upper bound of one call with all its retries (Retry-After may ask for up to 180 s each).</summary>
    private static readonly TimeSpan _overallTimeout = TimeSpan.FromMinutes(10);

    private readonly HttpClient _appHttp;
    private readonly HttpClient _delegatedHttp;

    private GraphClients(Uri baseUrl, TimeSpan requestTimeout, HttpClient appHttp, GraphServiceClient app, HttpClient delegatedHttp, GraphServiceClient delegated)
    {
        BaseUrl = baseUrl;
        RequestTimeout = requestTimeout;
        _appHttp = appHttp;
        App = app;
        _delegatedHttp = delegatedHttp;
        Delegated = delegated;
    }

    /// <summary>Graph's base URL, version included (<c>https://graph.microsoft.com/v1.0</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>How long one HTTP attempt may take; a retry after a 429 gets its own time.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>App-only, with the hub's managed identity: activity feed, mail, meetings, channels.</summary>
    public GraphServiceClient App { get; }

    /// <summary>As the notifications account: channel posts and replies.</summary>
    public GraphServiceClient Delegated { get; }

    /// <summary>The clients for <paramref name="options"/>: <see cref="GraphOptions.BaseUrl"/> (else the real Graph) and <see cref="GraphOptions.RequestTimeout"/>.</summary>
    public static GraphClients Create(GraphOptions options, TokenCredential appCredential, TokenCredential delegatedCredential)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUrl = new Uri(string.IsNullOrWhiteSpace(options.BaseUrl) ? GraphOptions.DefaultBaseUrl : options.BaseUrl, UriKind.Absolute);
        return Create(baseUrl, appCredential, delegatedCredential, options.RequestTimeout);
    }

    /// <summary>The clients for Graph at <paramref name="baseUrl"/> (e.g. <c>LocalGraph.BaseUrl</c> in tests).</summary>
    /// <param name="requestTimeout">How long one HTTP attempt may take; <see cref="GraphOptions.DefaultRequestTimeout"/> when null.</param>
    public static GraphClients Create(Uri baseUrl, TokenCredential appCredential, TokenCredential delegatedCredential, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(appCredential);
        ArgumentNullException.ThrowIfNull(delegatedCredential);
        if (baseUrl.Scheme != Uri.UriSchemeHttps && !baseUrl.IsLoopback)
        {
            throw new ArgumentException($"Graph's base URL '{baseUrl}' must be https (or http on loopback).", nameof(baseUrl));
        }

        var timeout = requestTimeout ?? GraphOptions.DefaultRequestTimeout;
        var url = baseUrl.AbsoluteUri.TrimEnd('/');
        var appHttp = CreateHttpClient(timeout);
        var delegatedHttp = CreateHttpClient(timeout);
        try
        {
            var app = new GraphServiceClient(appHttp, Authentication(appCredential, baseUrl, AppScope), url);
            var delegated = new GraphServiceClient(delegatedHttp, Authentication(delegatedCredential, baseUrl, DelegatedScope), url);
            return new GraphClients(new Uri(url), timeout, appHttp, app, delegatedHttp, delegated);
        }
        catch
        {
            appHttp.Dispose();
            delegatedHttp.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        App.Dispose();
        Delegated.Dispose();
        _appHttp.Dispose();
        _delegatedHttp.Dispose();
    }

    /// <summary>
    /// Kiota's provider sends a token only to the allowed hosts (here: the base URL's, so never elsewhere) and over
    /// https, except to localhost/127.0.0.1/[::1], where a local Graph listens on plain http.
    /// </summary>
    private static AzureIdentityAuthenticationProvider Authentication(TokenCredential credential, Uri baseUrl, string scope) =>
        new(credential, [baseUrl.Host], observabilityOptions: null, isCaeEnabled: true, scopes: [scope]);

    private static HttpClient CreateHttpClient(TimeSpan requestTimeout)
    {
        // The SDK's default middleware (retry, redirect, compression, telemetry …), then a per-attempt time limit
        // innermost, so a retry after Retry-After gets its own time and a hung attempt fails as a timeout.
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        handlers.Add(new AttemptTimeoutHandler(requestTimeout));
        var client = GraphClientFactory.Create(handlers);
        client.Timeout = _overallTimeout;
        return client;
    }

    /// <summary>Fails one HTTP attempt that takes longer than the limit with a <see cref="TimeoutException"/>.</summary>
    private sealed class AttemptTimeoutHandler(TimeSpan timeout) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(timeout);
            try
            {
                return await base.SendAsync(request, attempt.Token);
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested && attempt.IsCancellationRequested)
            {
                throw new TimeoutException($"Graph did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {timeout.TotalSeconds:0.###} s.", exception);
            }
        }
    }
}

/// <summary>A credential that always gives the same bearer token: for a local Graph (the tests' stub, the <c>hub serve</c> sink).</summary>
public sealed class FixedTokenCredential(string token) : TokenCredential
{
    /// <summary>The token the hub sends a local Graph when no tenant is configured.</summary>
    public const string LocalToken = "local-graph";

    public string Token { get; } = token;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Token, DateTimeOffset.MaxValue);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>Stands in for the notifications account's credential until <c>hub graph login</c> has stored one.</summary>
internal sealed class NotSignedInCredential : TokenCredential
{
    public const string Message =
        "The Teams notifications account is not signed in (no credential registered as '" + GraphClients.NotificationsAccountKey
        + "'): run `hub graph login` once so channel cards can be posted.";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new CredentialUnavailableException(Message);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new CredentialUnavailableException(Message);
}
