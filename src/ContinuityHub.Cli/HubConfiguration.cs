using ContinuityHub.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli;

/// <summary>
/// The settings the CLI reads, by the same names as the Functions app: appsettings.json beside the binary or in
/// the working folder, user secrets, environment variables (<c>Storage</c>, <c>Storage__blobServiceUri</c>, …),
/// then <c>--storage</c> on the command line.
/// </summary>
internal static class HubConfiguration
{
    public static IConfiguration Build(string? storage)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddUserSecrets(typeof(HubConfiguration).Assembly, optional: true)
            .AddEnvironmentVariables();
        if (!string.IsNullOrWhiteSpace(storage))
        {
            try
            {
                _ = new global::Azure.Data.Tables.TableServiceClient(storage);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new HubValidationException("--storage", $"not a storage connection string: {e.Message}");
            }

            builder.AddInMemoryCollection([new("Storage", storage)]);
        }

        return builder.Build();
    }

    public static ServiceProvider Services(string? storage) => Services(storage, TimeProvider.System);

    /// <summary>The hub's services on <paramref name="time"/>'s clock (what "now" is to the command).</summary>
    public static ServiceProvider Services(string? storage, TimeProvider time)
    {
        var configuration = Build(storage);
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton(configuration);
        services.AddContinuityHub(configuration);
        return services.BuildServiceProvider();
    }
}
