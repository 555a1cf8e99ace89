using System.Text.Json.Nodes;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub exercise findings add|close|list` against the real Azurite with the seed catalogue imported, on a fixed clock.
/// Shares the "storage" collection.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class ExerciseFindingsCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private const string Exercise = "ex-2026-ledger-failover";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(_time, [.. args, "--storage", Storage]);

    [Fact]
    public async Task A_finding_added_is_listed_beside_the_catalogues_survives_an_import_and_closes()
    {
        var add = await RunAsync("exercise", "findings", "add", Exercise, "--text", "Failover runbook lacks the DNS step", "--owner", "sam.okafor@contoso.com", "--due", "2026-12-01");
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        var open = await RunAsync("exercise", "findings", "list", Exercise, "--open", "--json");
        var close = await RunAsync("exercise", "findings", "close", Exercise, "F-1", "--on", "2026-12-04");
        var after = await RunAsync("exercise", "findings", "list", Exercise, "--json");

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Equal($"Finding F-1 added to {Exercise} (owner sam.okafor@contoso.com, due 2026-12-01).", add.Out.Trim());
        Assert.True(import.ExitCode == 0, import.Error);
        var listed = JsonNode.Parse(open.Out)!.AsArray();
        var added = listed.Single(f => (string?)f!["id"] == "F-1")!;
        Assert.Equal(("api", true, "ledger"), ((string?)added["origin"], (bool)added["overdue"]!, ((string?)added["plan"])?[3..]));
        Assert.True(close.ExitCode == 0, close.Error);
        Assert.Equal($"Finding F-1 of {Exercise} closed on 2026-12-04.", close.Out.Trim());
        Assert.Equal("2026-12-04", (string?)JsonNode.Parse(after.Out)!.AsArray().Single(f => (string?)f!["id"] == "F-1")!["closed"]);
        Assert.Contains(JsonNode.Parse(after.Out)!.AsArray(), f => (string?)f!["id"] == "F-101" && (string?)f["origin"] == "catalogue");
    }

    [Fact]
    public async Task Bad_fields_an_unknown_exercise_a_taken_id_and_a_catalogue_finding_exit_2_naming_what()
    {
        var bad = await RunAsync("exercise", "findings", "add", Exercise, "--text", " ", "--owner", "sam", "--due", "31/12/2026");
        var unknown = await RunAsync("exercise", "findings", "add", "ex-nope", "--text", "x", "--owner", "sam@contoso.com", "--due", "2026-12-31");
        var taken = await RunAsync("exercise", "findings", "add", Exercise, "--id", "F-101", "--text", "x", "--owner", "sam@contoso.com", "--due", "2026-12-31");
        var catalogue = await RunAsync("exercise", "findings", "close", Exercise, "F-101");

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--text: is required", bad.Error, StringComparison.Ordinal);
        Assert.Contains("--owner: is required: the owner's e-mail address or UPN", bad.Error, StringComparison.Ordinal);
        Assert.Contains("--due: '31/12/2026' is not a date", bad.Error, StringComparison.Ordinal);
        Assert.Equal((2, "exerciseId: the stored catalogue has no exercise 'ex-nope'"), (unknown.ExitCode, unknown.Error.Trim()));
        Assert.Equal(2, taken.ExitCode);
        Assert.StartsWith("--id: 'F-101' is taken", taken.Error, StringComparison.Ordinal);
        Assert.Equal(2, catalogue.ExitCode);
        Assert.StartsWith("findingId: 'F-101' is declared in the catalogue", catalogue.Error, StringComparison.Ordinal);
    }
}
