using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>`hub report` from a catalogue file: the three files in a folder, a summary, and bad input refused.</summary>
public sealed class ReportCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_from_the_seed_file_writes_the_three_files_and_prints_their_paths_and_a_summary()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("hub-report-").FullName, "out");

        var run = await CliRun.RunAsync("report", "--catalog", CliRun.Seed, "--at", "2026-11-25", "--out", folder);

        Assert.True(run.ExitCode == 0, run.Error);
        string[] files = ["continuity-report.html", "continuity-report.json", "continuity-report.csv"];
        Assert.Equal([.. files.Select(f => Path.Combine(folder, f))], run.OutLines[..3]);
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(folder, f)), $"{f} was not written"));
        Assert.StartsWith("Plan review compliance 90% (9 of 10 Approved plans within cycle); 1 overdue review, 2 exercises overdue", run.OutLines[3], StringComparison.Ordinal);
        Assert.Equal(4, run.OutLines.Length);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "continuity-report.json"), Token));
        var root = json.RootElement;
        Assert.Equal("2026-11-25", root.GetProperty("reportDate").GetString());
        Assert.Equal("2026-11-18", root.GetProperty("periodStart").GetString());
        Assert.Equal(0.9, root.GetProperty("planReviewCompliance").GetProperty("share").GetDouble());
        Assert.Contains("dr-sql-cluster", root.GetProperty("overdueReviews").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(0, root.GetProperty("incidents").GetProperty("assessed").GetInt32());
        Assert.Empty(root.GetProperty("incidents").GetProperty("items").EnumerateArray());

        var csv = await File.ReadAllBytesAsync(Path.Combine(folder, "continuity-report.csv"), Token);
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), csv[..3]);
        Assert.StartsWith("id,name,tier,rto,rpo,mtpd,plan,", Encoding.UTF8.GetString(csv, 3, csv.Length - 3), StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "continuity-report.html"), Token);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Report_date_defaults_to_today_in_UTC_by_the_command_clock()
    {
        var folder = Directory.CreateTempSubdirectory("hub-report-").FullName;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 30, 0, TimeSpan.FromHours(2))); // 25 Nov, 22:30 UTC

        var run = await CliRun.RunAsync(time, "report", "--catalog", CliRun.Seed, "--out", folder);

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "continuity-report.json"), Token));
        Assert.Equal("2026-11-25", json.RootElement.GetProperty("reportDate").GetString());
    }

    [Theory]
    [InlineData("25/11/2026")]
    [InlineData("2026-11-31")]
    [InlineData("2026-11-25T07:00:00Z")]
    public async Task A_report_date_that_is_not_yyyy_MM_dd_is_bad_input(string at)
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("hub-report-").FullName, "out");

        var run = await CliRun.RunAsync("report", "--catalog", CliRun.Seed, "--at", at, "--out", folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"--at: '{at}' is not a date: expected yyyy-MM-dd, e.g. 2026-11-24", Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task An_invalid_catalogue_is_bad_input_with_its_problems_and_writes_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("hub-report-").FullName;
        var file = Path.Combine(dir, "catalog.yaml");
        await File.WriteAllTextAsync(file, "services:\n  - {id: solo, name: Solo, tier: 2, rto: 10h, rpo: 5m, mtpd: 4h, owner: x@contoso.example}\n", Token);

        var folder = Path.Combine(dir, "out");

        var run = await CliRun.RunAsync("report", "--catalog", file, "--at", "2026-11-25", "--out", folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("services[0].rto: 10h exceeds mtpd 4h", Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_created_is_bad_input_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("hub-report-").FullName;
        var blocker = Path.Combine(dir, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the folder should be", Token);
        var folder = Path.Combine(blocker, "out");

        var run = await CliRun.RunAsync("report", "--catalog", CliRun.Seed, "--at", "2026-11-25", "--out", folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"--out: cannot create the folder {folder}: {blocker} is a file", Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Catalog_andStorage_together_are_bad_input()
    {
        var run = await CliRun.RunAsync("report", "--catalog", CliRun.Seed, "--storage", "UseDevelopmentStorage=true");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--catalog: give --catalog", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}

/// <summary>
/// `hub report --storage` against the real Azurite: the stored catalogue and the incidents of the period. The CLI
/// uses the production table names, so this shares the "storage" collection and starts from empty storage.
/// </summary>
[Collection("storage")]
public sealed class ReportStorageCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite)
{

    private static CancellationToken Token => TestContext.Current.CancellationToken;


    [Fact]
    public async Task Report_fromStorage_reads_the_stored_catalogue_and_the_incidents_started_in_the_seven_days_before()
    {
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
        var seed = CatalogYamlReader.Read(await File.ReadAllTextAsync(CliRun.Seed, Token));
        await StoreIncidentAsync(seed, "INC-CLI-R1", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        await StoreIncidentAsync(seed, "INC-CLI-R0", new DateTimeOffset(2026, 11, 17, 23, 59, 0, TimeSpan.Zero)); // the day before the period
        await StoreIncidentAsync(seed, "INC-CLI-R2", new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)); // the report date itself
        var folder = Directory.CreateTempSubdirectory("hub-report-").FullName;

        var run = await CliRun.RunAsync("report", "--storage", Storage, "--at", "2026-11-25", "--out", folder);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("the incidents started 2026-11-18 to 2026-11-24", run.Error, StringComparison.Ordinal);
        Assert.Contains("1 incident in the period", run.OutLines[3], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "continuity-report.json"), Token));
        var root = json.RootElement;
        Assert.Contains("dr-sql-cluster", root.GetProperty("overdueReviews").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var incidents = root.GetProperty("incidents");
        Assert.Equal(1, incidents.GetProperty("assessed").GetInt32());
        Assert.Equal("generic~INC-CLI-R1", Assert.Single(incidents.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    /// <summary>A P1 on the Core Ledger, assessed three hours in as the intake would, written straight to the incident store.</summary>
    private async Task StoreIncidentAsync(ContinuityCatalog catalog, string id, DateTimeOffset startedAt)
    {
        var incident = new Incident(
            IncidentKey.Create(AliasSource.Generic, id),
            AliasSource.Generic,
            id,
            "Core Ledger unavailable",
            Priority.P1,
            true,
            IncidentState.Open,
            startedAt,
            null,
            ["core-ledger"],
            null);
        var at = startedAt.AddHours(3);
        var assessment = InvocationClock.Assess(incident, new CatalogIndex(catalog), at);
        var document = AssessmentJson.ToDocument(assessment);
        var stored = new StoredIncident(incident, assessment.Level, document, at, at, [$"intake-archive/{id}.json"], null);
        var delivery = new IncidentEvent(id, at, IntakeChannel.Http, $"intake-archive/{id}.json", IncidentState.Open, Priority.P1, incident.Title);
        var outcome = await new TableIncidentStore(StorageClients.FromConnectionString(Storage))
            .WriteAsync(new IncidentWrite(stored, delivery, new AssessmentEntry(at, assessment.Level, document)), Token);
        Assert.Equal(WriteOutcome.Written, outcome);
    }
}
