using System.CommandLine;
using System.Globalization;
using ContinuityHub.Azure;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub intake redrive|drain</c>: apply archived deliveries that were never processed, and drain the Service Bus
/// incident queue once, with the same services and settings as the Functions app's timers.
/// </summary>
internal static class IntakeCommands
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var intake = new Command("intake", "Recover and drain the intake: re-drive archived deliveries, drain the Service Bus incident queue.");
        intake.Subcommands.Add(Redrive(console, time));
        intake.Subcommands.Add(Drain(console, time));
        return intake;
    }

    private static Command Redrive(CliConsole console, TimeProvider time)
    {
        var since = new Option<string>("--since")
        {
            Description = "The earliest archive time to look at: an ISO 8601 time (2026-11-24T10:30:00Z) or a duration back from now (2h, 1d).",
            Required = true,
        };
        var olderThan = new Option<string>("--older-than")
        {
            Description = $"Leave deliveries younger than this alone, as they may still be in flight (default {Durations.Format(IntakeRedriveService.Grace)}).",
        };
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "redrive",
            "Apply archived deliveries that were never processed (a crash or a storage failure after the archive write). Safe to repeat: what is already applied is recognised.")
        {
            since, olderThan, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var now = time.GetUtcNow();
            var from = ParseSince(parse.GetRequiredValue(since), now);
            var grace = IntakeRedriveService.Grace;
            if (parse.GetValue(olderThan) is { } olderText && !Durations.TryParse(olderText, out grace))
            {
                throw new HubValidationException("--older-than", $"'{olderText}' is not a duration: {Durations.Expected}");
            }

            await using var services = Services(time, parse.GetValue(storage), []);
            await console.Error.WriteLineAsync(
                $"Re-driving deliveries archived from {Format(from)} to {Format(now - grace)} and never processed");
            var result = await services.GetRequiredService<IntakeRedriveService>().RedriveAsync(from, grace, console.Progress, ct);
            await console.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Found} found, {result.Accepted} applied, {result.Duplicates} already applied, {result.Rejected} rejected, {result.Failed} failed."));
            if (result.Failed > 0)
            {
                await console.Error.WriteLineAsync($"{result.Failed} deliver{(result.Failed == 1 ? "y" : "ies")} failed and stay archived for the next re-drive.");
                return HubCli.Failed;
            }

            return HubCli.Ok;
        });
        return command;
    }

    private static Command Drain(CliConsole console, TimeProvider time)
    {
        var serviceBus = new Option<string>("--service-bus")
        {
            Description = "Service Bus connection string (default: the 'ServiceBus' setting, or ServiceBus__fullyQualifiedNamespace with your Azure sign-in).",
        };
        var budget = new Option<string>("--budget")
        {
            Description = $"Stop taking messages after this long (default: the 'ServiceBus:DrainBudget' setting, else {Durations.Format(ServiceBusOptions.DefaultDrainBudget)}).",
        };
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "drain",
            "Drain the Service Bus incident queue once into the incident store, as the DrainIncidentQueue timer does: complete, abandon or dead-letter each message.")
        {
            serviceBus, budget, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new List<KeyValuePair<string, string?>>();
            if (parse.GetValue(serviceBus) is { Length: > 0 } connection)
            {
                overrides.Add(new(ServiceBusOptions.SectionName, connection));
            }

            if (parse.GetValue(budget) is { } budgetText)
            {
                if (!Durations.TryParse(budgetText, out var limit) || limit <= TimeSpan.Zero || limit > ServiceBusOptions.MaxDrainBudget)
                {
                    throw new HubValidationException("--budget", $"'{budgetText}' is not a duration from 1s to {Durations.Format(ServiceBusOptions.MaxDrainBudget)}: {Durations.Expected}");
                }

                overrides.Add(new($"{ServiceBusOptions.SectionName}:{nameof(ServiceBusOptions.DrainBudget)}", limit.ToString("c", CultureInfo.InvariantCulture)));
            }

            await using var services = Services(time, parse.GetValue(storage), overrides);
            ServiceBusOptions options;
            try
            {
                options = services.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                throw new HubValidationException([.. e.Failures.Select(f => new ValidationProblem(string.Empty, f))]);
            }

            var drainer = services.GetRequiredService<IncidentQueueDrainer>();
            if (!drainer.IsEnabled)
            {
                throw new HubValidationException(
                    "--service-bus",
                    $"no Service Bus namespace: pass a connection string, or set {ServiceBusOptions.SectionName} (or {ServiceBusOptions.SectionName}__fullyQualifiedNamespace)");
            }

            await console.Error.WriteLineAsync($"Draining queue {options.IncidentQueue} for at most {Durations.Format(options.DrainBudget)}");
            var result = await drainer.DrainAsync(ct);
            await console.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Received} received, {result.Completed} completed, {result.DeadLettered} dead-lettered, {result.Abandoned} abandoned."));
            return result.Abandoned > 0 ? HubCli.Failed : HubCli.Ok;
        });
        return command;
    }

    /// <summary>An ISO 8601 time, or a duration back from <paramref name="now"/>.</summary>
    internal static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        DateTimeOffset since;
        if (Durations.TryParse(text, out var back))
        {
            since = now - back;
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since))
        {
            throw new HubValidationException("--since", $"'{text}' is neither an ISO 8601 time (2026-11-24T10:30:00Z) nor a duration back from now (2h, 1d)");
        }

        return since > now
            ? throw new HubValidationException("--since", $"{Format(since)} is in the future")
            : since;
    }

    private static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The hub's services as <see cref="HubConfiguration"/> composes them, on this command's clock.</summary>
    private static ServiceProvider Services(TimeProvider time, string? storage, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(HubConfiguration.Build(storage))
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddContinuityHub(configuration);
        return services.BuildServiceProvider();
    }
}
