using System.CommandLine;
using System.Globalization;
using ContinuityHub.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub report</c>: the continuity report the <c>WriteContinuityReport</c> timer writes to Blob Storage, written to a
/// local folder instead — from a catalogue file alone, or from the stored catalogue and the incidents of the period.
/// </summary>
internal static class ReportCommand
{
    private const string DateFormat = "yyyy-MM-dd";

    public static Command Create(CliConsole console, TimeProvider time)
    {
        var catalogFile = new Option<string>("--catalog")
        {
            Description = "Report on this catalogue YAML file alone (no incidents). Default: the stored catalogue and the incidents of the period.",
        };
        var storage = CatalogCommands.StorageOption();
        var at = new Option<string>("--at") { Description = "The report date, yyyy-MM-dd (default: today, UTC). Incidents count from 7 days before it to the day before." };
        var output = new Option<string>("--out", "-o") { Description = "The folder to write the files to (default: the current folder); created when missing." };
        var command = new Command(
            "report",
            $"Write the continuity report ({ReportFiles.Html}, {ReportFiles.Json}, {ReportFiles.Csv}) to a folder and print a summary.")
        {
            catalogFile, storage, at, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(catalogFile);
            var connection = parse.GetValue(storage);
            if (!string.IsNullOrWhiteSpace(file) && !string.IsNullOrWhiteSpace(connection))
            {
                throw new HubValidationException("--catalog", "give --catalog (a file alone) or --storage (the stored catalogue and incidents), not both");
            }

            var reportDate = ReportDate(parse.GetValue(at), time);
            var catalog = string.IsNullOrWhiteSpace(file) ? null : await CatalogCommands.LoadAsync(file, ct);
            var folder = Folder(parse.GetValue(output));

            RenderedReport rendered;
            if (catalog is not null)
            {
                await console.Error.WriteLineAsync($"Reporting on {Format(reportDate)} from {file} (no incidents)");
                rendered = ReportService.Render(catalog, [], reportDate);
            }
            else
            {
                await using var services = HubConfiguration.Services(connection);
                var periodStart = ReportService.PeriodStartOf(reportDate);
                await console.Error.WriteLineAsync(
                    $"Reporting on {Format(reportDate)} from the stored catalogue and the incidents started {Format(periodStart)} to {Format(reportDate.AddDays(-1))}");
                rendered = await services.GetRequiredService<ReportService>().BuildAsync(reportDate, ct);
            }

            foreach (var reportFile in rendered.Files)
            {
                var path = Path.Combine(folder, reportFile.FileName);
                await WriteAsync(path, reportFile.Content, ct);
                await console.Out.WriteLineAsync(path);
            }

            await console.Out.WriteLineAsync(ReportSummary.Line(rendered.Report));
            return HubCli.Ok;
        });
        return command;
    }

    private static DateOnly ReportDate(string? text, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        }

        return DateOnly.TryParseExact(text.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new HubValidationException("--at", $"'{text}' is not a date: expected yyyy-MM-dd, e.g. 2026-11-24");
    }

    /// <summary>The output folder as a full path, created when missing.</summary>
    private static string Folder(string? output)
    {
        var folder = Path.GetFullPath(string.IsNullOrWhiteSpace(output) ? Directory.GetCurrentDirectory() : output);
        for (var path = folder; path is not null; path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                throw new HubValidationException("--out", $"cannot create the folder {folder}: {path} is a file");
            }
        }

        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new HubValidationException("--out", $"cannot create the folder {folder}: {e.Message}");
        }
    }

    private static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await File.WriteAllBytesAsync(path, content, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HubValidationException("--out", $"cannot write {path}: {e.Message}");
        }
    }

    private static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);
}
