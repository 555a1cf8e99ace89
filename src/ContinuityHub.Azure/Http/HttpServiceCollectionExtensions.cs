using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ContinuityHub.Azure.Http;

public static class HttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers the HTTP endpoints both hosts map (<see cref="IntakeEndpoint"/>, <see cref="IncidentEndpoint"/>, <see cref="DecisionEndpoint"/>, <see cref="AutomationEndpoint"/>, <see cref="HeartbeatEndpoint"/>, <see cref="MaintenanceEndpoint"/>);
    /// the services they use come from <see cref="HubServiceCollectionExtensions.AddContinuityHub"/>.
    /// </summary>
    public static IServiceCollection AddContinuityHubHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RefusalAudit>();
        services.AddHostedService(provider => provider.GetRequiredService<RefusalAudit>());
        services.TryAddSingleton<IntakeEndpoint>();
        services.TryAddSingleton<IncidentEndpoint>();
        services.TryAddSingleton<DecisionEndpoint>();
        services.TryAddSingleton<AutomationEndpoint>();
        services.TryAddSingleton<HeartbeatEndpoint>();
        services.TryAddSingleton<MaintenanceEndpoint>();
        services.TryAddSingleton<ExerciseEndpoint>();
        services.TryAddSingleton<ExerciseFindingsEndpoint>();
        services.TryAddSingleton<LessonsEndpoint>();
        return services;
    }
}
