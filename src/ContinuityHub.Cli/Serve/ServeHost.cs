using System.Runtime.InteropServices;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Http;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Azure.Scheduling;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Intake;
using ContinuityHub.Local;
using ContinuityHub.Reactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// <c>hub serve</c>: the Functions app's intake and incident routes on Kestrel, mapped to the same endpoints
/// (<see cref="IntakeEndpoint"/>, <see cref="IncidentEndpoint"/>) over the same services
/// (<see cref="HubServiceCollectionExtensions.AddContinuityHub"/>) and settings (<see cref="HubConfiguration"/>),
/// with the Functions app's scheduled work (<see cref="IScheduledWork"/>) running in-process. Runs until the token is cancelled (Ctrl+C).
/// </summary>
internal static class ServeHost
{
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>Where the local Teams sink writes Graph requests when no tenant is configured.</summary>
    public const string TeamsSinkSetting = "Teams:SinkDirectory";

    public const string DefaultTeamsSink = "./teams-sink/";

    /// <summary>The routes it answers, as the Functions app does.</summary>
    public const string Routes = $"POST /api/{IntakeEndpoint.Route}, GET /api/{IncidentEndpoint.Route}, GET|POST /api/{DecisionEndpoint.Route}, POST /api/{AutomationEndpoint.Route} POST /api/{HeartbeatEndpoint.Route}[/pause|/resume] and GET|POST /api/{MaintenanceEndpoint.Route}, DELETE /api/{MaintenanceEndpoint.ItemRoute}, POST /api/{ExerciseEndpoint.StartRoute}|end, GET /api/{ExerciseEndpoint.ItemRoute}, GET|POST /api/{ExerciseFindingsEndpoint.Route}, POST /api/{ExerciseFindingsEndpoint.CloseRoute}, GET /api/{LessonsEndpoint.Route}[/{{reviewId}}], POST /api/{LessonsEndpoint.ActionsRoute}";

    /// <summary>Without it (and no Graph:BaseUrl), Graph requests go to the local Teams sink.</summary>
    public const string GraphTenantSetting = $"{GraphOptions.SectionName}:{nameof(GraphOptions.TenantId)}";

    /// <summary>Where each setting-less channel goes instead, as <c>hub serve --help</c> says.</summary>
    public const string LocalSinks =
        $"Without {GraphTenantSetting}, Graph requests (the Teams messages and cards) are written to {TeamsSinkSetting} (default {DefaultTeamsSink}); "
        + $"without {ServiceBusOptions.SectionName}, PlanInvoked events to {LocalEventSink.Setting} (default {LocalEventSink.DefaultDirectory}).";

    public static async Task<int> RunAsync(string urls, string? storage, CliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        // Requests, the timer and this method all write; the writers given may not be thread-safe.
        var output = TextWriter.Synchronized(console.Out);
        var error = TextWriter.Synchronized(console.Error);

        var configuration = HubConfiguration.Build(storage);
        var settings = ServeSettings.Read(configuration);
        var addresses = settings.CheckUrls(urls);
        await using var serve = await StartAsync(configuration, settings, addresses, time, new CliLoggerProvider(error), cancellationToken);

        // The timers start once Kestrel listens, not as hosted services (which the host builds, and starts, before the
        // server binds): what they send is the first to read NotificationSettings, whose decision links must carry the
        // address bound (with port 0, known only now). Built earlier, the cards had no decision actions.
        using var timers = new ScheduledWorkTimer(serve.Schedules, time, serve.Services.GetRequiredService<ILogger<ScheduledWorkTimer>>());
        await timers.StartAsync(cancellationToken);
        await WriteBannerAsync(output, serve, configuration, addresses);

        // Ctrl+C cancels the command's token (Program.cs); a service manager's SIGTERM stops it the same way.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        await serve.App.WaitForShutdownAsync(stop.Token);
        await timers.StopAsync(CancellationToken.None);
        await output.WriteLineAsync("Stopped.");
        return HubCli.Ok;
    }

    /// <summary>
    /// The host started and listening, with the local Teams and events sinks when Graph and Service Bus are not
    /// configured; its scheduled work is not running (<see cref="RunAsync"/> starts the timers; <c>hub demo</c> runs
    /// the work itself on its simulated clock).
    /// </summary>
    public static async Task<RunningServe> StartAsync(
        IConfiguration configuration, ServeSettings settings, IReadOnlyList<string> addresses, TimeProvider time, ILoggerProvider logs, CancellationToken cancellationToken)
    {
        // Without a tenant (and no Graph of its own), Graph requests go to the local Teams sink: files, cards previewed as HTML.
        var graph = GraphOptions.FromConfiguration(configuration);
        var sink = !graph.HasTenant && string.IsNullOrWhiteSpace(graph.BaseUrl)
            ? await LocalGraph.StartAsync(Path.GetFullPath(configuration[TeamsSinkSetting] is { Length: > 0 } dir ? dir : DefaultTeamsSink), cancellationToken)
            : null;
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(ServeHost).Assembly.GetName().Name,
            });
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddConfiguration(configuration);
            builder.Configuration.AddInMemoryCollection([new(WebHostDefaults.ServerUrlsKey, string.Join(';', addresses))]);
            if (sink is not null)
            {
                builder.Configuration.AddInMemoryCollection([new($"{GraphOptions.SectionName}:{nameof(GraphOptions.BaseUrl)}", sink.BaseUrl.ToString())]);
            }

            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("System", LogLevel.Warning);
            builder.Logging.AddFilter("Azure", LogLevel.Warning);

            builder.Services.AddSingleton(time);
            builder.Services.AddSingleton<IHostLifetime, CliHostLifetime>();

            // Decision links point at this host unless Decisions:BaseUrl says otherwise (e.g. a tunnel's address).
            builder.Services.AddSingleton(provider =>
            {
                var notifications = NotificationServiceCollectionExtensions.ReadSettings(configuration.GetSection(NotificationServiceCollectionExtensions.DecisionsSection));
                var listening = provider.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
                return notifications.DecisionsBaseUrl is null && listening is not null
                    ? notifications with { DecisionsBaseUrl = new Uri(listening.TrimEnd('/') + "/") }
                    : notifications;
            });
            // Without Service Bus, PlanInvoked goes to the local events sink, the way Graph requests go to the Teams sink.
            var events = ServiceBusOptions.FromConfiguration(configuration).IsConfigured
                ? null
                : new LocalEventSink(Path.GetFullPath(configuration[LocalEventSink.Setting] is { Length: > 0 } eventsDir ? eventsDir : LocalEventSink.DefaultDirectory));
            if (events is not null)
            {
                builder.Services.AddSingleton<ContinuityHub.Notifications.IEventPublisher>(events);
            }

            // Without a source's BaseUrl, its write-back notes go to the local reactions sink, as Graph requests go to the Teams sink.
            var reactionSources = WriteBackSource.Supported.Select(source => WriteBackSource.Read(configuration, source)).ToList();
            var reactionsDirectory = Path.GetFullPath(configuration[LocalReactionsSink.Setting] is { Length: > 0 } reactionsDir ? reactionsDir : LocalReactionsSink.DefaultDirectory);
            // Automation requests go there too, unless Reactions:Automations:Send is true.
            var sendAutomations = string.Equals(configuration[LocalReactionsSink.SendAutomationsSetting], "true", StringComparison.OrdinalIgnoreCase);
            builder.Services.AddSingleton(provider => new LocalReactionsSink(
                reactionsDirectory,
                reactionSources,
                new HttpWriteBackGateway(
                    provider.GetRequiredService<IHttpClientFactory>(),
                    reactionSources,
                    provider.GetRequiredService<ILogger<HttpWriteBackGateway>>(),
                    provider.GetService<global::Azure.Core.TokenCredential>()),
                sendAutomations
                    ? new HttpAutomationGateway(
                        provider.GetRequiredService<IHttpClientFactory>(),
                        provider.GetRequiredService<IAutomationSecrets>(),
                        null,
                        provider.GetRequiredService<ILogger<HttpAutomationGateway>>())
                    : null));
            builder.Services.AddSingleton<IWriteBackGateway>(provider => provider.GetRequiredService<LocalReactionsSink>());
            builder.Services.AddSingleton<IAutomationGateway>(provider => provider.GetRequiredService<LocalReactionsSink>());

            builder.Services.AddContinuityHub(builder.Configuration);
            builder.Services.AddSingleton(settings);

            if (settings.ApiKey is null)
            {
                // Without a key the incident route trusts being on this machine: refuse other Host names, so a web page
                // cannot reach it through DNS rebinding.
                builder.Services.AddHostFiltering(o => o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]"]);
            }

            var app = builder.Build();
            try
            {
                if (settings.ApiKey is null)
                {
                    app.UseHostFiltering();
                }

                Map(app, settings);
                var catalog = await app.Services.GetRequiredService<ICatalogStore>().LoadAsync(cancellationToken);
                await app.StartAsync(cancellationToken);
                var schedules = app.Services.GetServices<IScheduledWork>().Select(w => ServeSchedule.For(w, configuration, settings)).ToList();
                return new RunningServe(app, sink, events, schedules, catalog);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
        catch
        {
            if (sink is not null)
            {
                await sink.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task WriteBannerAsync(TextWriter output, RunningServe serve, IConfiguration configuration, IReadOnlyList<string> addresses)
    {
        var (app, sink, events, settings) = (serve.App, serve.Sink, serve.Events, serve.Services.GetRequiredService<ServeSettings>());
        var graph = GraphOptions.FromConfiguration(configuration);
        var first = app.Urls.FirstOrDefault() ?? addresses[0];
        foreach (var url in app.Urls)
        {
            await output.WriteLineAsync($"Listening on {url}");
        }

        await output.WriteLineAsync($"  POST {first}/api/{IntakeEndpoint.Route}   webhooks, signed with Intake:Sources:{{source}}:Secret");
        await output.WriteLineAsync(settings.ApiKey is null
            ? $"  GET  {first}/api/{IncidentEndpoint.Route}    open to this machine ({ServeSettings.ApiKeySetting} is not set)"
            : $"  GET  {first}/api/{IncidentEndpoint.Route}    needs {ServeSettings.ApiKeySetting} in the {ApiKeyFilter.Header} header or ?{ApiKeyFilter.Query}=");
        await output.WriteLineAsync($"  GET|POST {first}/api/{MaintenanceEndpoint.Route}, DELETE {first}/api/{MaintenanceEndpoint.ItemRoute}   maintenance windows beside the catalogue's ({(settings.ApiKey is null ? "open to this machine" : "needs " + ServeSettings.ApiKeySetting)})");
        await output.WriteLineAsync($"  POST {first}/api/{ExerciseEndpoint.StartRoute}|end, GET {first}/api/{ExerciseEndpoint.ItemRoute}[/findings]   exercises played on this hub, their findings ({(settings.ApiKey is null ? "open to this machine" : "needs " + ServeSettings.ApiKeySetting)})");
        await output.WriteLineAsync($"  GET {first}/api/{LessonsEndpoint.Route}[/{{reviewId}}], POST {first}/api/{LessonsEndpoint.ActionsRoute}   post-incident reviews and their corrective actions ({(settings.ApiKey is null ? "open to this machine" : "needs " + ServeSettings.ApiKeySetting)})");
        await output.WriteLineAsync($"  GET|POST {first}/api/{DecisionEndpoint.Route}   decision links on the Teams cards (signed, single use)");
        await output.WriteLineAsync($"  POST {first}/api/{AutomationEndpoint.Route}   automation callbacks: started, succeeded, failed (signed, once per status)");
        await output.WriteLineAsync($"  POST {first}/api/{HeartbeatEndpoint.Route}[/pause|/resume]   heartbeats of backup and replication jobs (X-Hub-Token: Intake:Sources:heartbeat:Secret)");
        await output.WriteLineAsync(DescribeSources(configuration));
        await output.WriteLineAsync(sink is not null
            ? $"Teams: no Graph tenant ({GraphTenantSetting}); Graph requests are written to {sink.SinkDirectory}, each card also as HTML"
                + (AdaptiveCardsLibrary.Locate() is null ? " (to see them rendered, run `npm ci` in infra/: previews use the official Adaptive Cards renderer)." : " rendered by the official Adaptive Cards renderer.")
            : graph.HasTenant ? $"Teams: Microsoft Graph, tenant {graph.TenantId}." : $"Teams: Graph at {graph.BaseUrl}.");
        if (events is not null)
        {
            await output.WriteLineAsync($"Events: no Service Bus ({ServiceBusOptions.SectionName}); PlanInvoked events are written to {events.Directory}.");
        }

        if (app.Services.GetRequiredService<IWriteBackGateway>() is LocalReactionsSink reactions)
        {
            var live = reactions.Live.Select(CatalogNames.Name).ToList();
            var sunk = WriteBackSource.Supported.Select(CatalogNames.Name).Except(live, StringComparer.Ordinal).ToList();
            await output.WriteLineAsync(
                (sunk.Count > 0 ? $"Reactions: notes back to {string.Join(", ", sunk)} are written to {reactions.Directory} ({WriteBackSource.SectionName}:{{source}}:BaseUrl sends them)" : "Reactions:")
                + (live.Count > 0 ? $"{(sunk.Count > 0 ? ";" : string.Empty)} notes back to {string.Join(", ", live)} are sent." : "."));
            await output.WriteLineAsync(reactions.SendsAutomations
                ? "Automations: plans' automation requests are sent (Reactions:Automations:Send is true)."
                : $"Automations: plans' automation requests are written to {reactions.Directory} ({LocalReactionsSink.SendAutomationsSetting}=true sends them).");
        }

        foreach (var off in app.Services.GetRequiredService<ContinuityHub.Notifications.NotificationChannels>().OffLines())
        {
            await output.WriteLineAsync($"  {off}.");
        }

        await output.WriteLineAsync(serve.Catalog.Services.Count == 0
            ? "Catalogue: empty. Incidents will impact no service until one is imported: hub catalog import infra/seed/catalog.yaml"
            : $"Catalogue: {serve.Catalog.Services.Count} services, {serve.Catalog.Plans.Count} plans.");
        await output.WriteLineAsync("Scheduled work, as the Functions timers:");
        foreach (var schedule in serve.Schedules)
        {
            await output.WriteLineAsync(schedule.Work is IncidentQueueDrainWork { IsEnabled: false }
                ? $"  {schedule.Work.Name}: off (ServiceBus is not set)"
                : $"  {schedule.Work.Name}: {schedule.Text}");
        }

        await output.WriteLineAsync("Press Ctrl+C to stop.");
    }

    private static void Map(WebApplication app, ServeSettings settings)
    {
        var api = app.MapGroup("/api");
        api.MapPost(
            "/" + IntakeEndpoint.Route,
            (string source, HttpRequest request, [FromServices] IntakeEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.HandleAsync(source, request, cancellationToken));
        var incidents = api.MapGet(
            "/" + IncidentEndpoint.Route,
            (string key, HttpRequest request, [FromServices] IncidentEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.GetAsync(key, request, cancellationToken));
        var maintenance = new[]
        {
            api.MapPost(
                "/" + MaintenanceEndpoint.Route,
                (HttpRequest request, [FromServices] MaintenanceEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.AddAsync(request, cancellationToken)),
            api.MapGet(
                "/" + MaintenanceEndpoint.Route,
                (HttpRequest request, [FromServices] MaintenanceEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.ListAsync(request, cancellationToken)),
            api.MapDelete(
                "/" + MaintenanceEndpoint.ItemRoute,
                (string id, HttpRequest request, [FromServices] MaintenanceEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.CancelAsync(id, request, cancellationToken)),
            api.MapPost(
                "/" + ExerciseEndpoint.StartRoute,
                (string id, HttpRequest request, [FromServices] ExerciseEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.StartAsync(id, request, cancellationToken)),
            api.MapPost(
                "/" + ExerciseEndpoint.EndRoute,
                (string id, HttpRequest request, [FromServices] ExerciseEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.EndAsync(id, request, cancellationToken)),
            api.MapPost(
                "/" + ExerciseFindingsEndpoint.Route,
                (string id, HttpRequest request, [FromServices] ExerciseFindingsEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.AddAsync(id, request, cancellationToken)),
            api.MapGet(
                "/" + ExerciseFindingsEndpoint.Route,
                (string id, HttpRequest request, [FromServices] ExerciseFindingsEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.ListAsync(id, request, cancellationToken)),
            api.MapPost(
                "/" + ExerciseFindingsEndpoint.CloseRoute,
                (string id, string findingId, HttpRequest request, [FromServices] ExerciseFindingsEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.CloseAsync(id, findingId, request, cancellationToken)),
            api.MapGet(
                "/" + LessonsEndpoint.Route,
                (HttpRequest request, [FromServices] LessonsEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.ListAsync(request, cancellationToken)),
            api.MapGet(
                "/" + LessonsEndpoint.ItemRoute,
                (string reviewId, HttpRequest request, [FromServices] LessonsEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.GetAsync(reviewId, request, cancellationToken)),
            api.MapPost(
                "/" + LessonsEndpoint.ActionsRoute,
                (string reviewId, HttpRequest request, [FromServices] LessonsEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.AddActionAsync(reviewId, request, cancellationToken)),
            api.MapGet(
                "/" + ExerciseEndpoint.ItemRoute,
                (string id, HttpRequest request, [FromServices] ExerciseEndpoint endpoint, CancellationToken cancellationToken) =>
                    endpoint.GetAsync(id, request, cancellationToken)),
        };
        if (settings.ApiKey is { } apiKey)
        {
            incidents.AddEndpointFilter(new ApiKeyFilter(apiKey));
            foreach (var route in maintenance)
            {
                route.AddEndpointFilter(new ApiKeyFilter(apiKey));
            }
        }

        // The signed link is the authentication, as in the Functions app (anonymous there too).
        api.MapMethods(
            "/" + DecisionEndpoint.Route,
            [HttpMethods.Get, HttpMethods.Post],
            (string token, HttpRequest request, [FromServices] DecisionEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.HandleAsync(token, request, cancellationToken));
        api.MapPost(
            "/" + HeartbeatEndpoint.Route,
            (string serviceId, string name, HttpRequest request, [FromServices] HeartbeatEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.BeatAsync(serviceId, name, request, cancellationToken));
        api.MapPost(
            "/" + HeartbeatEndpoint.PauseRoute,
            (string serviceId, string name, HttpRequest request, [FromServices] HeartbeatEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.PauseAsync(serviceId, name, request, cancellationToken));
        api.MapPost(
            "/" + HeartbeatEndpoint.ResumeRoute,
            (string serviceId, string name, HttpRequest request, [FromServices] HeartbeatEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.ResumeAsync(serviceId, name, request, cancellationToken));
        api.MapPost(
            "/" + AutomationEndpoint.Route,
            (string token, HttpRequest request, [FromServices] AutomationEndpoint endpoint, CancellationToken cancellationToken) =>
                endpoint.PostAsync(token, request, cancellationToken));

        app.MapFallback((HttpContext context) => HttpProblems.Create(
            context,
            StatusCodes.Status404NotFound,
            "Not found",
            $"hub serve answers {Routes}."));
    }

    /// <summary>Which sources have a secret (and so are taken), and which are refused until they get one.</summary>
    private static string DescribeSources(IConfiguration configuration)
    {
        var configured = new List<string>();
        var missing = new List<string>();
        foreach (var parser in IncidentParsers.All.OrderBy(p => p.Source))
        {
            var name = CatalogNames.Name(parser.Source);
            (string.IsNullOrEmpty(configuration[WebhookAuthenticator.SecretSetting(parser.Source)]) ? missing : configured).Add(name);
        }

        var taken = configured.Count == 0 ? "none" : string.Join(", ", configured);
        return missing.Count == 0
            ? $"Sources: {taken}."
            : $"Sources: {taken}; not configured (refused with 401 until Intake:Sources:{{source}}:Secret is set): {string.Join(", ", missing)}.";
    }
}
