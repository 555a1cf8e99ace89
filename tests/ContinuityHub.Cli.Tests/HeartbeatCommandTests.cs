using System.Text.Json;
using ContinuityHub.Azure.Heartbeats;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Heartbeats;
using ContinuityHub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub heartbeats list|pause|resume` against the real Azurite with the seed catalogue imported (four heartbeats:
/// sql-cluster log-backup and ag-dc2-replica, ledger-db dc2-log-shipping, payments-gateway journal-replication),
/// on a fixed clock. Shares the "storage" collection and starts from empty storage.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class HeartbeatCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static readonly string[] Header = ["Service", "Heartbeat", "State", "Last recovery point", "Exposure", "RPO", "Every (+ grace)", "Note"];

    private static readonly string[] ViewFields =
        ["service", "heartbeat", "state", "lastRecoveryPoint", "lastBeatAt", "exposureSeconds", "rpoSeconds", "everySeconds", "pausedUntil", "pauseReason", "message"];

    private readonly FakeTimeProvider _time = new(Now);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var import = await CliRun.RunAsync("catalog", "import", CliRun.Seed, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);
    }

    [Fact]
    public async Task List_shows_every_declared_heartbeat_Ok_at_the_first_look_counting_from_then()
    {
        var run = await CliRun.RunAsync(_time, "heartbeats", "list", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(run.Error);
        var (header, rows) = Table(run.Out);
        Assert.Equal(Header, header);
        const string never = "never reported: exposure counts from 24 Nov 2026 10:30 UTC";
        string[][] expected =
            [
                ["ledger-db", "dc2-log-shipping", "Ok", "–", "0 min", "5 min", "2 min + 1 min", never],
                ["payments-gateway", "journal-replication", "Ok", "–", "0 min", "5 min", "1 min + 30 s", never],
                ["sql-cluster", "ag-dc2-replica", "Ok", "–", "0 min", "5 min", "1 min + 30 s", never],
                ["sql-cluster", "log-backup", "Ok", "–", "0 min", "5 min", "1 min + 30 s", never],
            ];
        Assert.Equal(expected, rows);
        Assert.Empty(await Store().ListAsync(Token)); // a look records nothing
    }

    [Fact]
    public async Task List_puts_the_worst_first_then_service_and_name()
    {
        await WriteAsync("sql-cluster", "log-backup", recoveryPointAgo: TimeSpan.FromMinutes(10));          // Breached: past the 5 min RPO
        await WriteAsync("sql-cluster", "ag-dc2-replica", recoveryPointAgo: TimeSpan.FromMinutes(4.5));     // AtRisk: past 0.8 of it
        await WriteAsync("payments-gateway", "journal-replication", recoveryPointAgo: TimeSpan.FromMinutes(2)); // Late: due after 1 min + 30 s
        await WriteAsync("ledger-db", "dc2-log-shipping", recoveryPointAgo: TimeSpan.FromMinutes(1));       // Ok: due after 2 min + 1 min

        var run = await CliRun.RunAsync(_time, "heartbeats", "list", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        var (_, rows) = Table(run.Out);
        string[][] expected =
            [
                ["sql-cluster", "log-backup", "Breached", "24 Nov 2026 10:20 UTC", "10 min"],
                ["sql-cluster", "ag-dc2-replica", "AtRisk", "24 Nov 2026 10:25 UTC", "4 min"],
                ["payments-gateway", "journal-replication", "Late", "24 Nov 2026 10:28 UTC", "2 min"],
                ["ledger-db", "dc2-log-shipping", "Ok", "24 Nov 2026 10:29 UTC", "1 min"],
            ];
        Assert.Equal(expected, rows.Select(r => r[..5]));
    }

    [Fact]
    public async Task List_json_is_an_array_of_heartbeat_views_and_nothing_else()
    {
        await WriteAsync("ledger-db", "dc2-log-shipping", recoveryPointAgo: TimeSpan.FromMinutes(1));

        var run = await CliRun.RunAsync(_time, "heartbeats", "list", "--json", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.All(items, item => Assert.Equal(ViewFields, item.EnumerateObject().Select(p => p.Name)));
        var ledger = items.Single(i => i.GetProperty("service").GetString() == "ledger-db");
        Assert.Equal("dc2-log-shipping", ledger.GetProperty("heartbeat").GetString());
        Assert.Equal("Ok", ledger.GetProperty("state").GetString());
        Assert.Equal("2026-11-24T10:29:00Z", ledger.GetProperty("lastRecoveryPoint").GetString());
        Assert.Equal("2026-11-24T10:29:00Z", ledger.GetProperty("lastBeatAt").GetString());
        Assert.Equal(60, ledger.GetProperty("exposureSeconds").GetInt64());
        Assert.Equal(300, ledger.GetProperty("rpoSeconds").GetInt64());
        Assert.Equal(120, ledger.GetProperty("everySeconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, ledger.GetProperty("pausedUntil").ValueKind);
        var never = items.First(i => i.GetProperty("service").GetString() == "sql-cluster");
        Assert.Equal(JsonValueKind.Null, never.GetProperty("lastRecoveryPoint").ValueKind);
        Assert.Equal(0, never.GetProperty("exposureSeconds").GetInt64());
    }

    [Fact]
    public async Task Pause_shows_as_Paused_with_until_and_reason_and_resume_watches_it_again()
    {
        var pause = await CliRun.RunAsync(
            _time, "heartbeats", "pause", "ledger-db", "dc2-log-shipping", "--until", "2026-11-24T16:00:00+02:00", "--reason", "DC2 standby rebuild", "--storage", Storage);

        Assert.True(pause.ExitCode == 0, pause.Error);
        Assert.Equal("Heartbeat dc2-log-shipping of ledger-db is paused until 24 Nov 2026 14:00 UTC: it raises no RPO incident.", Assert.Single(pause.OutLines));
        var (_, rows) = Table((await CliRun.RunAsync(_time, "heartbeats", "list", "--storage", Storage)).Out);
        Assert.Equal(["ledger-db", "dc2-log-shipping", "Paused"], rows[0][..3]);
        Assert.Equal("paused until 24 Nov 2026 14:00 UTC: DC2 standby rebuild", rows[0][7]);
        Assert.All(rows[1..], r => Assert.Equal("Ok", r[2]));
        using (var json = JsonDocument.Parse((await CliRun.RunAsync(_time, "heartbeats", "list", "--json", "--storage", Storage)).Out))
        {
            var paused = json.RootElement[0];
            Assert.Equal("Paused", paused.GetProperty("state").GetString());
            Assert.Equal("2026-11-24T14:00:00Z", paused.GetProperty("pausedUntil").GetString());
            Assert.Equal("DC2 standby rebuild", paused.GetProperty("pauseReason").GetString());
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        var resume = await CliRun.RunAsync(_time, "heartbeats", "resume", "ledger-db", "dc2-log-shipping", "--storage", Storage);

        Assert.True(resume.ExitCode == 0, resume.Error);
        Assert.Equal("Heartbeat dc2-log-shipping of ledger-db is watched again: Ok.", Assert.Single(resume.OutLines));
        (_, rows) = Table((await CliRun.RunAsync(_time, "heartbeats", "list", "--storage", Storage)).Out);
        var ledger = Assert.Single(rows, r => r[0] == "ledger-db");
        Assert.Equal("Ok", ledger[2]);
        Assert.Equal("30 s", ledger[4]); // counted from the pause, the hub's first look at it
        Assert.DoesNotContain("paused", ledger[7], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_without_until_lasts_until_resumed()
    {
        var pause = await CliRun.RunAsync(_time, "heartbeats", "pause", "sql-cluster", "log-backup", "--storage", Storage);

        Assert.True(pause.ExitCode == 0, pause.Error);
        Assert.Equal("Heartbeat log-backup of sql-cluster is paused: it raises no RPO incident.", Assert.Single(pause.OutLines));
        _time.Advance(TimeSpan.FromDays(3));
        var (_, rows) = Table((await CliRun.RunAsync(_time, "heartbeats", "list", "--storage", Storage)).Out);
        Assert.Equal(["sql-cluster", "log-backup", "Paused", "–", "3 d", "5 min", "1 min + 30 s", "paused until resumed"], rows[0]);
    }

    [Theory]
    [InlineData("pause", "ledger-db", "nightly-full", "name")]
    [InlineData("pause", "ledgr-db", "dc2-log-shipping", "serviceId")]
    [InlineData("resume", "ledger-db", "nightly-full", "name")]
    [InlineData("resume", "core-ledger", "log-shipping", "name")] // a service without heartbeats
    public async Task An_undeclared_heartbeat_is_bad_input_naming_it_and_records_nothing(string verb, string serviceId, string name, string path)
    {
        var run = await CliRun.RunAsync(_time, "heartbeats", verb, serviceId, name, "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            $"{path}: The catalogue declares no heartbeat '{name}' for service '{serviceId}' (services[].heartbeats[].name); nothing was recorded.",
            Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
        Assert.Empty(await Store().ListAsync(Token));
    }

    [Theory]
    [InlineData("tomorrow", "--until: 'tomorrow' is not an ISO 8601 time with an offset, e.g. 2026-11-24T06:00:00Z")]
    [InlineData("2026-11-24T16:00:00", "--until: '2026-11-24T16:00:00' is not an ISO 8601 time with an offset, e.g. 2026-11-24T06:00:00Z")]
    [InlineData("2026-11-24T10:00:00Z", "--until: 2026-11-24T10:00:00Z is not in the future (now 2026-11-24T10:30:00Z)")]
    [InlineData("2026-11-24T12:30:00+02:00", "--until: 2026-11-24T10:30:00Z is not in the future (now 2026-11-24T10:30:00Z)")]
    public async Task An_until_that_is_not_a_future_time_with_an_offset_is_bad_input(string until, string expected)
    {
        var run = await CliRun.RunAsync(_time, "heartbeats", "pause", "ledger-db", "dc2-log-shipping", "--until", until, "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
        Assert.Empty(await Store().ListAsync(Token));
    }

    [Fact]
    public async Task A_catalogue_without_heartbeats_is_said_so()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("hub-heartbeats-").FullName, "catalog.yaml");
        await File.WriteAllTextAsync(file, "services:\n  - {id: solo, name: Solo, tier: 2, rto: 1h, rpo: 5m, mtpd: 4h, owner: x@contoso.example}\n", Token);
        var import = await CliRun.RunAsync("catalog", "import", file, "--storage", Storage);
        Assert.True(import.ExitCode == 0, import.Error);

        var table = await CliRun.RunAsync(_time, "heartbeats", "list", "--storage", Storage);
        var json = await CliRun.RunAsync(_time, "heartbeats", "list", "--json", "--storage", Storage);

        Assert.True(table.ExitCode == 0, table.Error);
        Assert.StartsWith("No heartbeats declared: ", Assert.Single(table.OutLines), StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.Error);
        Assert.Equal("[]", json.Out.Trim());
        Assert.StartsWith("No heartbeats declared: ", Assert.Single(json.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_verb_and_its_commands()
    {
        var root = await CliRun.RunAsync("--help");
        var verb = await CliRun.RunAsync("heartbeats", "--help");

        Assert.Equal(0, root.ExitCode);
        Assert.Contains(root.OutLines, l => l.StartsWith("heartbeats ", StringComparison.Ordinal));
        Assert.Equal(0, verb.ExitCode);
        Assert.Contains(verb.OutLines, l => l.StartsWith("list ", StringComparison.Ordinal));
        Assert.Contains(verb.OutLines, l => l.StartsWith("pause <serviceId> <name> ", StringComparison.Ordinal));
        Assert.Contains(verb.OutLines, l => l.StartsWith("resume <serviceId> <name> ", StringComparison.Ordinal));
    }

    private TableHeartbeatStore Store() => new(StorageClients.FromConnectionString(Storage));

    /// <summary>A heartbeat that last beat <paramref name="recoveryPointAgo"/> before now, with that recovery point, first watched an hour ago.</summary>
    private async Task WriteAsync(string serviceId, string name, TimeSpan recoveryPointAgo)
    {
        var at = Now - recoveryPointAgo;
        var record = HeartbeatRecord.New(serviceId, name, Now.AddHours(-1)) with { LastRecoveryPoint = at, LastBeatAt = at, Beats = 1 };
        Assert.Equal(WriteOutcome.Written, await Store().WriteAsync(record, Token));
    }

    /// <summary>The table's header and rows, each as its trimmed cells (Spectre's box drawing: │ between cells).</summary>
    private static (string[] Header, List<string[]> Rows) Table(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith('│')).ToList();
        var cells = lines.Select(l => l.Trim('│').Split('│').Select(c => c.Trim()).ToArray()).ToList();
        return (cells[0], cells[1..]);
    }
}
