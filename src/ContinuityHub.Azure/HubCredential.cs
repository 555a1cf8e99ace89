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
    /// Registers the credential once, for the user-assigned identity named by <c>Storage:clientId</c>, else
    /// <c>ServiceBus:clientId</c> (see <see cref="For"/>).
    /// </summary>
    public static IServiceCollection AddHubCredential(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => For(
            provider.GetService<IOptions<StorageOptions>>()?.Value.ClientId
                ?? provider.GetService<IOptions<ServiceBusOptions>>()?.Value.ClientId));
        return services;
    }

    /// <summary>
    /// A client id names a known managed identity, so the credential is that identity and nothing else
    /// (<see cref="ManagedIdentityCredential"/>, as the Azure SDK's guidance gives for a known identity: no probing of
    /// environment, workload, CLI or developer credentials in production). Without one — a developer's machine, the
    /// CLI — it is <see cref="DefaultAzureCredential"/>: the developer's own sign-in.
    /// </summary>
    public static TokenCredential For(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
