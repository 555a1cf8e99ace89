using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Testing;
using NSubstitute;
using static ContinuityHub.Azure.Tests.Graph.NotificationsAccount.TokenCacheSamples;

namespace ContinuityHub.Azure.Tests.Graph.NotificationsAccount;

public sealed class NotificationsAccountLoginTests(AzuriteFixture azurite)
{
    private static readonly DeviceCodePrompt _prompt = new(
        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate.",
        "https://microsoft.com/devicelogin",
        "ABCD-1234",
        DateTimeOffset.UtcNow.AddMinutes(15));

    private readonly StorageClients _clients = Clients(azurite);
    private readonly string _container = AzuriteFixture.UniqueContainerName("tokens");
    private readonly string _key = NewKey();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_expected_account_signing_in_stores_its_cache_encrypted_after_showing_the_code()
    {
        var shown = new List<DeviceCodePrompt>();
        var login = Login(SignsIn(Account), out var cache);

        var result = await login.LoginAsync((p, _) => { shown.Add(p); return Task.CompletedTask; }, Token);

        Assert.Equal(_prompt, Assert.Single(shown));
        Assert.Equal(Account, result.Account);
        Assert.Equal(cache.Path, result.CachePath);
        Assert.Equal(MsalCache(), (await cache.ReadAsync(Token))!.Content.ToArray());
    }

    [Fact]
    public async Task Another_account_signing_in_is_refused_naming_both_and_nothing_is_stored()
    {
        var login = Login(SignsIn(new NotificationsAccountIdentity("alice@contoso.example", "a.b")), out var cache);

        var e = await Assert.ThrowsAsync<HubValidationException>(() => login.LoginAsync((_, _) => Task.CompletedTask, Token));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Graph:NotificationsAccount", problem.Path);
        Assert.Contains("alice@contoso.example signed in", problem.Message, StringComparison.Ordinal);
        Assert.Contains(Upn, problem.Message, StringComparison.Ordinal);
        Assert.Null(await cache.ReadAsync(Token));
    }

    [Fact]
    public async Task A_second_login_replaces_the_stored_cache()
    {
        var login = Login(SignsIn(Account), out var cache);
        await cache.WriteAsync("""{"old": true}"""u8.ToArray(), Account, null, Token);

        await login.LoginAsync((_, _) => Task.CompletedTask, Token);

        Assert.Equal(MsalCache(), (await cache.ReadAsync(Token))!.Content.ToArray());
    }

    [Fact]
    public void Check_names_every_missing_setting()
    {
        var problems = NotificationsAccountLogin.Check(new GraphOptions());

        Assert.Equal(
            ["Graph:TenantId", "Graph:ClientId", "Graph:NotificationsAccount", "Graph:TokenCacheKey"],
            problems.Select(p => p.Path));
    }

    private static INotificationsAccountClient SignsIn(NotificationsAccountIdentity account)
    {
        var client = Substitute.For<INotificationsAccountClient>();
        client.SignInWithDeviceCodeAsync(Arg.Any<IReadOnlyList<string>>(), Arg.Any<Func<DeviceCodePrompt, CancellationToken, Task>>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            await call.Arg<Func<DeviceCodePrompt, CancellationToken, Task>>()(_prompt, Token);
            return new DeviceCodeSignIn(account, MsalCache());
        });
        return client;
    }

    private NotificationsAccountLogin Login(INotificationsAccountClient client, out EncryptedTokenCache cache)
    {
        cache = new EncryptedTokenCache(_clients, _key, containerName: _container);
        return new NotificationsAccountLogin(Options(_key), client, cache);
    }
}
