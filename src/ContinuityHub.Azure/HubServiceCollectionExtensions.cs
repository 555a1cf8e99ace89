using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContinuityHub.Azure;

/// <summary>The one registration both hosts (the Functions app and <c>hub</c>) call, so behaviour never forks.</summary>
public static class HubServiceCollectionExtensions
{
    public static IServiceCollection AddContinuityHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddContinuityHubStorage(configuration);
        services.TryAddSingleton<CatalogImporter>();
        services.TryAddSingleton<ICatalogProvider, CachedCatalogProvider>();
        services.TryAddSingleton(provider => ActivatorUtilities.CreateInstance<IntakeService>(
            provider, (IOutboxDispatcher)provider.GetRequiredService<Notifications.BackgroundOutboxDispatcher>()));
        services.TryAddSingleton<ReassessService>();
        services.TryAddSingleton<ContinuityHub.Heartbeats.HeartbeatService>();
        services.TryAddSingleton<ContinuityHub.Assessment.MaintenanceService>();
        services.TryAddSingleton<IRpoExposureSource, Reporting.HeartbeatExposureSource>();
        services.TryAddSingleton<IntakeRedriveService>();
        services.TryAddSingleton<ReportService>();
        services.TryAddSingleton<ContinuityHub.Exercises.ExerciseRunService>();
        services.TryAddSingleton<ContinuityHub.Exercises.FindingService>();
        services.AddContinuityHubServiceBus(configuration);
        services.AddContinuityHubNotifications(configuration);
        services.AddContinuityHubHttp();
        services.AddScheduledWork();
        return services;
    }
}
