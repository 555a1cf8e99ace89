using Azure.Core;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure;

public static class NotificationsAccountServiceCollectionExtensions
{
    /// <summary>
    /// When <c>Graph:TenantId</c> is set: the notifications account's <see cref="EncryptedTokenCache"/>, its
    /// <see cref="INotificationsAccountClient"/> (MSAL), <see cref="NotificationsAccountCredential"/>, and that
    /// credential as the keyed <see cref="TokenCredential"/> <see cref="NotificationsAccountCredential.ServiceKey"/>.
    /// Needs <see cref="StorageClients"/> (<c>AddContinuityHubStorage</c>). A missing or malformed
    /// <c>Graph:TokenCacheKey</c> does not stop the host: each token request then fails as "sign-in required" naming it.
    /// </summary>
    public static IServiceCollection AddNotificationsAccount(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = GraphOptions.FromConfiguration(configuration);
        if (!options.HasTenant)
        {
            return services;
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new EncryptedTokenCache(
            provider.GetRequiredService<StorageClients>(),
            options.TokenCacheKey,
            provider.GetRequiredService<TimeProvider>(),
            logger: provider.GetRequiredService<ILogger<EncryptedTokenCache>>()));
        services.TryAddSingleton<INotificationsAccountClient>(provider => new MsalNotificationsAccountClient(
            options, provider.GetRequiredService<EncryptedTokenCache>()));
        services.TryAddSingleton(provider => new NotificationsAccountCredential(
            options,
            provider.GetRequiredService<INotificationsAccountClient>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<NotificationsAccountCredential>>()));
        services.TryAddKeyedSingleton<TokenCredential>(
            NotificationsAccountCredential.ServiceKey,
            (provider, _) => provider.GetRequiredService<NotificationsAccountCredential>());
        return services;
    }
}
