using System.CommandLine;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Heartbeats;
using ContinuityHub.Intake;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub heartbeats list|pause|resume</c>: the RPO clock's heartbeats — each declared one's last recovery point and
/// data exposure against its service's RPO, worst first — and pausing one for planned work or watching it again,
/// through the same <see cref="HeartbeatService"/> the HTTP routes call.
/// </summary>
internal static class HeartbeatCommands
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var heartbeats = new Command("heartbeats", "The RPO clock: list the heartbeats of backup and replication jobs with their exposure against the RPO; pause and resume them.");
        heartbeats.Subcommands.Add(List(console, time));
        heartbeats.Subcommands.Add(Pause(console, time));
        heartbeats.Subcommands.Add(Resume(console, time));
        return heartbeats;
    }

    private static Command List(CliConsole console, TimeProvider time)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, each heartbeat as the HTTP routes answer it (times ISO 8601 UTC, durations in seconds)." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "list",
            "Every heartbeat the catalogue declares, worst first (Breached, AtRisk, Late, Paused, Ok): its last recovery point, exposure, RPO and state.")
        {
            json, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = HubConfiguration.Services(parse.GetValue(storage), time);
            var statuses = WorstFirst(await services.GetRequiredService<HeartbeatService>().ListAsync(ct));
            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(statuses.Select(s => HeartbeatView.From(s)), AssessmentJson.Options));
            }
            else if (statuses.Count > 0)
            {
                Write(console.Out, statuses);
            }

            if (statuses.Count == 0)
            {
                await (parse.GetValue(json) ? console.Error : console.Out).WriteLineAsync(
                    "No heartbeats declared: the stored catalogue has no services[].heartbeats (see README, Heartbeats and the RPO clock).");
            }

            return HubCli.Ok;
        });
        return command;
    }

    private static Command Pause(CliConsole console, TimeProvider time)
    {
        var (serviceId, name) = (ServiceIdArgument(), NameArgument());
        var until = new Option<string>("--until") { Description = "Watch it again by itself at this ISO 8601 time with an offset, e.g. 2026-11-24T06:00:00Z (default: until 'resume')." };
        var reason = new Option<string>("--reason") { Description = "Why it is paused (planned maintenance, a migration), shown by 'list'." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "pause",
            "Pause a heartbeat for planned work: it raises no RPO incident while paused, and one open for it is resolved (the crisis team stands down).")
        {
            serviceId, name, until, reason, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var end = parse.GetValue(until) is { } text ? Until(text, time.GetUtcNow()) : (DateTimeOffset?)null;
            await using var services = HubConfiguration.Services(parse.GetValue(storage), time);
            var (service, heartbeat) = (parse.GetRequiredValue(serviceId), parse.GetRequiredValue(name));
            var result = await services.GetRequiredService<HeartbeatService>().PauseAsync(service, heartbeat, end, parse.GetValue(reason), ct);
            return await PrintAsync(console, services, service, result, ct);
        });
        return command;
    }

    private static Command Resume(CliConsole console, TimeProvider time)
    {
        var (serviceId, name) = (ServiceIdArgument(), NameArgument());
        var storage = CatalogCommands.StorageOption();
        var command = new Command("resume", "Watch a paused heartbeat again: its exposure counts against the RPO from its last recovery point.") { serviceId, name, storage };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = HubConfiguration.Services(parse.GetValue(storage), time);
            var (service, heartbeat) = (parse.GetRequiredValue(serviceId), parse.GetRequiredValue(name));
            var result = await services.GetRequiredService<HeartbeatService>().ResumeAsync(service, heartbeat, ct);
            return await PrintAsync(console, services, service, result, ct);
        });
        return command;
    }

    private static Argument<string> ServiceIdArgument() => new("serviceId") { Description = "The service's id in the catalogue, e.g. ledger-db." };

    private static Argument<string> NameArgument() => new("name") { Description = "The heartbeat's name under the service, e.g. dc2-log-shipping." };

    /// <summary>The result's message; an undeclared heartbeat is bad input on the argument at fault (the service's id when no service has it, else the name).</summary>
    private static async Task<int> PrintAsync(CliConsole console, IServiceProvider services, string serviceId, BeatResult result, CancellationToken cancellationToken)
    {
        if (result.Outcome == BeatOutcome.Undeclared)
        {
            var catalog = await services.GetRequiredService<ICatalogProvider>().GetAsync(cancellationToken);
            var known = catalog.Services.Any(s => string.Equals(s.Id, serviceId, StringComparison.Ordinal));
            throw new HubValidationException(known ? "name" : "serviceId", result.Message);
        }

        await console.Out.WriteLineAsync(result.Message);
        return HubCli.Ok;
    }

    private static DateTimeOffset Until(string text, DateTimeOffset now)
    {
        if (!HeartbeatEndpoint.TryParseTime(text, out var until))
        {
            throw new HubValidationException("--until", $"'{HumanText.Truncate(text, 60)}' is not an ISO 8601 time with an offset, e.g. 2026-11-24T06:00:00Z");
        }

        return until > now
            ? until
            : throw new HubValidationException("--until", $"{AssessmentJson.Time(until)} is not in the future (now {AssessmentJson.Time(now)})");
    }

    /// <summary>Breached, AtRisk, Late, Paused, Ok; then by service and name.</summary>
    internal static List<HeartbeatStatus> WorstFirst(IEnumerable<HeartbeatStatus> statuses) =>
        [.. statuses.OrderBy(s => Rank(s.State)).ThenBy(s => s.Service.Id, StringComparer.Ordinal).ThenBy(s => s.Declaration.Name, StringComparer.Ordinal)];

    private static int Rank(HeartbeatState state) => state switch
    {
        HeartbeatState.Breached => 0,
        HeartbeatState.AtRisk => 1,
        HeartbeatState.Late => 2,
        HeartbeatState.Paused => 3,
        _ => 4,
    };

    private static void Write(TextWriter output, IReadOnlyList<HeartbeatStatus> statuses)
    {
        // Colours for a terminal only: a pipe, a file or a test's writer gets the plain table, whatever TERM says.
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!ansi.Profile.Capabilities.Interactive)
        {
            // Redirected (a log, a pipe): one line per heartbeat, not wrapped at 80 columns.
            ansi.Profile.Width = 240;
        }

        var table = new Table().AddColumns("Service", "Heartbeat", "State", "Last recovery point", "Exposure", "RPO", "Every (+ grace)", "Note");
        foreach (var s in statuses)
        {
            var every = HumanText.Duration(s.Declaration.Every) + (s.Declaration.Grace > TimeSpan.Zero ? " + " + HumanText.Duration(s.Declaration.Grace) : string.Empty);
            table.AddRow(
                Markup.Escape(s.Service.Id),
                Markup.Escape(s.Declaration.Name),
                $"[{Colour(s.State)}]{s.State}[/]",
                Markup.Escape(HumanText.Time(s.LastRecoveryPoint)),
                Markup.Escape(HumanText.Duration(s.Exposure)),
                Markup.Escape(HumanText.Duration(s.Service.Rpo)),
                Markup.Escape(every),
                Markup.Escape(Note(s)));
        }

        ansi.Write(table);
    }

    private static string Colour(HeartbeatState state) => state switch
    {
        HeartbeatState.Breached => "bold red",
        HeartbeatState.AtRisk => "red",
        HeartbeatState.Late => "yellow",
        HeartbeatState.Paused => "grey",
        _ => "green",
    };

    private static string Note(HeartbeatStatus s)
    {
        if (s.State == HeartbeatState.Paused)
        {
            var until = s.PausedUntil is { } end ? "paused until " + HumanText.Time(end) : "paused until resumed";
            return s.PauseReason is { } reason ? $"{until}: {reason}" : until;
        }

        return s.LastRecoveryPoint is null ? $"never reported: exposure counts from {HumanText.Time(s.At - s.Exposure)}" : string.Empty;
    }
}
