using System.Collections.Concurrent;
using System.Reflection;
using ContinuityHub.Functions.Tests.Deployment;
using ContinuityHub.Intake;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Functions.Tests.Worker;

/// <summary>
/// The worker's host built exactly as <c>Program.cs</c> builds it (<see cref="FunctionsAppComposition"/>), with the
/// arguments the Functions host starts the worker with and the app settings the compiled Bicep template deploys.
/// Everything the host would construct at start is constructed here: a package that breaks start-up (a type that no
/// longer loads, a service that can no longer be built) fails this test, not the first deploy.
/// </summary>
[Collection(nameof(BicepTemplates))]
public partial class FunctionsAppStartupTests(BicepFixture bicep)
{
    /// <summary>The command line the Functions host gives the worker (both the old and the new switch names).</summary>
    internal static string[] HostArguments(Uri hostEndpoint, string workerId, string requestId) =>
    [
        "--host", hostEndpoint.Host, "--port", hostEndpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", "2147483647",
        "--functions-uri", hostEndpoint.AbsoluteUri, "--functions-worker-id", workerId,
        "--functions-request-id", requestId, "--functions-grpc-max-message-length", "2147483647",
    ];

    [Fact]
    public void Worker_host_composed_as_Program_does_builds_every_service_with_the_deployed_settings()
    {
        using var app = StartupHost.Build(DeployedAppSettings.Values(bicep.CompiledTemplate()));

        // What Host.StartAsync does first: the options marked ValidateOnStart are validated.
        app.Host.Services.GetService<IStartupValidator>()?.Validate();
        using var scope = app.Host.Services.CreateScope();
        var failures = new List<string>();
        foreach (var descriptor in app.Services.Where(StartupHost.IsBuiltAtStart))
        {
            try
            {
                var service = descriptor.IsKeyedService
                    ? scope.ServiceProvider.GetRequiredKeyedService(descriptor.ServiceType, descriptor.ServiceKey)
                    : scope.ServiceProvider.GetRequiredService(descriptor.ServiceType);
                Assert.NotNull(service);
            }
            catch (Exception e) when (e is InvalidOperationException or TypeLoadException or MissingMethodException or FileNotFoundException or TargetInvocationException or ArgumentException)
            {
                failures.Add($"{descriptor.ServiceType.FullName}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, "services the host could not build:\n" + string.Join('\n', failures));
        Assert.NotEmpty(scope.ServiceProvider.GetServices<IHostedService>());
    }

    [Fact]
    public void Every_function_class_and_the_middleware_are_activated_from_the_worker_container()
    {
        using var app = StartupHost.Build(DeployedAppSettings.Values(bicep.CompiledTemplate()));
        using var scope = app.Host.Services.CreateScope();

        var functionClasses = StartupHost.FunctionClasses();
        Assert.Equal(["DecisionFunctions", "ExerciseFunctions", "HeartbeatFunctions", "IntakeFunctions", "LessonsFunctions", "MaintenanceFunctions", "TimerFunctions"], functionClasses.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(functionClasses, type => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)));
        var middleware = typeof(FunctionsAppComposition).Assembly.GetType("ContinuityHub.Functions.ExceptionLoggingMiddleware", throwOnError: true)!;
        Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, middleware));
    }

    [Fact]
    public void Information_logs_of_the_hub_reach_Application_Insights()
    {
        var channel = new RecordingTelemetryChannel();
        using var app = StartupHost.Build(
            DeployedAppSettings.Values(bicep.CompiledTemplate()),
            services => services.AddSingleton<ITelemetryChannel>(channel));

        var logger = app.Host.Services.GetRequiredService<ILogger<IntakeService>>();
        AcceptedForTest(logger);
        BelowDefaultLevel(logger);

        var trace = Assert.Single(channel.Items.OfType<TraceTelemetry>(), t => t.Message.Contains("start-up test", StringComparison.Ordinal));
        Assert.Equal(SeverityLevel.Information, trace.SeverityLevel);
        Assert.DoesNotContain(channel.Items.OfType<TraceTelemetry>(), t => t.Message.Contains("Below the default level", StringComparison.Ordinal));
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Accepted an incident for the start-up test")]
    private static partial void AcceptedForTest(ILogger logger);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Debug, Message = "Below the default level: not sent")]
    private static partial void BelowDefaultLevel(ILogger logger);

    private sealed class RecordingTelemetryChannel : ITelemetryChannel
    {
        public ConcurrentQueue<ITelemetry> Items { get; } = new();

        public bool? DeveloperMode { get; set; }

        public string EndpointAddress { get; set; } = string.Empty;

        public void Send(ITelemetry item) => Items.Enqueue(item);

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>A worker host built by the app's own composition, with the service collection it was built from.</summary>
internal sealed class StartupHost : IDisposable
{
    private StartupHost(IHost host, IServiceCollection services)
    {
        Host = host;
        Services = services;
    }

    public IHost Host { get; }

    public IServiceCollection Services { get; }

    /// <param name="settings">App settings by their environment-variable names (<c>Storage__accountName</c>).</param>
    /// <param name="before">Registrations made before the app's own (which then stand back where they TryAdd).</param>
    public static StartupHost Build(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? before = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(Azure.HubSettings.ConfigurationKey(s.Key), s.Value)));

        // What the worker reads from the command line the Functions host starts it with (--functions-uri, …).
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:1710/",
            ["Functions:Worker:WorkerId"] = "startup-test",
            ["Functions:Worker:RequestId"] = "startup-request",
            ["Functions:Worker:GrpcMaxMessageLength"] = "2147483647",
        });
        before?.Invoke(builder.Services);
        builder.AddContinuityHubFunctions();
        return new StartupHost(builder.Build(), builder.Services);
    }

    /// <summary>The classes of the Functions app that declare functions.</summary>
    public static IReadOnlyList<Type> FunctionClasses() =>
        typeof(FunctionsAppComposition).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();

    /// <summary>
    /// The registrations the host builds while it starts or runs its first invocation: the hub's own services, the
    /// worker's, Application Insights', the hosted services, the options. Open generics are built per closed type and
    /// are left to the types that close them.
    /// </summary>
    public static bool IsBuiltAtStart(ServiceDescriptor descriptor)
    {
        var type = descriptor.ServiceType;
        if (type.IsGenericTypeDefinition || NotBuiltByDesign.Contains(type.FullName ?? string.Empty))
        {
            return false;
        }

        var assembly = type.Assembly.GetName().Name ?? string.Empty;
        var implementation = (descriptor.IsKeyedService ? descriptor.KeyedImplementationType : descriptor.ImplementationType)?.Assembly.GetName().Name ?? string.Empty;
        return type == typeof(IHostedService)
            || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            || new[] { assembly, implementation }.Any(name =>
                name.StartsWith("ContinuityHub", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.ApplicationInsights", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.Logging.ApplicationInsights", StringComparison.Ordinal));
    }

    public void Dispose() => Host.Dispose();

    /// <summary>Registrations that refuse to be built on purpose.</summary>
    private static readonly HashSet<string> NotBuiltByDesign = new(StringComparer.Ordinal)
    {
        // The worker's marker that its default middleware is in the pipeline: its factory always throws.
        "Microsoft.Azure.Functions.Worker.OutputBindings.OutputBindingsMiddleware",
        // Built only when Graph is configured; the template's defaults leave Teams notifications off, and the
        // notification services then never ask for it (the outbox keeps what would go to Teams).
        "ContinuityHub.Azure.Graph.GraphClients",
    };
}
