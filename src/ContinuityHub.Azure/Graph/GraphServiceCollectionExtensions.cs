using Azure.Core;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GraphOptions"/> (section <c>Graph</c>, validated on start) and <see cref="ITeamsGateway"/>:
    /// with <c>Graph:TenantId</c>, a <see cref="GraphTeamsGateway"/> over <see cref="GraphClients"/> (app-only with the
    /// registered <see cref="TokenCredential"/>; channel posts with the credential keyed
    /// <see cref="GraphClients.NotificationsAccountKey"/>, or, while none is registered, one that asks for
    /// <c>hub graph login</c>); without a tenant but with <c>Graph:BaseUrl</c>, the same against that local Graph with a
    /// fixed local token; with neither, <see cref="UnconfiguredTeamsGateway"/>. Every registration is TryAdd, so a host
    /// or a test can register its own first.
    /// </summary>
    public static IServiceCollection AddContinuityHubGraph(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLogging();
        services.AddOptions<GraphOptions>()
            .Bind(configuration.GetSection(GraphOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHubCredential();

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<GraphOptions>>().Value;
            if (options.HasTenant)
            {
                return GraphClients.Create(
                    options,
                    provider.GetRequiredService<TokenCredential>(),
                    provider.GetKeyedService<TokenCredential>(GraphClients.NotificationsAccountKey) ?? new NotSignedInCredential());
            }

            if (!string.IsNullOrWhiteSpace(options.BaseUrl))
            {
                var local = new FixedTokenCredential(FixedTokenCredential.LocalToken);
                return GraphClients.Create(options, local, local);
            }

            throw new InvalidOperationException(UnconfiguredTeamsGateway.Message);
        });
        services.TryAddSingleton<ITeamsGateway>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<GraphOptions>>().Value;
            return options.HasTenant || !string.IsNullOrWhiteSpace(options.BaseUrl)
                ? new GraphTeamsGateway(provider.GetRequiredService<GraphClients>(), options, provider.GetRequiredService<ILogger<GraphTeamsGateway>>())
                : new UnconfiguredTeamsGateway(provider.GetRequiredService<ILogger<UnconfiguredTeamsGateway>>());
        });
        return services;
    }
}
