using Azure.Core;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Reporting;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
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
    /// <see cref="TableCatalogStore"/>, <see cref="IMaintenanceStore"/> as <see cref="TableMaintenanceStore"/>, <see cref="IDocumentStore"/> as <see cref="BlobDocumentStore"/>, the intake's
    /// <see cref="IIncidentStore"/> as <see cref="TableIncidentStore"/>, <see cref="IPayloadArchive"/> as
    /// <see cref="BlobPayloadArchive"/>, <see cref="IAuditLog"/> as <see cref="TableAuditLog"/>, the reports'
    /// <see cref="IReportStore"/> as <see cref="BlobReportStore"/>, the notifications' <see cref="IAlertStore"/> as
    /// <see cref="TableAlertStore"/> and <see cref="INotificationLedger"/> as <see cref="TableNotificationLedger"/>, and <see cref="TimeProvider.System"/> unless a
    /// clock is registered already.
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

        services.AddHubCredential();
        services.TryAddSingleton(provider => StorageClients.Create(
            provider.GetRequiredService<IOptions<StorageOptions>>().Value,
            provider.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<ICatalogStore>(provider => new TableCatalogStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<TableCatalogStore>>()));
        services.TryAddSingleton<IMaintenanceStore>(provider => new TableMaintenanceStore(provider.GetRequiredService<StorageClients>()));
        services.TryAddSingleton<IDocumentStore>(provider => new BlobDocumentStore(
            provider.GetRequiredService<StorageClients>(),
            provider.GetRequiredService<ILogger<BlobDocumentStore>>()));
        services.TryAddSingleton<IIncidentStore>(provider => new TableIncidentStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<TableIncidentStore>>()));
        services.TryAddSingleton<IPayloadArchive>(provider => new BlobPayloadArchive(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<BlobPayloadArchive>>()));
        services.TryAddSingleton<IAuditLog>(provider => new TableAuditLog(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<TableAuditLog>>()));
        services.TryAddSingleton<IReportStore>(provider => new BlobReportStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<BlobReportStore>>()));
        services.TryAddSingleton<IAlertStore>(provider => new TableAlertStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<TableAlertStore>>()));
        services.TryAddSingleton<INotificationLedger>(provider => new TableNotificationLedger(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<TableNotificationLedger>>()));
        services.TryAddSingleton<ContinuityHub.Heartbeats.IHeartbeatStore>(provider => new Heartbeats.TableHeartbeatStore(provider.GetRequiredService<StorageClients>()));
        services.TryAddSingleton<ContinuityHub.Exercises.IExerciseRunStore>(provider => new Exercises.TableExerciseRunStore(provider.GetRequiredService<StorageClients>()));
        services.TryAddSingleton<ContinuityHub.Exercises.IFindingStore>(provider => new Exercises.TableFindingStore(provider.GetRequiredService<StorageClients>()));
        services.TryAddSingleton<ContinuityHub.Lessons.IReviewStore>(provider => new Lessons.TableReviewStore(provider.GetRequiredService<StorageClients>()));
        services.TryAddSingleton<ContinuityHub.Lessons.IReviewDocumentStore>(provider => new Lessons.BlobReviewDocumentStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<BlobReportStore>>()));
        services.TryAddSingleton<ContinuityHub.Exercises.IExerciseReportStore>(provider => new Exercises.BlobExerciseReportStore(
            provider.GetRequiredService<StorageClients>(),
            logger: provider.GetRequiredService<ILogger<BlobReportStore>>()));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
