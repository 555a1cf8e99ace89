using Azure.Core;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static ContinuityHub.Azure.Tests.Graph.NotificationsAccount.TokenCacheSamples;

namespace ContinuityHub.Azure.Tests.Graph.NotificationsAccount;

public sealed class NotificationsAccountRegistrationTests(AzuriteFixture azurite)
{
    [Fact]
    public void With_a_tenant_the_credential_is_the_keyed_notifications_account_token_credential()
    {
        using var services = Provider(new()
        {
            ["Storage"] = azurite.ConnectionString,
            ["Graph:TenantId"] = TenantId,
            ["Graph:ClientId"] = ClientId,
            ["Graph:NotificationsAccount"] = Upn,
            ["Graph:TokenCacheKey"] = NewKey(),
        });

        var credential = services.GetRequiredKeyedService<TokenCredential>("notifications-account");

        var typed = Assert.IsType<NotificationsAccountCredential>(credential);
        Assert.Same(services.GetRequiredService<NotificationsAccountCredential>(), typed);
        Assert.Equal(Upn, typed.Account);
    }

    [Fact]
    public void Without_a_tenant_nothing_is_registered()
    {
        using var services = Provider(new() { ["Storage"] = azurite.ConnectionString });

        Assert.Null(services.GetKeyedService<TokenCredential>(NotificationsAccountCredential.ServiceKey));
        Assert.Null(services.GetService<NotificationsAccountCredential>());
    }

    [Fact]
    public void A_malformed_key_does_not_stop_the_host_from_resolving_the_credential()
    {
        using var services = Provider(new()
        {
            ["Storage"] = azurite.ConnectionString,
            ["Graph:TenantId"] = TenantId,
            ["Graph:ClientId"] = ClientId,
            ["Graph:NotificationsAccount"] = Upn,
            ["Graph:TokenCacheKey"] = "nope",
        });

        Assert.NotNull(services.GetRequiredKeyedService<TokenCredential>(NotificationsAccountCredential.ServiceKey));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddContinuityHubStorage(configuration);
        services.AddNotificationsAccount(configuration);
        return services.BuildServiceProvider();
    }
}
