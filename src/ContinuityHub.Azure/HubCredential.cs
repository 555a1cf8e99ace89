using Azure.Core;
using Azure.Identity;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Azure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure;

/// <summary>The hub's one <see cref="TokenCredential"/>, from which every Azure client is built (STYLE 6).</summary>
internal static class HubCredential
{
    /// <summary>
    /// Registers <see cref="DefaultAzureCredential"/> once (managed identity in Azure, the developer's sign-in locally),
    /// for the user-assigned identity named by <c>Storage:clientId</c>, else <c>ServiceBus:clientId</c>.
    /// </summary>
    public static IServiceCollection AddHubCredential(this IServiceCollection services)
    {
        services.TryAddSingleton<TokenCredential>(provider => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = provider.GetService<IOptions<StorageOptions>>()?.Value.ClientId
                ?? provider.GetService<IOptions<ServiceBusOptions>>()?.Value.ClientId,
        }));
        return services;
    }
}
