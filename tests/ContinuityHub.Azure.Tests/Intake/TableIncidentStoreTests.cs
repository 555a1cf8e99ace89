using System.Text.Json;
using Azure.Data.Tables;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

public sealed class TableIncidentStoreTests(AzuriteFixture azurite)
{
    // What one Table Storage string property holds: 64 KiB of UTF-16.
    private const int MaxPropertyChars = 32 * 1024;

    private static readonly DateTimeOffset _at = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private readonly IntakeHarness _storage = new(azurite);

    private TableIncidentStore Store => _storage.Store;

    private TableAlertStore Alerts => field ??= new TableAlertStore(_storage.Clients, Store.TableName[..^"Incidents".Length]);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_written_incident_reads_back_with_every_field_and_its_ETag()
    {
        var stored = NewIncident("INC-1") with
        {
            Incident = Incident("INC-1") with
            {
                EstimatedRestoreAt = _at.AddHours(3).AddTicks(1234567),
                Link = "https://status.contoso.example/INC-1",
                EventId = "evt-1",
                OtherNames = new Dictionary<string, string> { ["CI001"] = "Payments Gateway", ["Payments Gateway"] = "CI001" },
            },
        };

        var outcome = await Store.WriteAsync(new IncidentWrite(stored, Event("evt-1"), Assessment(stored, _at)), Token);
        var found = await Store.FindAsync(stored.Incident.Key, Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.NotNull(found);
        Assert.False(string.IsNullOrEmpty(found.ETag));
        AssertSame(stored, found);
        Assert.Equal("Payments Gateway", found.Incident.OtherNameOf("ci001"));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "startedAt")]
    [InlineData("1600-12-31T23:59:59Z", "startedAt")]
    [InlineData("9999-12-31T23:59:59Z", "startedAt")]
    [InlineData("9999-12-31T23:59:59Z", "estimatedRestoreAt")]
    public async Task An_incident_time_the_hub_cannot_keep_is_refused_and_nothing_is_written(string time, string field)
    {
        // Arrange: a path that skips the parsers; Azurite would keep year 1, so the store checks the real limits itself.
        var at = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
        var id = $"INC-TIME-{field}-{at.Year}";
        var incident = field == "startedAt" ? Incident(id) with { StartedAt = at } : Incident(id) with { EstimatedRestoreAt = at };
        var stored = NewIncident(id) with { Incident = incident };

        // Act
        var e = await Assert.ThrowsAsync<HubValidationException>(() => Store.WriteAsync(new IncidentWrite(stored, Event("evt-time"), Assessment(stored, _at)), Token));

        // Assert
        Assert.Equal([new ValidationProblem("body", $"the incident's {field}: {time} is outside the times the hub can keep (1601 to 8999)")], e.Problems);
        Assert.Null(await Store.FindAsync(incident.Key, Token));
    }

    [Fact]
    public async Task A_row_time_before_1601_is_refused_though_Azurite_would_keep_it()
    {
        // Arrange: a delivery received "at" year 1 (a broken clock, a hand-made re-drive).
        var stored = NewIncident("INC-TIME-ROW");
        var received = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // Act
        var e = await Assert.ThrowsAsync<HubValidationException>(() => Store.WriteAsync(new IncidentWrite(stored, Event("evt-old", received), null), Token));

        // Assert
        var problem = Assert.Single(e.Problems);
        Assert.StartsWith("ReceivedAt of row 'event~", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("0001-01-01T00:00:00Z is outside the times the hub can keep (1601 to 8999)", problem.Message, StringComparison.Ordinal);
        Assert.Null(await Store.FindAsync(stored.Incident.Key, Token));
    }

    [Fact]
    public async Task Incident_times_at_the_ends_of_the_range_are_written_and_read_back()
    {
        // Arrange
        var stored = NewIncident("INC-TIME-EDGES") with
        {
            Incident = Incident("INC-TIME-EDGES") with { StartedAt = IncidentTimes.Earliest, EstimatedRestoreAt = IncidentTimes.End.AddSeconds(-1) },
        };

        // Act
        var outcome = await Store.WriteAsync(new IncidentWrite(stored, Event("evt-edges"), null), Token);
        var found = await Store.FindAsync(stored.Incident.Key, Token);

        // Assert
        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.Equal(IncidentTimes.Earliest, found!.Incident.StartedAt);
        Assert.Equal(IncidentTimes.End.AddSeconds(-1), found.Incident.EstimatedRestoreAt);
    }

    [Fact]
    public async Task An_unknown_incident_is_not_found_and_has_no_history()
    {
        Assert.Null(await Store.FindAsync("generic~nothing", Token));
        Assert.Null(await Store.GetHistoryAsync("generic~nothing", Token));
    }

    [Fact]
    public async Task History_holds_the_events_and_assessments_oldest_first()
    {
        var first = NewIncident("INC-2");
        await Store.WriteAsync(new IncidentWrite(first, Event("e1", receivedAt: _at), Assessment(first, _at, AssessmentLevel.Monitor)), Token);
        var second = (await Store.FindAsync(first.Incident.Key, Token))! with { LastUpdated = _at.AddMinutes(5), Level = AssessmentLevel.Alert };
        var alert = Assessment(second, _at.AddMinutes(5), AssessmentLevel.Alert);
        await Store.WriteAsync(new IncidentWrite(second with { LatestAssessment = alert.Assessment }, Event("e2", receivedAt: _at.AddMinutes(5)), alert), Token);
        var third = (await Store.FindAsync(first.Incident.Key, Token))! with { LastUpdated = _at.AddMinutes(9) };
        await Store.WriteAsync(new IncidentWrite(third, Event("e3", receivedAt: _at.AddMinutes(1)), null), Token);

        var history = await Store.GetHistoryAsync(first.Incident.Key, Token);

        Assert.NotNull(history);
        Assert.Equal(["e1", "e2", "e3"], history.Events.Select(e => e.DeliveryKey));
        Assert.Equal(_at.AddMinutes(1), history.Events[2].ReceivedAt);
        Assert.Equal([AssessmentLevel.Monitor, AssessmentLevel.Alert], history.Assessments.Select(a => a.Level));
        Assert.Equal([_at, _at.AddMinutes(5)], history.Assessments.Select(a => a.At));
        Assert.Equal(Json(alert.Assessment), Json(history.Assessments[1].Assessment));
        Assert.Equal(Json(alert.Assessment), Json(history.Incident.LatestAssessment));
        Assert.Equal(AssessmentLevel.Alert, history.Incident.Level);
        var e1 = history.Events[0];
        Assert.Equal((IntakeChannel.Http, "archive/INC-2/e1.json", IncidentState.Open, Priority.P2, "Payments down"), (e1.Channel, e1.ArchivePath, e1.State, e1.Priority, e1.Title));
    }

    [Fact]
    public async Task The_same_delivery_twice_is_a_duplicate_and_writes_nothing()
    {
        var stored = NewIncident("INC-3");
        await Store.WriteAsync(new IncidentWrite(stored, Event("same"), Assessment(stored, _at)), Token);
        var before = await Store.FindAsync(stored.Incident.Key, Token);
        var changed = before! with { Incident = before.Incident with { Title = "Changed" }, LastUpdated = _at.AddMinutes(1), Level = AssessmentLevel.Alert };

        var outcome = await Store.WriteAsync(new IncidentWrite(changed, Event("same"), Assessment(changed, _at.AddMinutes(1), AssessmentLevel.Alert)), Token);

        Assert.Equal(WriteOutcome.Duplicate, outcome);
        var rows = await _storage.PartitionAsync(stored.Incident.Key);
        Assert.Equal(["assessment~" + _at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), TableIncidentStore.EventRowKey("same"), "incident"], rows.Select(r => r.RowKey));
        var after = await Store.FindAsync(stored.Incident.Key, Token);
        Assert.Equal(before.ETag, after!.ETag);
        Assert.Equal("Payments down", after.Incident.Title);
    }

    [Fact]
    public async Task A_duplicate_is_recognised_even_with_a_stale_ETag()
    {
        var stored = NewIncident("INC-3b");
        await Store.WriteAsync(new IncidentWrite(stored, Event("a"), null), Token);
        var read = await Store.FindAsync(stored.Incident.Key, Token);
        await Store.WriteAsync(new IncidentWrite(read!, Event("b"), null), Token);

        var outcome = await Store.WriteAsync(new IncidentWrite(read!, Event("a"), null), Token);

        Assert.Equal(WriteOutcome.Duplicate, outcome);
    }

    [Fact]
    public async Task A_stale_ETag_is_a_conflict_and_writes_nothing()
    {
        var stored = NewIncident("INC-4");
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), Assessment(stored, _at)), Token);
        var read = await Store.FindAsync(stored.Incident.Key, Token);
        await Store.WriteAsync(new IncidentWrite(read! with { LastUpdated = _at.AddMinutes(1) }, Event("e2"), null), Token);
        var stale = read! with { Incident = read.Incident with { State = IncidentState.Resolved }, LastUpdated = _at.AddMinutes(2) };

        var outcome = await Store.WriteAsync(new IncidentWrite(stale, Event("e3"), Assessment(stale, _at.AddMinutes(2), AssessmentLevel.None)), Token);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        var history = await Store.GetHistoryAsync(stored.Incident.Key, Token);
        Assert.Equal(["e1", "e2"], history!.Events.Select(e => e.DeliveryKey));
        Assert.Single(history.Assessments);
        Assert.Equal(IncidentState.Open, history.Incident.Incident.State);
    }

    [Fact]
    public async Task Adding_an_incident_that_someone_else_added_first_is_a_conflict()
    {
        var stored = NewIncident("INC-5");
        await Store.WriteAsync(new IncidentWrite(stored, Event("first"), null), Token);

        var outcome = await Store.WriteAsync(new IncidentWrite(stored, Event("second"), null), Token);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.Equal(2, (await _storage.PartitionAsync(stored.Incident.Key)).Count);
    }

    [Fact]
    public async Task Two_assessments_at_the_same_instant_are_both_kept()
    {
        var stored = NewIncident("INC-6");
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), Assessment(stored, _at, AssessmentLevel.Monitor)), Token);
        var read = await Store.FindAsync(stored.Incident.Key, Token);

        var outcome = await Store.WriteAsync(new IncidentWrite(read!, Event("e2"), Assessment(read!, _at, AssessmentLevel.None)), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var history = await Store.GetHistoryAsync(stored.Incident.Key, Token);
        Assert.Equal([AssessmentLevel.Monitor, AssessmentLevel.None], history!.Assessments.Select(a => a.Level));
    }

    [Fact]
    public async Task A_long_assessment_is_split_across_properties_and_reads_back_whole()
    {
        var stored = NewIncident("INC-7");
        stored = stored with { LatestAssessment = LargeDocument(stored.Incident, services: 600) };
        var entry = new AssessmentEntry(_at, AssessmentLevel.Alert, stored.LatestAssessment!);
        var json = Json(stored.LatestAssessment);
        Assert.True(json.Length > 3 * MaxPropertyChars, $"The test document is only {json.Length} characters.");

        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), entry), Token);

        var rows = (await _storage.PartitionAsync(stored.Incident.Key)).ToDictionary(r => r.RowKey);
        var incidentRow = rows["incident"];
        Assert.False(incidentRow.ContainsKey("LatestAssessment"));
        Assert.True(incidentRow.ContainsKey("LatestAssessment3"));
        Assert.All(rows.Values.SelectMany(r => r.Select(p => p.Value)).OfType<string>(), text => Assert.True(text.Length <= MaxPropertyChars));
        var history = await Store.GetHistoryAsync(stored.Incident.Key, Token);
        Assert.Equal(json, Json(history!.Incident.LatestAssessment));
        Assert.Equal(json, Json(history.Assessments.Single().Assessment));
    }

    [Fact]
    public async Task An_assessment_too_large_for_a_row_keeps_the_incident_and_the_level_and_says_so()
    {
        var stored = NewIncident("INC-8");
        stored = stored with { LatestAssessment = LargeDocument(stored.Incident, services: 3000), Level = AssessmentLevel.Alert };
        var entry = new AssessmentEntry(_at, AssessmentLevel.Alert, stored.LatestAssessment!);

        var outcome = await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), entry), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var history = await Store.GetHistoryAsync(stored.Incident.Key, Token);
        Assert.Null(history!.Incident.LatestAssessment);
        Assert.Equal(AssessmentLevel.Alert, history.Incident.Level);
        var kept = Assert.Single(history.Assessments);
        Assert.Equal(AssessmentLevel.Alert, kept.Level);
        Assert.Contains("does not fit", Assert.Single(kept.Assessment.Reasons), StringComparison.Ordinal);
        var row = (await _storage.PartitionAsync(stored.Incident.Key)).Single(r => r.RowKey == "incident");
        Assert.Contains("does not fit", row.GetString("LatestAssessmentOmitted"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_open_returns_open_and_mitigated_incidents_only()
    {
        foreach (var (id, state) in new[] { ("o1", IncidentState.Open), ("m1", IncidentState.Mitigated), ("r1", IncidentState.Resolved), ("c1", IncidentState.Closed) })
        {
            var stored = NewIncident(id) with { Incident = Incident(id) with { State = state } };
            await Store.WriteAsync(new IncidentWrite(stored, Event(id), null), Token);
        }

        var open = new List<string>();
        await foreach (var incident in Store.ListOpenAsync(Token))
        {
            open.Add(incident.Incident.ExternalId);
        }

        Assert.Equal(["m1", "o1"], open.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_histories_returns_the_incidents_started_from_the_start_inclusive_to_the_end_exclusive_whatever_their_state()
    {
        var from = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var before = from.AddDays(7);
        foreach (var (id, startedAt, state) in new[]
                 {
                     ("early", from.AddSeconds(-1), IncidentState.Open),
                     ("first", from, IncidentState.Resolved),
                     ("middle", from.AddDays(3).ToOffset(TimeSpan.FromHours(2)), IncidentState.Closed),
                     ("last", before.AddSeconds(-1), IncidentState.Open),
                     ("late", before, IncidentState.Open),
                 })
        {
            var stored = NewIncident(id) with { Incident = Incident(id) with { StartedAt = startedAt, State = state } };
            await Store.WriteAsync(new IncidentWrite(stored, Event(id), Assessment(stored, _at)), Token);
        }

        var histories = new List<IncidentHistory>();
        await foreach (var history in Store.ListHistoriesAsync(from, before, Token))
        {
            histories.Add(history);
        }

        Assert.Equal(["first", "last", "middle"], histories.Select(h => h.Incident.Incident.ExternalId).Order(StringComparer.Ordinal));
        Assert.All(histories, h =>
        {
            Assert.Equal(h.Incident.Incident.ExternalId, Assert.Single(h.Events).DeliveryKey);
            Assert.Equal(AssessmentLevel.Monitor, Assert.Single(h.Assessments).Level);
        });
        Assert.Equal(IncidentState.Resolved, histories.Single(h => h.Incident.Incident.ExternalId == "first").Incident.Incident.State);
    }

    [Fact]
    public async Task List_histories_of_an_empty_range_finds_nothing()
    {
        var stored = NewIncident("INC-9");
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), null), Token);
        var startedAt = stored.Incident.StartedAt;

        var empty = new List<IncidentHistory>();
        await foreach (var history in Store.ListHistoriesAsync(startedAt, startedAt, Token))
        {
            empty.Add(history);
        }

        Assert.Empty(empty);
    }

    [Fact]
    public async Task Keys_with_characters_tables_forbid_or_too_long_for_a_partition_key_still_round_trip()
    {
        var slashed = NewIncident("x") with { Incident = Incident("x") with { Key = "generic~a/b#c?d" } };
        var longKey = "generic~" + new string('k', 900);
        var long_ = NewIncident("y") with { Incident = Incident("y") with { Key = longKey } };

        await Store.WriteAsync(new IncidentWrite(slashed, Event("s"), null), Token);
        await Store.WriteAsync(new IncidentWrite(long_, Event("l"), null), Token);

        Assert.Equal("generic~a/b#c?d", (await Store.FindAsync("generic~a/b#c?d", Token))!.Incident.Key);
        Assert.Equal(longKey, (await Store.FindAsync(longKey, Token))!.Incident.Key);
        Assert.Equal("generic~a%2Fb%23c%3Fd", TableIncidentStore.PartitionKey("generic~a/b#c?d"));
        Assert.True(TableIncidentStore.PartitionKey(longKey).Length < 512);
    }

    [Fact]
    public async Task An_incident_write_with_outbox_entries_writes_the_incident_and_the_entries_together()
    {
        var stored = NewIncident("OB-1") with { Level = AssessmentLevel.Alert, AlertedLevel = AssessmentLevel.Alert };
        var key = stored.Incident.Key;

        var outcome = await Store.WriteAsync(
            new IncidentWrite(stored, Event("e1"), Assessment(stored, _at, AssessmentLevel.Alert), [Outbox(key, _at), Outbox(key, _at.AddSeconds(1), OutboxKind.StandDown)]),
            Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var pending = await Alerts.PendingOutboxAsync(key, Token);
        Assert.Equal([OutboxEntry.IdAt(_at), OutboxEntry.IdAt(_at.AddSeconds(1))], pending.Select(e => e.Id));
        Assert.Equal([OutboxKind.Alert, OutboxKind.StandDown], pending.Select(e => e.Kind));
        Assert.All(pending, e => Assert.Equal((key, AssessmentLevel.Alert, false, 0), (e.IncidentKey, e.Level, e.Done, e.Attempts)));
        Assert.Equal(["bcp-payments"], pending[0].Plans);
    }

    [Fact]
    public async Task A_stale_incident_ETag_writes_neither_the_incident_nor_its_outbox_entries()
    {
        var stored = NewIncident("OB-2");
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), null), Token);
        var read = (await Store.FindAsync(stored.Incident.Key, Token))!;
        await Store.WriteAsync(new IncidentWrite(read with { LastUpdated = _at.AddMinutes(1) }, Event("e2"), null), Token);
        var stale = read with { Level = AssessmentLevel.Alert, AlertedLevel = AssessmentLevel.Alert, LastUpdated = _at.AddMinutes(2) };

        var outcome = await Store.WriteAsync(new IncidentWrite(stale, Event("e3"), null, [Outbox(stored.Incident.Key, _at.AddMinutes(2))]), Token);

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.Empty(await Alerts.PendingOutboxAsync(stored.Incident.Key, Token));
        Assert.Equal(AssessmentLevel.None, (await Store.FindAsync(stored.Incident.Key, Token))!.AlertedLevel);
    }

    [Fact]
    public async Task A_duplicate_delivery_writes_no_outbox_entry()
    {
        var stored = NewIncident("OB-3");
        await Store.WriteAsync(new IncidentWrite(stored, Event("same"), null), Token);
        var read = (await Store.FindAsync(stored.Incident.Key, Token))!;

        var outcome = await Store.WriteAsync(
            new IncidentWrite(read with { AlertedLevel = AssessmentLevel.Alert }, Event("same"), null, [Outbox(stored.Incident.Key, _at.AddMinutes(1))]),
            Token);

        Assert.Equal(WriteOutcome.Duplicate, outcome);
        Assert.Empty(await Alerts.PendingOutboxAsync(stored.Incident.Key, Token));
    }

    [Fact]
    public async Task Outbox_entries_at_the_same_tick_keep_their_order_within_a_write_and_across_writes()
    {
        var stored = NewIncident("OB-4");
        var key = stored.Incident.Key;
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), null, [Outbox(key, _at, OutboxKind.Alert), Outbox(key, _at, OutboxKind.Escalate)]), Token);
        var read = (await Store.FindAsync(key, Token))!;

        var outcome = await Store.WriteAsync(
            new IncidentWrite(read, Event("e2"), null, [Outbox(key, _at, OutboxKind.StandDown), Outbox(key, _at, OutboxKind.Acknowledged)]), Token);

        Assert.Equal(WriteOutcome.Written, outcome);
        var pending = await Alerts.PendingOutboxAsync(key, Token);
        Assert.Equal([OutboxKind.Alert, OutboxKind.Escalate, OutboxKind.StandDown, OutboxKind.Acknowledged], pending.Select(e => e.Kind));
        Assert.Equal(OutboxEntry.IdAt(_at), pending[0].Id);
        Assert.Equal(pending.Select(e => e.Id).Order(StringComparer.Ordinal), pending.Select(e => e.Id));
        Assert.All(pending, e => Assert.True(string.CompareOrdinal(e.Id, OutboxEntry.IdAt(_at.AddTicks(1))) < 0, e.Id));
        Assert.Equal(["e1", "e2"], (await Store.GetHistoryAsync(key, Token))!.Events.Select(e => e.DeliveryKey));
    }

    [Fact]
    public async Task The_alerted_level_round_trips_and_is_none_when_the_row_has_none()
    {
        var stored = NewIncident("OB-5") with { AlertedLevel = AssessmentLevel.RecommendInvocation };
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), null), Token);

        Assert.Equal(AssessmentLevel.RecommendInvocation, (await Store.FindAsync(stored.Incident.Key, Token))!.AlertedLevel);
        var row = (await _storage.PartitionAsync(stored.Incident.Key)).Single(r => r.RowKey == "incident");
        Assert.Equal("RecommendInvocation", row.GetString("AlertedLevel"));

        row.Remove("AlertedLevel");
        var table = await _storage.Clients.GetTableAsync(Store.TableName, Token);
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, Token);

        Assert.Equal(AssessmentLevel.None, (await Store.FindAsync(stored.Incident.Key, Token))!.AlertedLevel);
    }

    [Fact]
    public async Task History_and_lists_pass_over_the_outbox_alert_and_token_rows()
    {
        var stored = NewIncident("OB-6");
        var key = stored.Incident.Key;
        await Store.WriteAsync(new IncidentWrite(stored, Event("e1"), Assessment(stored, _at), [Outbox(key, _at)]), Token);
        await Alerts.WriteAsync(
            new AlertWrite(key, [PlanAlert.Start(key, "bcp-payments", AssessmentLevel.Alert)], [Outbox(key, _at.AddMinutes(1), OutboxKind.Acknowledged)], new ConsumedToken("n1", "bcp-payments", DecisionAction.Acknowledge, "ana", _at)),
            Token);
        Assert.Equal(7, (await _storage.PartitionAsync(key)).Count);

        var history = await Store.GetHistoryAsync(key, Token);
        var open = new List<StoredIncident>();
        await foreach (var incident in Store.ListOpenAsync(Token))
        {
            open.Add(incident);
        }

        var histories = new List<IncidentHistory>();
        await foreach (var h in Store.ListHistoriesAsync(stored.Incident.StartedAt.AddHours(-1), stored.Incident.StartedAt.AddHours(1), Token))
        {
            histories.Add(h);
        }

        Assert.NotNull(history);
        Assert.Equal(["e1"], history.Events.Select(e => e.DeliveryKey));
        Assert.Single(history.Assessments);
        Assert.Equal(key, Assert.Single(open).Incident.Key);
        var listed = Assert.Single(histories);
        Assert.Equal((1, 1), (listed.Events.Count, listed.Assessments.Count));
    }

    [Fact]
    public async Task An_outbox_entry_of_another_incident_or_with_an_ETag_is_refused()
    {
        var stored = NewIncident("OB-7");

        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(new IncidentWrite(stored, Event("e1"), null, [Outbox("generic~other", _at)]), Token));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(new IncidentWrite(stored, Event("e1"), null, [Outbox(stored.Incident.Key, _at) with { ETag = "W/\"x\"" }]), Token));
        Assert.Null(await Store.FindAsync(stored.Incident.Key, Token));
    }

    private static OutboxEntry Outbox(string key, DateTimeOffset at, OutboxKind kind = OutboxKind.Alert) =>
        new(key, OutboxEntry.IdAt(at), at, kind, AssessmentLevel.Alert, ["bcp-payments"]);

    private static Incident Incident(string id) =>
        new(
            IncidentKey.Create(AliasSource.Generic, id),
            AliasSource.Generic,
            id,
            "Payments down",
            Priority.P2,
            false,
            IncidentState.Open,
            new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero).AddTicks(1234567),
            null,
            ["payments", "Payments Gateway"],
            null);

    private static StoredIncident NewIncident(string id)
    {
        var incident = Incident(id);
        return new StoredIncident(incident, AssessmentLevel.Monitor, Document(incident, _at, AssessmentLevel.Monitor), _at, _at, [$"archive/{id}/1.json"], null);
    }

    private static IncidentEvent Event(string deliveryKey, DateTimeOffset? receivedAt = null) =>
        new(deliveryKey, receivedAt ?? _at, IntakeChannel.Http, $"archive/INC-2/{deliveryKey}.json", IncidentState.Open, Priority.P2, "Payments down");

    private static AssessmentEntry Assessment(StoredIncident stored, DateTimeOffset at, AssessmentLevel level = AssessmentLevel.Monitor) =>
        new(at, level, Document(stored.Incident, at, level));

    private static AssessmentDocument Document(Incident incident, DateTimeOffset at, AssessmentLevel level) =>
        new(level.ToString(), AssessmentJson.ToDocument(incident), AssessmentJson.Time(at), [], [], ["payments"], [$"Level {level}."]);

    private static AssessmentDocument LargeDocument(Incident incident, int services) =>
        Document(incident, _at, AssessmentLevel.Alert) with
        {
            ImpactedServices = [.. Enumerable.Range(0, services).Select(i => new ServiceClockDocument(
                $"service-{i}",
                $"Service number {i} with a long and descriptive name — ünïcödé too",
                1 + (i % 4),
                i == 0,
                i == 0 ? null : "service-0",
                "PT32M",
                "PT32M",
                "PT4H",
                "PT24H",
                "2026-11-24T13:58:00Z",
                $"plan-{i}",
                "Monitor"))],
        };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, AssessmentJson.Options);

    private static void AssertSame(StoredIncident expected, StoredIncident actual)
    {
        Assert.Equal(Json(expected with { ETag = null }), Json(actual with { ETag = null }));
        Assert.Equal(expected.Incident.StartedAt.UtcTicks, actual.Incident.StartedAt.UtcTicks);
        Assert.Equal(expected.Incident.EstimatedRestoreAt, actual.Incident.EstimatedRestoreAt);
    }
}
