using Azure.Core;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Local;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure.Tests.Graph;

public sealed class GraphRegistrationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_tenant_or_a_base_url_the_gateway_leaves_notifications_in_the_outbox()
    {
        await using var provider = Provider([]);

        var gateway = provider.GetRequiredService<ITeamsGateway>();

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(() => gateway.SendMailAsync("ada@contoso.example", new MailNotice("s", "b"), Token));
        Assert.IsType<UnconfiguredTeamsGateway>(gateway);
        Assert.True(failure.Transient);
    }

    [Fact]
    public async Task With_only_a_base_url_the_gateway_talks_to_that_local_Graph_with_the_local_token()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);
        await using var provider = Provider([new("Graph:BaseUrl", graph.BaseUrl.ToString()), new("Graph:MailSender", "hub@contoso.example")]);

        var gateway = provider.GetRequiredService<ITeamsGateway>();
        await gateway.PostCardAsync("t", "c", GraphHarness.Card(), Token);
        await gateway.SendMailAsync("ada@contoso.example", new MailNotice("s", "b"), Token);

        Assert.IsType<GraphTeamsGateway>(gateway);
        Assert.All(graph.Requests, r => Assert.Equal((true, FixedTokenCredential.LocalToken), (r.Succeeded, r.BearerToken)));
    }

    [Fact]
    public async Task With_a_tenant_channel_posts_use_the_notifications_account_and_the_rest_the_hubs_credential()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);
        await using var provider = Provider(
            [new("Graph:TenantId", "contoso.example"), new("Graph:ClientId", "00000000-0000-0000-0000-000000000001"), new("Graph:BaseUrl", graph.BaseUrl.ToString()), new("Graph:MailSender", "hub@contoso.example")],
            services =>
            {
                services.AddSingleton<TokenCredential>(new TestCredential("app-token"));
                services.AddKeyedSingleton<TokenCredential>(GraphClients.NotificationsAccountKey, new TestCredential("delegated-token"));
            });

        var gateway = provider.GetRequiredService<ITeamsGateway>();
        await gateway.PostCardAsync("t", "c", GraphHarness.Card(), Token);
        await gateway.SendMailAsync("ada@contoso.example", new MailNotice("s", "b"), Token);

        Assert.Equal(["delegated-token", "app-token"], graph.Requests.Select(r => r.BearerToken));
    }

    [Fact]
    public async Task With_a_tenant_but_no_notifications_account_channel_posts_ask_for_hub_graph_login()
    {
        await using var graph = await LocalGraph.StartAsync(null, Token);
        await using var provider = Provider(
            [new("Graph:TenantId", "contoso.example"), new("Graph:ClientId", "00000000-0000-0000-0000-000000000001"), new("Graph:BaseUrl", graph.BaseUrl.ToString())],
            services => services.AddSingleton<TokenCredential>(new TestCredential("app-token")));

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => provider.GetRequiredService<ITeamsGateway>().PostCardAsync("t", "c", GraphHarness.Card(), Token));

        Assert.True(failure.SignInRequired);
        Assert.Contains("hub graph login", failure.Message, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task A_base_url_that_is_neither_https_nor_loopback_fails_validation_naming_the_setting()
    {
        await using var provider = Provider([new("Graph:BaseUrl", "http://graph.example/v1.0")]);

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GraphOptions>>().Value);

        Assert.Contains("Graph:BaseUrl", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_registered_first_is_kept()
    {
        var own = new UnconfiguredTeamsGateway();
        await using var provider = Provider([new("Graph:BaseUrl", "http://127.0.0.1:1/v1.0")], services => services.AddSingleton<ITeamsGateway>(own));

        Assert.Same(own, provider.GetRequiredService<ITeamsGateway>());
    }

    private static ServiceProvider Provider(KeyValuePair<string, string?>[] settings, Action<IServiceCollection>? before = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        before?.Invoke(services);
        services.AddContinuityHubGraph(configuration);
        return services.BuildServiceProvider();
    }
}
