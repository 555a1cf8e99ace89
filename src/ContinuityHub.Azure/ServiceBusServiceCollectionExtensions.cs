using Azure.Core;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure;

public static class ServiceBusServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Service Bus intake: <see cref="ServiceBusOptions"/> (validated on start), one
    /// <see cref="ServiceBusClient"/> (from the connection string, or the namespace and the hub's one
    /// <see cref="TokenCredential"/>) and <see cref="IncidentQueueDrainer"/> on a peek-lock receiver of the incident
    /// queue, and <see cref="IEventPublisher"/> as <see cref="ServiceBusEventPublisher"/> on a sender for the
    /// <c>ServiceBus:EventsTopic</c> topic (<c>continuity-events</c>). With no ServiceBus setting the drainer is
    /// registered disabled and the publisher refuses every event with a message naming the setting (the outbox keeps
    /// the event), so a local host without a namespace still starts; resolving <see cref="ServiceBusClient"/> itself
    /// then fails with a message naming the setting.
    /// Needs <see cref="IntakeService"/> from <c>AddContinuityHub</c>.
    /// </summary>
    public static IServiceCollection AddContinuityHubServiceBus(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLogging();
        services.AddOptions<ServiceBusOptions>()
            .Configure(options => options.Read(configuration.GetSection(ServiceBusOptions.SectionName)))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddHubCredential();
        services.TryAddSingleton(provider => CreateClient(
            provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value,
            provider.GetRequiredService<TokenCredential>(),
            provider.GetService<IOptions<StorageOptions>>()?.Value.ClientId));
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
            var receiver = options.IsConfigured
                ? provider.GetRequiredService<ServiceBusClient>().CreateReceiver(
                    options.IncidentQueue,
                    new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 })
                : null;
            return new IncidentQueueDrainer(
                receiver,
                provider.GetRequiredService<IntakeService>(),
                options,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<IncidentQueueDrainer>>());
        });
        services.TryAddSingleton<IEventPublisher>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
            return options.IsConfigured
                ? new ServiceBusEventPublisher(
                    provider.GetRequiredService<ServiceBusClient>().CreateSender(options.EventsTopic),
                    provider.GetRequiredService<ILogger<ServiceBusEventPublisher>>())
                : new UnconfiguredEventPublisher();
        });
        return services;
    }

    /// <summary>
    /// The client <paramref name="options"/> describe: from the connection string, else from the namespace and the
    /// hub's credential; a <c>ServiceBus:clientId</c> other than the one the storage (and so the registered
    /// credential) uses gets a credential of its own, as Functions does per connection.
    /// </summary>
    internal static ServiceBusClient CreateClient(ServiceBusOptions options, TokenCredential credential, string? credentialClientId)
    {
        if (options.ConnectionString is { } connectionString)
        {
            return new ServiceBusClient(connectionString);
        }

        if (options.FullyQualifiedNamespace is not { } fullyQualifiedNamespace)
        {
            throw new InvalidOperationException(
                $"Service Bus is not configured: set {ServiceBusOptions.SectionName} to a connection string, or {ServiceBusOptions.SectionName}:fullyQualifiedNamespace (environment {ServiceBusOptions.SectionName}__fullyQualifiedNamespace).");
        }

        if (options.ClientId is { } clientId && !string.Equals(clientId, credentialClientId, StringComparison.OrdinalIgnoreCase))
        {
            credential = HubCredential.For(clientId);
        }

        return new ServiceBusClient(fullyQualifiedNamespace, credential);
    }
}
