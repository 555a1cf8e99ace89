using System.Text.Json.Nodes;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub maintenance add|list|cancel` against the real Azurite with the seed catalogue imported (one window,
/// mw-email-collab-weekly, Sundays 02:00–04:00 Stockholm), on a fixed clock inside it (Sunday 02:30 Stockholm). Shares the "storage" collection.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class MaintenanceCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 1, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    private Task<CliRun> AddAsync(params string[] extra) =>
        CliRun.RunAsync(_time, ["maintenance", "add", "--id", "mw-cli", "--services", "email-collab", "--reason", "Mail gateway upgrade", "--approved-by", "cab@contoso.com", .. extra, "--storage", Storage]);

    [Fact]
    public async Task Add_then_list_json_shows_it_beside_the_catalogues_and_it_survives_an_import()
    {
        var add = await AddAsync("--start", "2026-12-06T01:00:00Z", "--end", "2026-12-06T03:00:00Z");
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        var list = await CliRun.RunAsync(_time, "maintenance", "list", "--json", "--storage", Storage);

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.True(list.ExitCode == 0, list.Error);
        var windows = JsonNode.Parse(list.Out)!.AsArray();
        Assert.Equal(
            [("mw-email-collab-weekly", "catalogue", true), ("mw-cli", "api", true)],
            windows.Select(w => (w!["id"]!.GetValue<string>(), w["origin"]!.GetValue<string>(), w["active"]!.GetValue<bool>())));
    }

    [Fact]
    public async Task Catalog_export_leaves_out_the_windows_added_here_so_a_reimport_keeps_them_api_windows()
    {
        var add = await AddAsync("--start", "2026-12-06T01:00:00Z", "--end", "2026-12-06T03:00:00Z");
        var exported = Path.Combine(Directory.CreateTempSubdirectory("hub-export-").FullName, "catalog.yaml");
        var export = await CliRun.RunAsync("catalog", "export", "--storage", Storage, "--out", exported);
        var import = await CliRun.RunAsync("catalog", "import", exported, "--storage", Storage);
        var list = await CliRun.RunAsync(_time, "maintenance", "list", "--json", "--storage", Storage);

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("1 maintenance window(s)", export.Error, StringComparison.Ordinal);
        var yaml = await File.ReadAllTextAsync(exported, TestContext.Current.CancellationToken);
        Assert.Equal(["mw-email-collab-weekly"], ContinuityHub.Catalog.CatalogYamlReader.Read(yaml).Maintenance.Select(w => w.Id));
        Assert.DoesNotContain("mw-cli", yaml, StringComparison.Ordinal);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.StartsWith("Nothing to change", import.Out, StringComparison.Ordinal);
        Assert.Equal(
            [("mw-email-collab-weekly", "catalogue"), ("mw-cli", "api")],
            JsonNode.Parse(list.Out)!.AsArray().Select(w => (w!["id"]!.GetValue<string>(), w["origin"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Add_weekly_then_cancel_removes_it_and_cancel_of_a_catalogue_window_is_refused()
    {
        var add = await AddAsync("--weekly", "Sat,Sunday", "--from", "22:00", "--to", "02:00", "--time-zone", "Europe/Stockholm");
        var cancel = await CliRun.RunAsync(_time, "maintenance", "cancel", "mw-cli", "--storage", Storage);
        var declared = await CliRun.RunAsync(_time, "maintenance", "cancel", "mw-email-collab-weekly", "--storage", Storage);
        var list = await CliRun.RunAsync(_time, "maintenance", "list", "--storage", Storage);

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.Equal(2, declared.ExitCode);
        Assert.Contains("id: 'mw-email-collab-weekly' is declared in the catalogue: remove it there and import", declared.Error, StringComparison.Ordinal);
        Assert.StartsWith("mw-email-collab-weekly (catalogue)", Assert.Single(list.OutLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_weekly_on_sundays_and_the_seed_calendars_holidays_lists_them()
    {
        var add = await AddAsync("--weekly", "Sun,Holidays", "--from", "22:00", "--to", "23:00");
        var list = await CliRun.RunAsync(_time, "maintenance", "list", "--json", "--storage", Storage);

        Assert.True(add.ExitCode == 0, add.Error);
        var added = JsonNode.Parse(list.Out)!.AsArray().Single(w => w!["id"]!.GetValue<string>() == "mw-cli")!;
        Assert.Equal(["Sunday", "Holidays"], added["weekly"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task A_bad_flag_is_exit_2_naming_it()
    {
        var badTime = await AddAsync("--start", "tomorrow", "--end", "2026-12-06T03:00:00Z");
        var unknown = await CliRun.RunAsync(_time, "maintenance", "add", "--id", "mw-cli", "--services", "no-such", "--start", "2026-12-06T01:00:00Z", "--end", "2026-12-06T03:00:00Z", "--reason", "r", "--approved-by", "a", "--storage", Storage);
        var taken = await CliRun.RunAsync(_time, "maintenance", "add", "--id", "mw-email-collab-weekly", "--services", "email-collab", "--start", "2026-12-06T01:00:00Z", "--end", "2026-12-06T03:00:00Z", "--reason", "r", "--approved-by", "a", "--storage", Storage);

        Assert.Equal((2, 2, 2), (badTime.ExitCode, unknown.ExitCode, taken.ExitCode));
        Assert.Contains("--start: 'tomorrow' is not a date and time with an offset", badTime.Error, StringComparison.Ordinal);
        Assert.Contains("--services: unknown service 'no-such'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("--id: 'mw-email-collab-weekly' is declared in the catalogue", taken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_weekly_day_is_exit_2_on_the_weekly_flag()
    {
        var add = await AddAsync("--weekly", "Sun,Feast", "--from", "22:00", "--to", "23:00");

        Assert.Equal(2, add.ExitCode);
        Assert.Contains("--weekly: unknown day 'Feast' (expected Monday..Sunday, Mon..Sun, or Holidays)", add.Error, StringComparison.Ordinal);
    }
}
