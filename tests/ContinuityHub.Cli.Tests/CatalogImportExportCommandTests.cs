using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub catalog import|export` against the real Azurite. The tests of this class run one after another and each
/// starts from empty storage (the CLI uses the production table and container names).
/// </summary>
[Collection("storage")]
public sealed class CatalogImportExportCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite)
{


    [Fact]
    public async Task Import_export_import_round_trips_without_change()
    {
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("22 services, 12 plans, 14 exercises, 1 maintenance window(s)", import.Out, StringComparison.Ordinal);
        Assert.Contains("5 document(s) uploaded", import.Out, StringComparison.Ordinal);

        var exported = Path.Combine(Directory.CreateTempSubdirectory("hub-export-").FullName, "catalog.yaml");
        var export = await CliRun.RunAsync("catalog", "export", "--storage", Storage, "--out", exported);
        Assert.True(export.ExitCode == 0, export.Error);

        // The exported file lives elsewhere: its documents are found in storage by their SHA-256.
        var again = await CliRun.RunAsync("catalog", "import", exported, "--storage", Storage);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.StartsWith("Nothing to change", again.Out, StringComparison.Ordinal);

        var second = await CliRun.RunAsync("catalog", "export", "--storage", Storage);
        Assert.Equal(await File.ReadAllTextAsync(exported, TestContext.Current.CancellationToken), second.Out);

        // And what was exported is the seed itself, comments aside.
        var seed = CatalogYamlReader.Read(await File.ReadAllTextAsync(CliRun.Seed, TestContext.Current.CancellationToken));
        var back = CatalogYamlReader.Read(second.Out);
        Assert.Equal(
            CatalogYamlWriter.Write(seed with { Plans = [.. seed.Plans.Select(p => p with { Documents = [.. p.Documents.Select(d => d with { Sha256 = null })] })] }),
            CatalogYamlWriter.Write(back with { Plans = [.. back.Plans.Select(p => p with { Documents = [.. p.Documents.Select(d => d with { Sha256 = null })] })] }));
        Assert.All(back.Plans.SelectMany(p => p.Documents), d => Assert.Matches("^[0-9a-f]{64}$", d.Sha256!));
        Assert.Equal(seed.Plans.Single(p => p.Id == "dr-sql-cluster").Automations, back.Plans.Single(p => p.Id == "dr-sql-cluster").Automations);
        Assert.Equal(["sql-cluster", "ledger-db", "payments-gateway"], back.Services.Where(s => s.Heartbeats.Count > 0).Select(s => s.Id));
        Assert.Equal(seed.Services.SelectMany(s => s.Heartbeats), back.Services.SelectMany(s => s.Heartbeats));
        Assert.Equal("mw-email-collab-weekly", Assert.Single(back.Maintenance).Id);
        Assert.Equal(seed.Policy.Calendar, back.Policy.Calendar);
        Assert.Equal(("Europe/Stockholm", new TimeOnly(8, 0), "Christmas Day"), (back.Policy.Calendar.TimeZone, back.Policy.Calendar.WorkingHours!.From, back.Policy.Calendar.Holidays[1].Name));
    }

    [Fact]
    public async Task Imported_scenarios_carry_their_sample_payloads_and_export_names_the_samples()
    {
        // Act
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        await using var services = HubConfiguration.Services(Storage);
        var stored = await services.GetRequiredService<ICatalogStore>().LoadAsync(TestContext.Current.CancellationToken);
        var export = await CliRun.RunAsync("catalog", "export", "--storage", Storage);

        // Assert
        Assert.True(import.ExitCode == 0, import.Error);
        var sql = stored.Exercises.Single(e => e.Id == "ex-2027-sql-dc2-simulation");
        Assert.Equal("infra/samples/azuremonitor/metric-alert-fired.json", sql.Scenario[0].Sample);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(CliRun.RepoRoot, "infra", "samples", "azuremonitor", "metric-alert-fired.json"), TestContext.Current.CancellationToken),
            sql.Scenario[0].Payload);
        Assert.All(stored.Exercises.SelectMany(e => e.Scenario).Where(i => !i.Resolve), i => Assert.NotNull(i.Payload));
        Assert.Contains("        sample: infra/samples/azuremonitor/metric-alert-fired.json\n", export.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("azureMonitorCommonAlertSchema", export.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_neither_on_disk_nor_in_the_store_is_refused_naming_where_it_was_looked_for()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("hub-gone-").FullName, "catalog.yaml");
        await File.WriteAllTextAsync(file, """
            services:
              - {id: sql, name: SQL, tier: 1, rto: 1h, rpo: 5m, mtpd: 4h}
            plans:
              - {id: dr-sql, title: SQL failover, type: DisasterRecovery, version: "1", status: Draft, services: [sql], recoveryTime: 30m}
            exercises:
              - id: ex-sql
                plan: dr-sql
                type: simulation
                scheduled: 2026-12-10
                scenario:
                  - {at: 0m, source: generic, sample: samples/gone.json}
            """, TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("catalog", "import", file, "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("exercises[0].scenario[0].sample: file not found: samples/gone.json (looked in ", line, StringComparison.Ordinal);
        Assert.EndsWith("), and the stored catalogue holds no payload from it", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_import_of_the_same_file_uploads_nothing_and_writes_no_row()
    {
        await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);

        var again = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);

        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("Nothing to change", again.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Uploaded", again.Error, StringComparison.Ordinal);
        Assert.Contains("Services: 0 added, 0 updated, 0 deleted, 22 unchanged", again.Error, StringComparison.Ordinal);
        Assert.Contains("Maintenance: 0 added, 0 updated, 0 deleted, 1 unchanged", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_an_invalid_file_exits_2_and_writes_nothing()
    {
        var dir = CopySeed();
        var file = Path.Combine(dir, "catalog.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Replace("type: DisasterRecovery", "type: Disaster", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("catalog", "import", file, "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.Contains(".type: unknown plan type 'Disaster'", StringComparison.Ordinal));
        var export = await CliRun.RunAsync("catalog", "export", "--storage", Storage);
        Assert.Contains("services: []", export.Out, StringComparison.Ordinal);
        Assert.Empty(await ListBlobsAsync());
    }

    [Fact]
    public async Task Changed_document_under_the_same_plan_version_is_refused()
    {
        var dir = CopySeed();
        var file = Path.Combine(dir, "catalog.yaml");
        Assert.Equal(0, (await CliRun.RunAsync("catalog", "import", file, "--storage", Storage)).ExitCode);
        await File.AppendAllTextAsync(Path.Combine(dir, "documents", "dr-ledger-runbook.md"), "\nA late edit.\n", TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("catalog", "import", file, "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines, l => l.StartsWith("plans[", StringComparison.Ordinal));
        Assert.Contains("raise the plan's version", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Services_the_file_no_longer_holds_are_deleted()
    {
        await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        var smaller = Path.Combine(Directory.CreateTempSubdirectory("hub-small-").FullName, "catalog.yaml");
        await File.WriteAllTextAsync(smaller, "services:\n  - {id: solo, name: Solo, tier: 2, rto: 1h, rpo: 5m, mtpd: 4h}\n", TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("catalog", "import", smaller, "--storage", Storage);
        var export = await CliRun.RunAsync("catalog", "export", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        var stored = CatalogYamlReader.Read(export.Out);
        Assert.Equal(["solo"], stored.Services.Select(s => s.Id));
        Assert.Empty(stored.Plans);
        Assert.Empty(stored.Exercises);
    }

    [Fact]
    public async Task UnreachableStorage_exits_1_with_one_line_and_no_stack_trace()
    {
        var nowhere = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};TableEndpoint=http://127.0.0.1:9/{AzuriteFixture.AccountName};BlobEndpoint=http://127.0.0.1:9/{AzuriteFixture.AccountName};QueueEndpoint=http://127.0.0.1:9/{AzuriteFixture.AccountName}";

        var run = await CliRun.RunAsync("catalog", "export", "--storage", nowhere);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: storage is unreachable", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    private async Task<List<string>> ListBlobsAsync()
    {
        var names = new List<string>();
        var blobs = new BlobServiceClient(Storage);
        await foreach (var container in blobs.GetBlobContainersAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }

    [Fact]
    public async Task An_import_that_tightens_an_rto_says_which_plan_must_be_reviewed_and_dry_run_writes_nothing()
    {
        var first = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(first.ExitCode == 0, first.Error);
        var folder = CopySeed();
        var file = Path.Combine(folder, "catalog.yaml");
        var yaml = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        var at = yaml.IndexOf("  - id: payments-gateway\n", StringComparison.Ordinal);
        var rto = yaml.IndexOf("    rto: 2h\n", at, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, yaml[..rto] + "    rto: 1h\n" + yaml[(rto + "    rto: 2h\n".Length)..], TestContext.Current.CancellationToken);
        const string Expected = "dr-payments: review required: RTO of payments-gateway tightened from 2 h to 1 h; the plan's recovery takes 1 h 30 min: it cannot meet the new RTO";

        var dry = await CliRun.RunAsync("catalog", "import", file, "--dry-run", "--storage", Storage);
        var stillStored = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--dry-run", "--storage", Storage);
        var real = await CliRun.RunAsync("catalog", "import", file, "--storage", Storage);
        var again = await CliRun.RunAsync("catalog", "import", file, "--storage", Storage);

        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Contains(Expected, dry.OutLines);
        Assert.Contains("Dry run: ", dry.OutLines[^1], StringComparison.Ordinal);
        Assert.Equal(["Dry run: no BIA change touches a plan; nothing written."], stillStored.OutLines);
        Assert.Contains(Expected, real.OutLines);
        Assert.StartsWith("Imported:", real.OutLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(again.OutLines, l => l.Contains("review required", StringComparison.Ordinal));
    }

    /// <summary>A copy of infra/seed and infra/samples (which the seed's scenarios name from the root) under a new root; the seed's folder.</summary>
    private static string CopySeed()
    {
        var root = Directory.CreateTempSubdirectory("hub-seed-").FullName;
        foreach (var folder in new[] { "seed", "samples" })
        {
            var from = Path.Combine(CliRun.RepoRoot, "infra", folder);
            foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, "infra", folder, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        return Path.Combine(root, "infra", "seed");
    }
}
