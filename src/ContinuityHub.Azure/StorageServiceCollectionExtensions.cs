using Azure.Core;
using Azure.Identity;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the hub's storage: <see cref="StorageOptions"/> (validated on start), the one <see cref="TokenCredential"/>
    /// unless one is registered already, <see cref="StorageClients"/>, <see cref="ICatalogStore"/> as
    /// <see cref="TableCatalogStore"/>, <see cref="IDocumentStore"/> as <see cref="BlobDocumentStore"/>, and
    /// <see cref="TimeProvider.System"/> unless a clock is registered already.
    /// </summary>
    public static IServiceCollection AddContinuityHubStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLogging();
        services.AddOptions<StorageOptions>()
            .Configure(options => options.Read(configuration.GetSection(StorageOptions.SectionName)))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton<TokenCredential>(provider => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = provider.GetRequiredService<IOptions<StorageOptions>>().Value.ClientId,
        }));
        services.TryAddSingleton(provider => StorageClients.Create(
            provider.GetRequiredService<IOptions<StorageOptions>>().Value,
            provider.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<ICatalogStore>(provider => new TableCatalogStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<TableCatalogStore>>()));
        services.TryAddSingleton<IDocumentStore>(provider => new BlobDocumentStore(
            provider.GetRequiredService<StorageClients>(),
            provider.GetRequiredService<ILogger<BlobDocumentStore>>()));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
