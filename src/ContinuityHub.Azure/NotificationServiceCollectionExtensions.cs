using System.Globalization;
using System.Xml;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure;

public static partial class NotificationServiceCollectionExtensions
{
    public const string DecisionsSection = "Decisions";

    public const string TeamsSection = "Teams";

    /// <summary>
    /// Registers the Teams notifications: Microsoft Graph (<see cref="GraphServiceCollectionExtensions.AddContinuityHubGraph"/>),
    /// the notifications account, document links, <see cref="NotificationSettings"/> and <see cref="DecisionTokens"/>
    /// from the <c>Decisions</c> section, the sender (also the <see cref="IOutboxDispatcher"/> the intake calls), the
    /// escalation and decision services.
    /// </summary>
    public static IServiceCollection AddContinuityHubNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddContinuityHubGraph(configuration);
        services.AddNotificationsAccount(configuration);
        services.AddDocumentLinks();
        services.TryAddSingleton(_ => ReadSettings(configuration.GetSection(DecisionsSection)));
        services.TryAddSingleton(provider => CreateTokens(configuration.GetSection(DecisionsSection), provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(provider => ReadChannels(GraphOptions.FromConfiguration(configuration), provider.GetRequiredService<IEventPublisher>()));
        services.TryAddSingleton<NotificationSender>();
        services.TryAddSingleton<IOutboxDispatcher>(provider => provider.GetRequiredService<NotificationSender>());
        services.TryAddSingleton(provider => new ReportAnnouncer(
            provider.GetRequiredService<ITeamsGateway>(),
            provider.GetRequiredService<INotificationLedger>(),
            provider.GetRequiredService<IDocumentLinks>(),
            provider.GetRequiredService<ContinuityHub.Reporting.ReportService>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ReportAnnouncer>>(),
            ReadContinuityChannel(configuration.GetSection(TeamsSection))));
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

    /// <summary>
    /// The continuity channel the report's summary card goes to: <c>Teams:ContinuityTeamId</c> and
    /// <c>Teams:ContinuityChannelId</c>, both or neither (then no summary card is posted).
    /// </summary>
    public static ContinuityChannel? ReadContinuityChannel(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var team = section["ContinuityTeamId"]?.Trim();
        var channel = section["ContinuityChannelId"]?.Trim();
        return (string.IsNullOrEmpty(team), string.IsNullOrEmpty(channel)) switch
        {
            (true, true) => null,
            (false, false) => new ContinuityChannel(team!, channel!),
            (true, false) => throw new InvalidOperationException("Teams:ContinuityTeamId must be set with Teams:ContinuityChannelId (the team the continuity channel belongs to)."),
            _ => throw new InvalidOperationException("Teams:ContinuityChannelId must be set with Teams:ContinuityTeamId (the channel the report's summary card goes to)."),
        };
    }

    /// <summary><c>Decisions:BaseUrl</c> and <c>Decisions:TokenLifetime</c>; a bad value fails with the setting named.</summary>
    public static NotificationSettings ReadSettings(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var settings = NotificationSettings.Default;
        if (section["BaseUrl"] is { Length: > 0 } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                throw new InvalidOperationException($"Decisions:BaseUrl '{baseUrl}' must be the hub's absolute https address (http only on loopback).");
            }

            settings = settings with { DecisionsBaseUrl = uri };
        }

        if (section["TokenLifetime"] is { Length: > 0 } lifetime)
        {
            var parsed = Durations.TryParse(lifetime, out var value) ? value : TryIso(lifetime);
            if (parsed is not { } ok || ok <= TimeSpan.Zero || ok > TimeSpan.FromDays(7))
            {
                throw new InvalidOperationException($"Decisions:TokenLifetime '{lifetime}': {Durations.Expected}, at most 7d.");
            }

            settings = settings with { TokenLifetime = ok };
        }

        return settings;
    }

    /// <summary>
    /// The decision-link signer from <c>Decisions:SigningKey</c> (base64, at least 32 bytes; a Key Vault reference in
    /// Azure). Without one, a random key for this process only, with a warning: links then die with the process.
    /// </summary>
    public static DecisionTokens CreateTokens(IConfigurationSection section, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(loggers);
        var text = section["SigningKey"];
        if (string.IsNullOrWhiteSpace(text))
        {
            Log.EphemeralSigningKey(loggers.CreateLogger<DecisionTokens>());
            return new DecisionTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Decisions:SigningKey is an unresolved Key Vault reference: check the app's identity can read the secret.");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Decisions:SigningKey must be base64 (e.g. openssl rand -base64 32).");
        }

        return key.Length >= DecisionTokens.MinKeyBytes
            ? new DecisionTokens(key)
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Decisions:SigningKey is {key.Length} bytes; it must be at least {DecisionTokens.MinKeyBytes} (openssl rand -base64 32)."));
    }

    private static TimeSpan? TryIso(string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6500, Level = LogLevel.Warning,
            Message = "Decisions:SigningKey is not set: decision links are signed with a key of this process only and stop working when it stops")]
        public static partial void EphemeralSigningKey(ILogger logger);
    }
}
