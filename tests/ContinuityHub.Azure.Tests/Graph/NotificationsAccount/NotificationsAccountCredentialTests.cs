using Azure.Core;
using Azure.Identity;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using NSubstitute;
using static ContinuityHub.Azure.Tests.Graph.NotificationsAccount.TokenCacheSamples;

namespace ContinuityHub.Azure.Tests.Graph.NotificationsAccount;

public sealed class NotificationsAccountCredentialTests(AzuriteFixture azurite)
{
    private static readonly TokenRequestContext _channelPost = new([NotificationsAccountCredential.ChannelMessageSendScope]);

    private readonly StorageClients _clients = Clients(azurite);
    private readonly string _container = AzuriteFixture.UniqueContainerName("tokens");
    private readonly string _key = NewKey();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_no_stored_cache_the_credential_is_unavailable_and_names_hub_graph_login()
    {
        using var credential = Real();

        var e = await Assert.ThrowsAsync<NotificationsAccountSignInRequiredException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.IsAssignableFrom<CredentialUnavailableException>(e);
        Assert.Equal(SignInRequiredReason.NotSignedIn, e.Reason);
        Assert.Contains("`hub graph login`", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{_container}/notifications-account.bin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cache_stored_under_another_key_makes_the_credential_unavailable_saying_the_key_changed()
    {
        await new EncryptedTokenCache(_clients, NewKey(), containerName: _container).WriteAsync(MsalCache(), Account, null, Token);
        using var credential = Real();

        var e = await Assert.ThrowsAsync<NotificationsAccountSignInRequiredException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.Equal(SignInRequiredReason.CacheUnreadable, e.Reason);
        Assert.Contains("Graph:TokenCacheKey changed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_key_makes_the_credential_unavailable_naming_Graph_TokenCacheKey()
    {
        using var credential = Real(key: "too-short");

        var e = await Assert.ThrowsAsync<NotificationsAccountSignInRequiredException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.Equal(SignInRequiredReason.Misconfigured, e.Reason);
        Assert.Contains("Graph:TokenCacheKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_access_token_in_the_stored_cache_is_returned_by_MSAL_without_a_network_call()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(50);
        await Cache().WriteAsync(MsalCache(expires), Account, null, Token);
        using var credential = Real();

        var token = await credential.GetTokenAsync(_channelPost, Token);

        Assert.Equal(AccessTokenSecret, token.Token);
        Assert.Equal(expires.ToUnixTimeSeconds(), token.ExpiresOn.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_stored_account_without_a_refresh_token_is_a_sign_in_required_by_MSAL()
    {
        await Cache().WriteAsync(MsalCache(withRefreshToken: false), Account, null, Token);
        using var credential = Real();

        var e = await Assert.ThrowsAsync<NotificationsAccountSignInRequiredException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.Equal(SignInRequiredReason.ExpiredOrRevoked, e.Reason);
        Assert.IsType<MsalUiRequiredException>(e.InnerException);
    }

    [Fact]
    public async Task An_expired_or_revoked_refresh_token_is_a_sign_in_required_naming_the_AADSTS_code_and_hub_graph_login()
    {
        var client = Substitute.For<INotificationsAccountClient>();
        Silent(client).Returns<NotificationsAccountToken>(_ => throw new MsalUiRequiredException(
            "invalid_grant",
            "AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-08-01 and was inactive for 90.00:00:00."));
        using var credential = new NotificationsAccountCredential(Options(), client, _time);

        var e = await Assert.ThrowsAsync<NotificationsAccountSignInRequiredException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.Equal(SignInRequiredReason.ExpiredOrRevoked, e.Reason);
        Assert.Equal("AADSTS700082", e.ErrorCode);
        Assert.StartsWith("The notifications account's Teams sign-in has expired or was revoked (AADSTS700082", e.Message, StringComparison.Ordinal);
        Assert.Contains($"run `hub graph login` to sign {Upn} in again", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_MSAL_failures_are_authentication_failures_not_a_sign_in_required()
    {
        var client = Substitute.For<INotificationsAccountClient>();
        Silent(client).Returns<NotificationsAccountToken>(
            _ => throw new MsalServiceException("service_not_available", "Service is unavailable to process the request"));
        using var credential = new NotificationsAccountCredential(Options(), client, _time);

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.IsNotType<NotificationsAccountSignInRequiredException>(e);
    }

    [Fact]
    public async Task A_token_of_another_account_is_refused()
    {
        var client = Substitute.For<INotificationsAccountClient>();
        Silent(client).Returns(
            new NotificationsAccountToken("token", _time.GetUtcNow().AddHours(1), new NotificationsAccountIdentity("someone@contoso.example", "x.y")));
        using var credential = new NotificationsAccountCredential(Options(), client, _time);

        var e = await Assert.ThrowsAsync<NotificationsAccountSignInRequiredException>(() => credential.GetTokenAsync(_channelPost, Token).AsTask());

        Assert.Equal(SignInRequiredReason.AnotherAccount, e.Reason);
    }

    [Fact]
    public async Task A_token_is_reused_until_five_minutes_before_it_expires()
    {
        var client = Substitute.For<INotificationsAccountClient>();
        var issued = 0;
        Silent(client).Returns(_ =>
            new NotificationsAccountToken($"token-{++issued}", _time.GetUtcNow().AddHours(1), Account));
        using var credential = new NotificationsAccountCredential(Options(), client, _time);

        var first = await credential.GetTokenAsync(_channelPost, Token);
        _time.Advance(TimeSpan.FromMinutes(54));
        var second = await credential.GetTokenAsync(_channelPost, Token);
        _time.Advance(TimeSpan.FromMinutes(2));
        var third = await credential.GetTokenAsync(_channelPost, Token);

        Assert.Equal(["token-1", "token-1", "token-2"], [first.Token, second.Token, third.Token]);
        await Silent(client.Received(2));
    }

    private static Task<NotificationsAccountToken> Silent(INotificationsAccountClient client) =>
        client.AcquireTokenSilentAsync(Arg.Any<IReadOnlyList<string>>(), Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<CancellationToken>());

    private EncryptedTokenCache Cache(string? key = null) => new(_clients, key ?? _key, containerName: _container);

    private NotificationsAccountCredential Real(string? key = null) =>
        new(Options(key ?? _key), new MsalNotificationsAccountClient(Options(key ?? _key), Cache(key)), _time);
}
