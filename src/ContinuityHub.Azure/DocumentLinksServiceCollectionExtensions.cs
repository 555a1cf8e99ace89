using ContinuityHub.Azure.Storage;
using ContinuityHub.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure;

public static class DocumentLinksServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDocumentLinks"/> as <see cref="BlobDocumentLinks"/>: read-only SAS links to plan documents
    /// (user-delegation SAS with the managed identity, account-key SAS with a connection string), and
    /// <see cref="TimeProvider.System"/> unless a clock is registered already. Needs <see cref="StorageClients"/> from
    /// <c>AddContinuityHubStorage</c>.
    /// </summary>
    public static IServiceCollection AddDocumentLinks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDocumentLinks>(provider => new BlobDocumentLinks(
            provider.GetRequiredService<StorageClients>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<BlobDocumentLinks>>()));
        return services;
    }
}
