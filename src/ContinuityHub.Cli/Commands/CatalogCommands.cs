using System.CommandLine;
using ContinuityHub.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary><c>hub catalog validate|import|export</c>: the continuity programme's facts, from a YAML file to storage and back.</summary>
internal static class CatalogCommands
{
    public static Command Create(CliConsole console)
    {
        var catalog = new Command("catalog", "Validate, import and export the continuity catalogue (BIA, plans, exercises, maintenance windows, policy).");
        catalog.Subcommands.Add(Validate(console));
        catalog.Subcommands.Add(Import(console));
        catalog.Subcommands.Add(Export(console));
        return catalog;
    }

    public static Option<string> StorageOption() => new("--storage")
    {
        Description = "Storage connection string (default: the 'Storage' setting, else UseDevelopmentStorage=true for Azurite).",
    };

    private static Command Validate(CliConsole console)
    {
        var file = FileArgument();
        var command = new Command("validate", "Check a catalogue file; prints one 'path: message' line per problem and exits 2 when there are any.") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            var loaded = await LoadAsync(path, ct);
            await console.Out.WriteLineAsync($"{path}: valid: {Summary(loaded)}");
            await WarnAsync(console, loaded);
            return HubCli.Ok;
        });
        return command;
    }

    private static Command Import(CliConsole console)
    {
        var file = FileArgument();
        var storage = StorageOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what the import would mean for the plans (BIA changes) and write nothing." };
        var command = new Command("import", "Load a catalogue file into Table Storage and its plan documents into Blob Storage; what the file no longer holds is deleted. What a changed BIA means for the plans is printed first.") { file, storage, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            await using var services = HubConfiguration.Services(parse.GetValue(storage));
            var loaded = await LoadAsync(path, StoredSamples(services), ct);
            var importer = services.GetRequiredService<CatalogImporter>();
            var source = new DirectoryDocumentSource(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await console.Error.WriteLineAsync($"Importing {Summary(loaded)} from {path}");
            foreach (var warning in CatalogChecks.Warnings(loaded))
            {
                await console.Error.WriteLineAsync($"warning: {warning.Path}: {warning.Message}");
            }

            var consequences = BiaChanges.Compare(await services.GetRequiredService<ICatalogStore>().LoadAsync(ct), loaded);
            foreach (var consequence in consequences)
            {
                await console.Out.WriteLineAsync(consequence.Text);
            }

            if (parse.GetValue(dryRun))
            {
                await console.Out.WriteLineAsync(consequences.Count == 0
                    ? "Dry run: no BIA change touches a plan; nothing written."
                    : $"Dry run: {consequences.Count} consequence(s) above; nothing written.");
                return HubCli.Ok;
            }

            var result = await importer.ImportAsync(loaded, source, console.Progress, ct);
            await console.Out.WriteLineAsync(result.Changed
                ? $"Imported: {Summary(loaded)}; {result.DocumentsUploaded} document(s) uploaded, {result.DocumentsUnchanged} unchanged."
                : $"Nothing to change: the store already holds {Summary(loaded)}.");
            return HubCli.Ok;
        });
        return command;
    }

    private static Command Export(CliConsole console)
    {
        var storage = StorageOption();
        var output = new Option<string>("--out", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Write the stored catalogue as YAML (the format 'import' reads); maintenance windows added over the API are not the catalogue's and are left out.") { storage, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = HubConfiguration.Services(parse.GetValue(storage));
            var loaded = await services.GetRequiredService<ICatalogStore>().LoadAsync(ct);
            // The store loads the API's windows with the catalogue's: exported, a re-import would make them catalogue windows.
            var windows = await services.GetRequiredService<IMaintenanceStore>().ListAsync(ct);
            var stored = loaded with { Maintenance = [.. windows.Where(w => w.Origin == MaintenanceOrigin.Catalogue).Select(w => w.Window)] };
            var yaml = CatalogYamlWriter.Write(stored);
            if (parse.GetValue(output) is { Length: > 0 } target)
            {
                await File.WriteAllTextAsync(target, yaml, ct);
                await console.Error.WriteLineAsync($"Exported {Summary(stored)} to {target}");
            }
            else
            {
                await console.Out.WriteAsync(yaml);
            }

            return HubCli.Ok;
        });
        return command;
    }

    private static Argument<string> FileArgument() => new("file") { Description = "The catalogue YAML file, e.g. infra/seed/catalog.yaml" };

    /// <summary>
    /// Reads and validates a catalogue file, including that the documents it names exist, and reads the scenarios'
    /// sample files into their injects (each checked against its source's parser).
    /// </summary>
    /// <summary>The standing checks' warnings, one <c>warning: path: message</c> line each (they do not change the exit code).</summary>
    internal static async Task WarnAsync(CliConsole console, ContinuityCatalog catalog)
    {
        foreach (var warning in CatalogChecks.Warnings(catalog))
        {
            await console.Out.WriteLineAsync($"warning: {warning.Path}: {warning.Message}");
        }
    }

    public static Task<ContinuityCatalog> LoadAsync(string path, CancellationToken cancellationToken) =>
        LoadAsync(path, storedSample: null, cancellationToken);

    /// <summary>As <see cref="LoadAsync(string, CancellationToken)"/>; a sample found nowhere is asked of <paramref name="storedSample"/> (the payload the store holds from it).</summary>
    public static async Task<ContinuityCatalog> LoadAsync(string path, Func<string, CancellationToken, Task<string?>>? storedSample, CancellationToken cancellationToken)
    {
        var catalog = CatalogYamlReader.Read(await CliFiles.ReadAllTextAsync(path, "file", cancellationToken));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var source = new DirectoryDocumentSource(directory);
        var missing = new List<ValidationProblem>();
        for (var i = 0; i < catalog.Plans.Count; i++)
        {
            for (var d = 0; d < catalog.Plans[i].Documents.Count; d++)
            {
                var doc = catalog.Plans[i].Documents[d];
                using var stream = source.TryOpen(doc.Path);
                if (stream is null && doc.Sha256 is null)
                {
                    missing.Add(new($"plans[{i}].documents[{d}].path", $"file not found: {source.Describe(doc.Path)}"));
                }
            }
        }

        try
        {
            catalog = await ScenarioSamples.LoadAsync(catalog, directory, storedSample, cancellationToken);
        }
        catch (HubValidationException e) when (missing.Count > 0)
        {
            missing.AddRange(e.Problems);
        }

        return missing.Count > 0 ? throw new HubValidationException(missing) : catalog;
    }

    /// <summary>
    /// The payload the stored catalogue holds from <paramref name="sample"/> (as the catalogue names it), read from the
    /// store the first time one is asked for: an exported catalogue imports again where its samples are not.
    /// </summary>
    private static Func<string, CancellationToken, Task<string?>> StoredSamples(IServiceProvider services)
    {
        Task<ContinuityCatalog>? stored = null;
        return async (sample, ct) =>
        {
            var catalog = await (stored ??= services.GetRequiredService<ICatalogStore>().LoadAsync(ct));
            return catalog.Exercises
                .SelectMany(e => e.Scenario)
                .FirstOrDefault(i => i.Payload is not null && string.Equals(i.Sample, sample, StringComparison.Ordinal))
                ?.Payload;
        };
    }

    private static string Summary(ContinuityCatalog c) =>
        $"{c.Services.Count} services, {c.Plans.Count} plans, {c.Exercises.Count} exercises, {c.Maintenance.Count} maintenance window(s)";
}
