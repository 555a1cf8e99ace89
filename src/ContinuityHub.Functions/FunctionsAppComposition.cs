using ContinuityHub.Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Functions;

/// <summary>
/// The Functions app's composition, in one place: <c>Program.cs</c> calls it, and so do the start-up tests, which
/// build the worker's host from it with the settings Bicep deploys and resolve everything the host would.
/// </summary>
public static class FunctionsAppComposition
{
    /// <summary>The logger provider Application Insights adds, with its own Warning-and-above default rule.</summary>
    public const string ApplicationInsightsLoggerProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// ASP.NET Core integration for the HTTP functions, the failure-logging middleware, Application Insights
    /// (Entra ingestion from <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>, read by the worker package) with the
    /// hub's Information logs let through, and the hub's services.
    /// </summary>
    public static FunctionsApplicationBuilder AddContinuityHubFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ExceptionLoggingMiddleware>();
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();

        // The Application Insights SDK keeps only Warning and above unless this rule goes (the isolated worker
        // guide, "Managing log levels"); the levels in host.json / Logging settings then apply as everywhere else.
        builder.Services.Configure<LoggerFilterOptions>(options =>
        {
            var warningsOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsLoggerProvider);
            if (warningsOnly is not null)
            {
                options.Rules.Remove(warningsOnly);
            }
        });

        builder.Services.AddContinuityHub(builder.Configuration);
        builder.Services.AddHostedService<OffChannelsAnnouncement>();
        return builder;
    }
}
