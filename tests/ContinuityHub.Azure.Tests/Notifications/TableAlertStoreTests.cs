using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Notifications;

public sealed class TableAlertStoreTests
{
    private const string Incident = "generic~INC-1";
    private const string Other = "generic~INC-2";

    private static readonly DateTimeOffset _at = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private readonly TableClient _table;

    public TableAlertStoreTests(AzuriteFixture azurite)
    {
        var clients = new StorageClients(
            new TableServiceClient(azurite.ConnectionString),
            new BlobServiceClient(azurite.ConnectionString),
            new QueueServiceClient(azurite.ConnectionString));
        Store = new TableAlertStore(clients, AzuriteFixture.UniqueTableName());
        _table = clients.Tables.GetTableClient(Store.TableName);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private TableAlertStore Store { get; }

    [Fact]
    public async Task A_new_alert_reads_back_with_every_field_and_an_ETag()
    {
        var alert = Alert("bcp-payments") with
        {
            MessageId = "1700000000000",
            MessageUrl = "https://teams.example/l/message/1",
            BridgeUrl = "https://teams.example/l/meetup-join/1",
            WarRoomUrl = "https://teams.example/l/channel/1",
            Paged = [new PagedTier(0, ["ana@contoso.example", "ben@contoso.example"], _at), new PagedTier(1, ["cy@contoso.example"], _at.AddMinutes(15).AddTicks(1234567))],
            NextEscalationAt = _at.AddMinutes(30),
            AcknowledgedBy = "ana@contoso.example",
            AcknowledgedAt = _at.AddMinutes(3),
            DecidedBy = "ben@contoso.example",
            DecidedAt = _at.AddMinutes(4),
            DeliveryProblem = "The card could not be posted: 403 Forbidden.",
        };

        var outcome = await Store.WriteAsync(new AlertWrite(Incident, [alert], []), Token);
        var found = await Store.FindAlertAsync(Incident, "bcp-payments", Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.NotNull(found);
        Assert.False(string.IsNullOrEmpty(found.ETag));
        AssertSame(alert, found);
    }

    [Fact]
    public async Task An_unknown_alert_and_an_unused_token_are_not_found()
    {
        Assert.Null(await Store.FindAlertAsync(Incident, "bcp-payments", Token));
        Assert.Null(await Store.FindTokenAsync(Incident, "nonce", Token));
        Assert.Empty(await Store.ListAlertsAsync(Incident, Token));
        Assert.Empty(await Store.PendingOutboxAsync(Incident, Token));
    }

    [Fact]
    public async Task An_alert_replaced_at_its_ETag_keeps_the_change_and_gets_a_new_ETag()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments")], []), Token);
        var read = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        var acknowledged = read with { Status = AlertStatus.Acknowledged, AcknowledgedBy = "ana@contoso.example", AcknowledgedAt = _at.AddMinutes(2) };

        var outcome = await Store.WriteAsync(new AlertWrite(Incident, [acknowledged], []), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var found = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        Assert.NotEqual(read.ETag, found.ETag);
        AssertSame(acknowledged, found);
    }

    [Fact]
    public async Task A_stale_alert_ETag_is_a_conflict_and_nothing_of_the_write_is_written()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments")], []), Token);
        var read = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        await Store.WriteAsync(new AlertWrite(Incident, [read with { Level = AssessmentLevel.RecommendInvocation }], []), Token);
        var stale = read with { Status = AlertStatus.Acknowledged, AcknowledgedBy = "ana@contoso.example" };

        var outcome = await Store.WriteAsync(
            new AlertWrite(Incident, [stale], [Entry(Incident, _at, OutboxKind.Acknowledged)], Used("n1")), Token);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        var found = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        Assert.Equal((AssessmentLevel.RecommendInvocation, AlertStatus.Active), (found.Level, found.Status));
        Assert.Empty(await Store.PendingOutboxAsync(Incident, Token));
        Assert.Null(await Store.FindTokenAsync(Incident, "n1", Token));
    }

    [Fact]
    public async Task Adding_an_alert_someone_else_added_first_is_a_conflict()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments")], []), Token);

        var outcome = await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments") with { Level = AssessmentLevel.Invoke }], []), Token);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.Equal(AssessmentLevel.Alert, (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!.Level);
    }

    [Fact]
    public async Task Replacing_an_alert_that_is_not_there_is_a_conflict()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments")], []), Token);
        var read = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;

        var outcome = await Store.WriteAsync(new AlertWrite(Other, [read with { IncidentKey = Other }], []), Token);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.Null(await Store.FindAlertAsync(Other, "bcp-payments", Token));
    }

    [Fact]
    public async Task A_token_used_twice_makes_the_second_write_a_duplicate_and_writes_nothing_of_it()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments")], []), Token);
        var read = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        var first = new AlertWrite(Incident, [read with { Status = AlertStatus.Acknowledged }], [Entry(Incident, _at, OutboxKind.Acknowledged)], Used("n1"));
        Assert.Equal(WriteOutcome.Written, await Store.WriteAsync(first, Token));
        var current = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;

        var outcome = await Store.WriteAsync(
            new AlertWrite(Incident, [current with { Status = AlertStatus.Invoked }], [Entry(Incident, _at.AddMinutes(1), OutboxKind.Invoked)], Used("n1", "ben@contoso.example")),
            Token);

        Assert.Equal(WriteOutcome.Duplicate, outcome);
        var after = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        Assert.Equal((AlertStatus.Acknowledged, current.ETag), (after.Status, after.ETag));
        Assert.Equal([OutboxKind.Acknowledged], (await Store.PendingOutboxAsync(Incident, Token)).Select(e => e.Kind));
        var token = await Store.FindTokenAsync(Incident, "n1", Token);
        Assert.Equal(Used("n1"), token);
    }

    [Fact]
    public async Task A_used_token_is_a_duplicate_even_when_the_alert_has_moved_on()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [Alert("bcp-payments")], []), Token);
        var read = (await Store.FindAlertAsync(Incident, "bcp-payments", Token))!;
        await Store.WriteAsync(new AlertWrite(Incident, [read with { Status = AlertStatus.Acknowledged }], [], Used("n1")), Token);

        var outcome = await Store.WriteAsync(new AlertWrite(Incident, [read with { Status = AlertStatus.Acknowledged }], [], Used("n1")), Token);

        Assert.Equal(WriteOutcome.Duplicate, outcome);
    }

    [Fact]
    public async Task Escalations_due_are_the_alerts_due_at_or_before_now_across_incidents()
    {
        await Store.WriteAsync(
            new AlertWrite(Incident, [Alert("due-early") with { NextEscalationAt = _at.AddMinutes(-5) }, Alert("due-now") with { NextEscalationAt = _at }, Alert("later") with { NextEscalationAt = _at.AddSeconds(1) }], []),
            Token);
        await Store.WriteAsync(
            new AlertWrite(Other, [Alert("other-due", Other) with { NextEscalationAt = _at.AddHours(-1) }, Alert("acknowledged", Other) with { Status = AlertStatus.Acknowledged }], []),
            Token);

        var due = await ListAsync(Store.ListEscalationsDueAsync(_at, Token));

        Assert.Equal(
            [(Incident, "due-early"), (Incident, "due-now"), (Other, "other-due")],
            due.Select(a => (a.IncidentKey, a.Plan)).Order());
        Assert.Equal(_at, due.Single(a => a.Plan == "due-now").NextEscalationAt);
        Assert.All(due, a => Assert.False(string.IsNullOrEmpty(a.ETag)));
    }

    [Fact]
    public async Task Pending_outbox_across_incidents_is_the_entries_not_done_by_incident_then_id()
    {
        var done = Entry(Incident, _at.AddMinutes(1), OutboxKind.Escalate);
        await Store.WriteAsync(new AlertWrite(Other, [], [Entry(Other, _at.AddMinutes(-1)), Entry(Other, _at.AddMinutes(2), OutboxKind.StandDown)]), Token);
        await Store.WriteAsync(new AlertWrite(Incident, [], [Entry(Incident, _at), done, Entry(Incident, _at.AddMinutes(3), OutboxKind.Acknowledged)]), Token);
        var doneRead = (await Store.PendingOutboxAsync(Incident, Token)).Single(e => e.Id == done.Id);
        await Store.WriteAsync(new AlertWrite(Incident, [], [doneRead with { Done = true, Attempts = 1 }]), Token);

        var pending = await ListAsync(Store.ListPendingOutboxAsync(Token));

        Assert.Equal(
            [
                (Incident, OutboxEntry.IdAt(_at)),
                (Incident, OutboxEntry.IdAt(_at.AddMinutes(3))),
                (Other, OutboxEntry.IdAt(_at.AddMinutes(-1))),
                (Other, OutboxEntry.IdAt(_at.AddMinutes(2))),
            ],
            pending.Select(e => (e.IncidentKey, e.Id)));
    }

    [Fact]
    public async Task An_outbox_entry_reads_back_with_every_field_and_is_replaced_at_its_ETag()
    {
        var entry = new OutboxEntry(Incident, OutboxEntry.IdAt(_at), _at, OutboxKind.Escalate, AssessmentLevel.Alert, ["bcp-payments"], "hub", 2);
        await Store.WriteAsync(new AlertWrite(Incident, [], [entry]), Token);
        var read = Assert.Single(await Store.PendingOutboxAsync(Incident, Token));
        Assert.Equal(Json(entry with { Claims = 0 }), Json(read with { ETag = null })); // a new entry is stored unclaimed
        Assert.False(string.IsNullOrEmpty(read.ETag));
        var claimed = read with { Attempts = 1, LastError = "Graph answered 429.", ClaimedUntil = _at.AddMinutes(2) };

        var outcome = await Store.WriteAsync(new AlertWrite(Incident, [], [claimed]), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var after = Assert.Single(await Store.PendingOutboxAsync(Incident, Token));
        Assert.Equal(Json(claimed with { ETag = null }), Json(after with { ETag = null }));
        Assert.Equal(WriteOutcome.Conflict, await Store.WriteAsync(new AlertWrite(Incident, [], [read with { Done = true }]), Token));
        Assert.False(Assert.Single(await Store.PendingOutboxAsync(Incident, Token)).Done);
    }

    [Fact]
    public async Task A_claim_replaces_the_entry_at_its_ETag_and_gives_back_the_new_one_and_a_stale_claim_gets_nothing()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [], [new OutboxEntry(Incident, OutboxEntry.IdAt(_at), _at, OutboxKind.Alert, AssessmentLevel.Alert, ["bcp-payments"])]), Token);
        var read = Assert.Single(await Store.PendingOutboxAsync(Incident, Token));

        var claimed = await Store.ReplaceOutboxAsync(read with { ClaimedUntil = _at.AddMinutes(2), Claims = 1 }, Token);
        var stale = await Store.ReplaceOutboxAsync(read with { ClaimedUntil = _at.AddMinutes(3), Claims = 1 }, Token);

        Assert.NotNull(claimed);
        Assert.Null(stale);
        var stored = Assert.Single(await Store.PendingOutboxAsync(Incident, Token));
        Assert.Equal(stored.ETag, claimed.ETag);
        Assert.Equal((_at.AddMinutes(2), (int?)1), (stored.ClaimedUntil, stored.Claims));
        Assert.NotNull(await Store.ReplaceOutboxAsync(claimed with { ClaimedUntil = null }, Token)); // its new ETag is the stored one
    }

    [Fact]
    public async Task An_outbox_row_stored_before_claims_were_counted_reads_as_claims_unknown_and_stays_so()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [], [new OutboxEntry(Incident, OutboxEntry.IdAt(_at), _at, OutboxKind.Alert, AssessmentLevel.Alert, ["bcp-payments"])]), Token);
        var row = (await _table.GetEntityAsync<TableEntity>(TableIncidentStore.PartitionKey(Incident), OutboxEntry.IdAt(_at), cancellationToken: Token)).Value;
        row.Remove("Claims");
        await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, Token);

        var read = Assert.Single(await Store.PendingOutboxAsync(Incident, Token));
        var claimed = await Store.ReplaceOutboxAsync(read with { ClaimedUntil = _at.AddMinutes(2), Claims = read.Claims + 1 }, Token);

        Assert.Null(read.Claims);
        Assert.NotNull(claimed);
        Assert.Null(Assert.Single(await Store.PendingOutboxAsync(Incident, Token)).Claims);
    }

    [Fact]
    public async Task Entries_at_a_tick_already_taken_are_written_after_it_in_the_order_given()
    {
        await Store.WriteAsync(new AlertWrite(Incident, [], [Entry(Incident, _at, OutboxKind.Alert)]), Token);

        var outcome = await Store.WriteAsync(
            new AlertWrite(Incident, [], [Entry(Incident, _at, OutboxKind.Escalate), Entry(Incident, _at, OutboxKind.Acknowledged)]), Token);
        await Store.WriteAsync(new AlertWrite(Incident, [], [Entry(Incident, _at, OutboxKind.Invoked)]), Token);
        await Store.WriteAsync(new AlertWrite(Incident, [], [Entry(Incident, _at.AddTicks(1), OutboxKind.StoodDown)]), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var pending = await Store.PendingOutboxAsync(Incident, Token);
        Assert.Equal(
            [OutboxKind.Alert, OutboxKind.Escalate, OutboxKind.Acknowledged, OutboxKind.Invoked, OutboxKind.StoodDown],
            pending.Select(e => e.Kind));
        Assert.Equal(OutboxEntry.IdAt(_at), pending[0].Id);
        Assert.All(pending.Take(4), e => Assert.StartsWith(OutboxEntry.IdAt(_at), e.Id, StringComparison.Ordinal));
        Assert.Equal(pending.Select(e => e.Id).Order(StringComparer.Ordinal), pending.Select(e => e.Id));
        Assert.Equal(5, pending.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Alerts_outbox_and_tokens_live_in_the_incident_partition_and_list_by_plan()
    {
        var key = "generic~a/b#c";
        await Store.WriteAsync(
            new AlertWrite(key, [Alert("zeta", key), Alert("alpha", key)], [Entry(key, _at)], Used("n1")),
            Token);

        var rows = await PartitionRowsAsync(TableIncidentStore.PartitionKey(key));

        Assert.Equal(
            ["alert~alpha", "alert~zeta", OutboxEntry.IdAt(_at), "token~n1"],
            rows.Select(r => r.RowKey));
        Assert.Equal(["alpha", "zeta"], (await Store.ListAlertsAsync(key, Token)).Select(a => a.Plan));
        Assert.All(await Store.ListAlertsAsync(key, Token), a => Assert.Equal(key, a.IncidentKey));
    }

    [Fact]
    public async Task Plan_ids_and_nonces_with_characters_keys_forbid_are_escaped_and_round_trip()
    {
        const string plan = "odd/plan#1?~é\t%";
        const string nonce = "a/b?c~d";
        await Store.WriteAsync(new AlertWrite(Incident, [Alert(plan) with { NextEscalationAt = _at }], [], Used(nonce, plan: plan)), Token);

        Assert.Equal(plan, (await Store.FindAlertAsync(Incident, plan, Token))!.Plan);
        Assert.Equal(plan, Assert.Single(await ListAsync(Store.ListEscalationsDueAsync(_at, Token))).Plan);
        Assert.Equal(Used(nonce, plan: plan), await Store.FindTokenAsync(Incident, nonce, Token));
        var rowKeys = (await PartitionRowsAsync(TableIncidentStore.PartitionKey(Incident))).Select(r => r.RowKey).ToList();
        Assert.All(rowKeys, k => Assert.DoesNotMatch("[/\\\\#?\\t]", k));
        Assert.All(rowKeys, k => Assert.DoesNotContain("~", k[(k.IndexOf('~', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_write_is_written_and_creates_nothing()
    {
        var outcome = await Store.WriteAsync(new AlertWrite(Incident, [], []), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.Empty(await PartitionRowsAsync(TableIncidentStore.PartitionKey(Incident)));
    }

    [Fact]
    public async Task A_write_holding_another_incident_alert_or_entry_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(new AlertWrite(Incident, [Alert("p", Other)], []), Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(new AlertWrite(Incident, [], [Entry(Other, _at)]), Token));
    }

    private static PlanAlert Alert(string plan, string incidentKey = Incident) =>
        PlanAlert.Start(incidentKey, plan, AssessmentLevel.Alert);

    private static OutboxEntry Entry(string incidentKey, DateTimeOffset at, OutboxKind kind = OutboxKind.Alert) =>
        new(incidentKey, OutboxEntry.IdAt(at), at, kind, AssessmentLevel.Alert, ["bcp-payments", "dr-ledger"]);

    private static ConsumedToken Used(string nonce, string usedBy = "ana@contoso.example", string plan = "bcp-payments") =>
        new(nonce, plan, DecisionAction.Acknowledge, usedBy, _at);

    [Fact]
    public async Task An_automation_run_reads_back_with_its_reports_is_replaced_at_its_ETag_and_a_second_start_is_a_conflict()
    {
        var run = new AutomationRun(Incident, "dr-sql-cluster", "failover-sql", ContinuityHub.Catalog.AutomationTrigger.Invoke, OutboxEntry.IdAt(_at), "5f0c2d9a", _at, null, null, [], false, null);
        Assert.Equal(WriteOutcome.Written, await Store.WriteAsync(new AlertWrite(Incident, [], []) { Runs = [run] }, Token));
        Assert.Equal(WriteOutcome.Conflict, await Store.WriteAsync(new AlertWrite(Incident, [], []) { Runs = [run] }, Token));
        var read = (await Store.FindRunAsync(Incident, "dr-sql-cluster", "failover-sql", Token))!;
        Assert.Equal(Json(run), Json(read with { ETag = null }));
        var reported = read with
        {
            SentAt = _at.AddMinutes(1),
            CallbackDue = _at.AddMinutes(31),
            Reports = [new AutomationReport(AutomationStatus.Started, _at.AddMinutes(2), "job 7 <queued>", new Uri("https://portal.azure.com/#jobs/7"))],
        };
        var entry = new OutboxEntry(Incident, OutboxEntry.IdAt(_at.AddMinutes(2)), _at.AddMinutes(2), OutboxKind.AutomationReported, AssessmentLevel.Invoke, ["dr-sql-cluster"], "automation failover-sql")
        {
            Automation = "failover-sql",
            Status = AutomationStatus.Started,
        };

        Assert.Equal(WriteOutcome.Written, await Store.WriteAsync(new AlertWrite(Incident, [], [entry]) { Runs = [reported] }, Token));

        Assert.Equal(Json(reported with { ETag = null }), Json(Assert.Single(await Store.ListRunsAsync(Incident, Token)) with { ETag = null }));
        var stored = Assert.Single(await Store.PendingOutboxAsync(Incident, Token));
        Assert.Equal(("failover-sql", AutomationStatus.Started), (stored.Automation, stored.Status));
        Assert.Equal(WriteOutcome.Conflict, await Store.WriteAsync(new AlertWrite(Incident, [], [entry with { Id = OutboxEntry.IdAt(_at.AddMinutes(3)) }]) { Runs = [read] }, Token));
        Assert.Single(await Store.PendingOutboxAsync(Incident, Token));
    }

    [Fact]
    public async Task Runs_overdue_are_those_whose_callback_was_due_at_or_before_now_across_incidents()
    {
        AutomationRun Run(string incident, string id, DateTimeOffset? due) =>
            new(incident, "dr-sql-cluster", id, ContinuityHub.Catalog.AutomationTrigger.Invoke, OutboxEntry.IdAt(_at), id, _at, _at, due, [], false, null);
        await Store.WriteAsync(new AlertWrite(Incident, [], []) { Runs = [Run(Incident, "due", _at.AddMinutes(-1)), Run(Incident, "later", _at.AddSeconds(1)), Run(Incident, "answered", null)] }, Token);
        await Store.WriteAsync(new AlertWrite(Other, [], []) { Runs = [Run(Other, "due-now", _at)] }, Token);

        var due = await ListAsync(Store.ListRunsOverdueAsync(_at, Token));

        Assert.Equal([(Incident, "due"), (Other, "due-now")], due.Select(r => (r.IncidentKey, r.Automation)).Order());
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static void AssertSame(PlanAlert expected, PlanAlert actual) =>
        Assert.Equal(Json(expected with { ETag = null }), Json(actual with { ETag = null }));

    // Times are stored in UTC, and the test's times are UTC: the JSON of a record read back is the JSON written.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private async Task<List<TableEntity>> PartitionRowsAsync(string partition)
    {
        var rows = new List<TableEntity>();
        await _table.CreateIfNotExistsAsync(Token);
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: Token))
        {
            rows.Add(row);
        }

        return rows;
    }
}
