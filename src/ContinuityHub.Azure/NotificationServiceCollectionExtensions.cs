using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Catalog;
using ContinuityHub.Reactions;
using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure;

public static partial class NotificationServiceCollectionExtensions
{
    public const string DecisionsSection = DecisionsOptions.SectionName;

    public const string TeamsSection = TeamsOptions.SectionName;

    /// <summary>
    /// Registers the Teams notifications: Microsoft Graph (<see cref="GraphServiceCollectionExtensions.AddContinuityHubGraph"/>),
    /// the notifications account, document links, <see cref="NotificationSettings"/> and <see cref="DecisionTokens"/>
    /// from the <c>Decisions</c> section, the sender (also the <see cref="IOutboxDispatcher"/> decisions and escalations call; the intake's is
    /// <see cref="BackgroundOutboxDispatcher"/>, which delivers off the request path in a running host), the
    /// escalation and decision services.
    /// </summary>
    public static IServiceCollection AddContinuityHubNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddContinuityHubGraph(configuration);
        services.AddNotificationsAccount(configuration);
        services.AddDocumentLinks();
        services.AddOptions<DecisionsOptions>().Bind(configuration.GetSection(DecisionsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TeamsOptions>().Bind(configuration.GetSection(TeamsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(_ => ReadSettings(configuration.GetSection(DecisionsSection)));
        services.TryAddSingleton(provider => CreateTokens(configuration.GetSection(DecisionsSection), provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<ContinuityHub.Reporting.IReactionCounter, LedgerReactionCounter>();
        services.AddHttpClient(HttpWriteBackGateway.ClientName, client => client.Timeout = TimeSpan.FromSeconds(60))
            .AddResilienceHandler(HttpWriteBackGateway.ClientName, HttpWriteBackGateway.Resilience);
        services.TryAddSingleton<IWriteBackGateway>(provider => new HttpWriteBackGateway(
            provider.GetRequiredService<IHttpClientFactory>(),
            WriteBackSource.Supported.Select(source => WriteBackSource.Read(configuration, source)),
            provider.GetRequiredService<ILogger<HttpWriteBackGateway>>(),
            provider.GetService<global::Azure.Core.TokenCredential>()));
        services.AddHttpClient(HttpAutomationGateway.ClientName, client => client.Timeout = TimeSpan.FromSeconds(60))
            .AddResilienceHandler(HttpAutomationGateway.ClientName, HttpWriteBackGateway.Resilience);
        services.TryAddSingleton<IAutomationSecrets>(provider => new AutomationSecrets(
            configuration, provider.GetService<global::Azure.Core.TokenCredential>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IAutomationGateway>(provider => new HttpAutomationGateway(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IAutomationSecrets>(),
            ServiceBusSenders(provider),
            provider.GetRequiredService<ILogger<HttpAutomationGateway>>()));
        services.TryAddSingleton(provider => new AutomationTokens(provider.GetRequiredService<DecisionTokens>()));
        services.TryAddSingleton<AutomationCallbackService>();
        services.TryAddSingleton<AutomationTimeoutService>();
        services.TryAddSingleton<MaintenanceNotices>();
        services.TryAddSingleton(provider => ReadChannels(GraphOptions.FromConfiguration(configuration), provider.GetRequiredService<IEventPublisher>()) with
        {
            WriteBackOff = WriteBackOff(configuration, provider.GetRequiredService<IWriteBackGateway>()),
        });
        services.TryAddSingleton<NotificationSender>();
        services.TryAddSingleton<IOutboxDispatcher>(provider => provider.GetRequiredService<NotificationSender>());

        // The intake's own: it answers the webhook first and delivers after, off the request path.
        services.TryAddSingleton<BackgroundOutboxDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<BackgroundOutboxDispatcher>());
        services.TryAddSingleton(provider => new ReportAnnouncer(
            provider.GetRequiredService<ITeamsGateway>(),
            provider.GetRequiredService<INotificationLedger>(),
            provider.GetRequiredService<IDocumentLinks>(),
            provider.GetRequiredService<ContinuityHub.Reporting.ReportService>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ReportAnnouncer>>(),
            ReadContinuityChannel(configuration.GetSection(TeamsSection))));
        services.TryAddSingleton(provider => new ExerciseAnnouncer(
            provider.GetRequiredService<ITeamsGateway>(),
            provider.GetRequiredService<IDocumentLinks>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ExerciseAnnouncer>>(),
            ReadContinuityChannel(configuration.GetSection(TeamsSection))));
        services.TryAddSingleton<ContinuityHub.Lessons.ReviewService>();
        services.TryAddSingleton<ContinuityHub.Reporting.IReviewSource>(provider => provider.GetRequiredService<ContinuityHub.Lessons.ReviewService>());
        services.TryAddSingleton<EscalationService>();
        services.TryAddSingleton<DecisionService>();
        return services;
    }

    /// <summary>
    /// The optional channels and why each is off: no bridge without <c>Graph:MeetingOrganizer</c>, no e-mail fallback
    /// without <c>Graph:MailSender</c>, no <c>PlanInvoked</c> events without Service Bus (unless the host brought an
    /// event publisher of its own, as <c>hub serve</c>'s local events sink).
    /// </summary>
    public static NotificationChannels ReadChannels(GraphOptions graph, IEventPublisher events)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new NotificationChannels(
            string.IsNullOrWhiteSpace(graph.MeetingOrganizer) ? "Graph:MeetingOrganizer is empty (the user who organizes bridge meetings)" : null,
            string.IsNullOrWhiteSpace(graph.MailSender) ? "Graph:MailSender is empty (the shared mailbox the fallback is sent from)" : null,
            events is ServiceBus.UnconfiguredEventPublisher
                ? "Service Bus is not configured (ServiceBus:fullyQualifiedNamespace, or ServiceBus as a connection string)"
                : null);
    }

    /// <summary>Senders to the automations' queues and topics, when the hub has a Service Bus namespace.</summary>
    private static Func<string, global::Azure.Messaging.ServiceBus.ServiceBusSender>? ServiceBusSenders(IServiceProvider provider) =>
        provider.GetService<Microsoft.Extensions.Options.IOptions<ServiceBus.ServiceBusOptions>>()?.Value is { IsConfigured: true }
            ? entity => provider.GetRequiredService<global::Azure.Messaging.ServiceBus.ServiceBusClient>().CreateSender(entity)
            : null;

    /// <summary>Each source the hub could write back to whose write-back is off, with the setting that turns it on.</summary>
    public static IReadOnlyList<string> WriteBackOff(IConfiguration configuration, IWriteBackGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return [.. WriteBackSource.Supported.Where(source => !gateway.IsOn(source)).Select(source => $"{CatalogNames.Name(source)} off: {WriteBackSource.Read(configuration, source).Missing}")];
    }

    /// <summary>The continuity channel of <see cref="TeamsOptions"/>, or null: both ids or neither.</summary>
    public static ContinuityChannel? ReadContinuityChannel(IConfigurationSection section) => TeamsOptions.FromConfiguration(section).Channel();

    /// <summary>The settings of <see cref="DecisionsOptions"/>; a malformed value fails with the setting named.</summary>
    public static NotificationSettings ReadSettings(IConfigurationSection section) => DecisionsOptions.FromConfiguration(section).ToSettings();

    /// <summary>
    /// The decision-link signer from <c>Decisions:SigningKey</c> (<see cref="DecisionsOptions"/>). Without one, a random
    /// key for this process only, with a warning: links then die with the process.
    /// </summary>
    public static DecisionTokens CreateTokens(IConfigurationSection section, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        if (DecisionsOptions.FromConfiguration(section).Key() is { } key)
        {
            return new DecisionTokens(key);
        }

        Log.EphemeralSigningKey(loggers.CreateLogger<DecisionTokens>());
        return new DecisionTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6500, Level = LogLevel.Warning,
            Message = "Decisions:SigningKey is not set: decision links are signed with a key of this process only and stop working when it stops")]
        public static partial void EphemeralSigningKey(ILogger logger);
    }
}
