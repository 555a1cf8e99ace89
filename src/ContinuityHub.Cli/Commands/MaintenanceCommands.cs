using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub maintenance add|list|cancel</c>: maintenance windows beside the catalogue's, through the same
/// <see cref="MaintenanceService"/> the HTTP routes call; a window the catalogue's rules refuse is bad input on its flag.
/// </summary>
internal static class MaintenanceCommands
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var maintenance = new Command("maintenance", "Maintenance windows beside the catalogue's: add, list and cancel them (incidents on their services are capped at Monitor while one holds).");
        maintenance.Subcommands.Add(Add(console, time));
        maintenance.Subcommands.Add(List(console, time));
        maintenance.Subcommands.Add(Cancel(console, time));
        return maintenance;
    }

    private static Command Add(CliConsole console, TimeProvider time)
    {
        var id = new Option<string>("--id") { Description = "The window's id (lower-case letters, digits and '-').", Required = true };
        var services = new Option<string>("--services") { Description = "The services' ids, comma-separated, e.g. payments,payments-db.", Required = true };
        var start = new Option<string>("--start") { Description = "A one-off window's start, ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00." };
        var end = new Option<string>("--end") { Description = "A one-off window's end (at most 7 days after its start)." };
        var weekly = new Option<string>("--weekly") { Description = "A weekly window's days, comma-separated, e.g. Saturday,Sunday (Holidays: the calendar's holidays too)." };
        var from = new Option<string>("--from") { Description = "A weekly window's start, HH:mm." };
        var to = new Option<string>("--to") { Description = "A weekly window's end, HH:mm (before --from: the next day)." };
        var zone = new Option<string>("--time-zone") { Description = "A weekly window's IANA time zone (default: the policy's calendar)." };
        var reason = new Option<string>("--reason") { Description = "Why the work is done.", Required = true };
        var approvedBy = new Option<string>("--approved-by") { Description = "Who approved it.", Required = true };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("add", "Add a maintenance window: one-off (--start, --end) or weekly (--weekly, --from, --to).")
        {
            id, services, start, end, weekly, from, to, zone, reason, approvedBy, storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var window = new MaintenanceWindow(
                parse.GetRequiredValue(id),
                Split(parse.GetRequiredValue(services)),
                Timestamp(parse.GetValue(start), "--start"),
                Timestamp(parse.GetValue(end), "--end"),
                parse.GetValue(weekly) is { } days ? Weekly(days, Hours(parse.GetValue(from), "--from"), Hours(parse.GetValue(to), "--to"), parse.GetValue(zone)) : null,
                parse.GetRequiredValue(reason),
                parse.GetRequiredValue(approvedBy));
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            MaintenanceAddResult result;
            try
            {
                result = await provider.GetRequiredService<MaintenanceService>().AddAsync(window, ct);
            }
            catch (HubValidationException e)
            {
                throw new HubValidationException([.. e.Problems.Select(p => new ValidationProblem(Flag(p.Path), p.Message))]);
            }

            if (result.Added is null)
            {
                throw new HubValidationException("--id", result.TakenBy == MaintenanceOrigin.Catalogue
                    ? $"'{window.Id}' is declared in the catalogue; give the new window another id"
                    : $"'{window.Id}' was added already; cancel it or give the new window another id");
            }

            await console.Out.WriteLineAsync($"Added maintenance window {window.Id}.");
            return HubCli.Ok;
        });
        return command;
    }

    private static Command List(CliConsole console, TimeProvider time)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, each window as GET /api/maintenance answers it." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("list", "Every maintenance window, the catalogue's and those added here, with whether it holds now.") { json, storage };
        command.SetAction(async (parse, ct) =>
        {
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var views = (await provider.GetRequiredService<MaintenanceService>().ListAsync(ct)).Select(MaintenanceView.From).ToList();
            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(views, AssessmentJson.Options));
                return HubCli.Ok;
            }

            foreach (var v in views)
            {
                var when = v.Weekly is { } w ? $"{string.Join(",", w.Days)} {w.From}-{w.To}{(w.TimeZone is null ? string.Empty : " " + w.TimeZone)}" : $"{v.Start} to {v.End}";
                var active = v.Active ? $"active until {v.ActiveUntil}" : "not active";
                await console.Out.WriteLineAsync($"{v.Id} ({v.Origin}): {string.Join(",", v.Services)}, {when}; {active}; {v.Reason} (approved by {v.ApprovedBy})");
            }

            if (views.Count == 0)
            {
                await console.Out.WriteLineAsync("No maintenance windows.");
            }

            return HubCli.Ok;
        });
        return command;
    }

    private static Command Cancel(CliConsole console, TimeProvider time)
    {
        var id = new Argument<string>("id") { Description = "The id of a window added with 'add' (or POST /api/maintenance)." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("cancel", "Cancel a maintenance window added here; the catalogue's are removed from the catalogue and imported.") { id, storage };
        command.SetAction(async (parse, ct) =>
        {
            var window = parse.GetRequiredValue(id);
            await using var provider = HubConfiguration.Services(parse.GetValue(storage), time);
            var outcome = await provider.GetRequiredService<MaintenanceService>().CancelAsync(window, ct);
            if (outcome != MaintenanceCancelOutcome.Cancelled)
            {
                throw new HubValidationException("id", outcome == MaintenanceCancelOutcome.InCatalogue
                    ? $"'{window}' is {MaintenanceEndpoint.CancelRefusal}"
                    : $"no maintenance window has the id '{window}'");
            }

            await console.Out.WriteLineAsync($"Cancelled maintenance window {window}.");
            return HubCli.Ok;
        });
        return command;
    }

    private static List<string> Split(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static DateTimeOffset? Timestamp(string? text, string flag) =>
        text is null ? null
        : CatalogYamlReader.TryParseTimestamp(text, out var at) ? at
        : throw new HubValidationException(flag, CatalogYamlReader.NotATimestamp(HumanText.Truncate(text, 60)));

    private static TimeOnly Hours(string? text, string flag) =>
        text is null ? throw new HubValidationException(flag, "is required with --weekly (HH:mm, e.g. 02:00)")
        : TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? value
        : throw new HubValidationException(flag, $"'{HumanText.Truncate(text, 60)}' is not a time of day (expected HH:mm, e.g. 02:00)");

    private static WeeklyWindow Weekly(string text, TimeOnly from, TimeOnly to, string? zone)
    {
        var names = Split(text);
        return CatalogYamlReader.TryParseWeeklyDays(names, out var days, out var holidays, out var bad)
            ? new WeeklyWindow(days, from, to, zone) { OnHolidays = holidays }
            : throw new HubValidationException("--weekly", CatalogYamlReader.UnknownWeeklyDay(names[bad]));
    }

    /// <summary>The flag a problem with a window's field is on.</summary>
    private static string Flag(string path) => path switch
    {
        _ when path.StartsWith("services", StringComparison.Ordinal) => "--services",
        _ when path.StartsWith("weekly.days", StringComparison.Ordinal) || path == "weekly" => "--weekly",
        "weekly.from" => "--from",
        "weekly.to" => "--to",
        "weekly.timeZone" => "--time-zone",
        "approvedBy" => "--approved-by",
        "" => string.Empty,
        _ => "--" + path,
    };
}
