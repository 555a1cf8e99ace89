using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Notifications;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Notifications;

public sealed class TableNotificationLedgerTests
{
    private static readonly DateOnly _due = new(2026, 11, 24);
    private static readonly DateTimeOffset _at = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private readonly TableClient _table;

    public TableNotificationLedgerTests(AzuriteFixture azurite)
    {
        var clients = new StorageClients(
            new TableServiceClient(azurite.ConnectionString),
            new BlobServiceClient(azurite.ConnectionString),
            new QueueServiceClient(azurite.ConnectionString));
        Ledger = new TableNotificationLedger(clients, AzuriteFixture.UniqueTableName());
        _table = clients.Tables.GetTableClient(Ledger.TableName);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TableNotificationLedger Ledger { get; }

    [Fact]
    public async Task A_recorded_notification_reads_back_with_every_field()
    {
        var record = Record("n1") with { GraphId = "1700000000000", GraphUrl = "https://teams.example/l/message/1", LastError = "429 twice", Attempts = 3 };

        await Ledger.RecordAsync(record, Token);

        Assert.Equal(record, await Ledger.FindAsync(_due, "n1", Token));
        var row = await _table.GetEntityAsync<TableEntity>("20261124", "n1", cancellationToken: Token);
        Assert.Equal("Sent", row.Value.GetString("State"));
    }

    [Fact]
    public async Task An_unknown_notification_or_another_day_is_not_found()
    {
        await Ledger.RecordAsync(Record("n1"), Token);

        Assert.Null(await Ledger.FindAsync(_due, "n2", Token));
        Assert.Null(await Ledger.FindAsync(_due.AddDays(1), "n1", Token));
    }

    [Fact]
    public async Task Recording_again_replaces_the_whole_record()
    {
        await Ledger.RecordAsync(Record("n1", state: NotificationState.Pending) with { LastError = "503", Attempts = 1 }, Token);
        var sent = Record("n1") with { Attempts = 2, GraphId = "m-1", UpdatedAt = _at.AddMinutes(1) };

        await Ledger.RecordAsync(sent, Token);

        var found = await Ledger.FindAsync(_due, "n1", Token);
        Assert.Equal(sent, found);
        Assert.Null(found!.LastError);
    }

    [Fact]
    public async Task List_returns_the_day_records_of_the_incident_only()
    {
        await Ledger.RecordAsync(Record("a1", incidentKey: "generic~INC-1"), Token);
        await Ledger.RecordAsync(Record("a2", incidentKey: "generic~INC-1", channel: "activity"), Token);
        await Ledger.RecordAsync(Record("b1", incidentKey: "generic~INC-2"), Token);
        await Ledger.RecordAsync(Record("a3", incidentKey: "generic~INC-1") with { Due = _due.AddDays(1) }, Token);

        var listed = new List<NotificationRecord>();
        await foreach (var record in Ledger.ListAsync(_due, "generic~INC-1", Token))
        {
            listed.Add(record);
        }

        Assert.Equal(["a1", "a2"], listed.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Record("a2", incidentKey: "generic~INC-1", channel: "activity"), listed.Single(r => r.Id == "a2"));
    }

    [Fact]
    public async Task An_id_with_characters_keys_forbid_is_escaped_and_round_trips()
    {
        await Ledger.RecordAsync(Record("a/b#c?d~e"), Token);

        Assert.Equal("a/b#c?d~e", (await Ledger.FindAsync(_due, "a/b#c?d~e", Token))!.Id);
        Assert.Equal("a%2Fb%23c%3Fd%7Ee", TableNotificationLedger.RowKey("a/b#c?d~e"));
    }

    private static NotificationRecord Record(
        string id,
        string incidentKey = "generic~INC-1",
        string channel = "card",
        NotificationState state = NotificationState.Sent) =>
        new(id, _due, incidentKey, "bcp-payments", "Alert", channel, "ana@contoso.example", state, 1, null, null, null, _at);
}
