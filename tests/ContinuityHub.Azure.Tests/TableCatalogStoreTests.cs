using Azure;
using Azure.Data.Tables;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests;

public sealed class TableCatalogStoreTests
{
    private static readonly string[] _catalogueTables =
        [StorageNames.ServicesTable, StorageNames.AliasesTable, StorageNames.PlansTable, StorageNames.ExercisesTable, StorageNames.PolicyTable, StorageNames.MaintenanceTable];

    private readonly StorageClients _clients;
    private readonly TableCatalogStore _store;

    public TableCatalogStoreTests(AzuriteFixture azurite)
    {
        _clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        _store = new TableCatalogStore(_clients, AzuriteFixture.UniqueTableName());
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_empty_store_loads_as_the_empty_catalogue()
    {
        var loaded = await _store.LoadAsync(Token);

        Assert.Same(ContinuityCatalog.Empty, loaded);
    }

    [Fact]
    public async Task Replace_then_load_returns_an_equal_catalogue()
    {
        var catalog = CatalogBuilder.Sample().Build();

        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        CatalogAssert.Equal(catalog, loaded);
    }

    [Fact]
    public async Task Policy_priority_names_and_major_markers_are_stored_and_loaded()
    {
        var catalog = CatalogBuilder.Sample().Build() with
        {
            Policy = Policy.Default with
            {
                Priorities = new Dictionary<AliasSource, IReadOnlyDictionary<string, Priority>>
                {
                    [AliasSource.Jira] = new Dictionary<string, Priority> { ["Blocker"] = Priority.P1, ["Sev 2"] = Priority.P2 },
                },
                MajorMarkers = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Opsgenie] = ["major-incident"] },
            },
        };

        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        Assert.Equal(catalog.Policy, loaded.Policy);
        Assert.Equal(Priority.P2, loaded.Policy.PriorityOf(AliasSource.Jira, "sev 2"));
        Assert.True(loaded.Policy.MarksMajor(AliasSource.Opsgenie, ["Major-Incident"]));
    }

    [Fact]
    public async Task Policy_servicenow_fields_are_one_json_column_and_a_row_without_it_loads_with_none()
    {
        // Arrange
        var catalog = CatalogBuilder.Sample().Build() with
        {
            Policy = Policy.Default with
            {
                ServiceNowFields = new Dictionary<string, string> { ["major_incident_state"] = "accepted", ["u_continuity_level"] = "{level}" },
            },
        };
        var policy = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PolicyTable));

        // Act
        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);
        var row = (await policy.GetEntityAsync<TableEntity>("policy", "current", cancellationToken: Token)).Value;
        var stored = row.GetString("ServiceNowFields");
        row.Remove("ServiceNowFields");
        await policy.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, Token);
        var older = await _store.LoadAsync(Token);

        // Assert
        Assert.Equal(catalog.Policy, loaded.Policy);
        Assert.Equal(["major_incident_state", "u_continuity_level"], loaded.Policy.ServiceNowFields.Keys);
        Assert.Equal("""{"major_incident_state":"accepted","u_continuity_level":"{level}"}""", stored);
        Assert.Empty(older.Policy.ServiceNowFields);
    }

    [Fact]
    public async Task Load_keeps_the_order_of_the_catalogue_not_of_the_keys()
    {
        var catalog = new CatalogBuilder()
            .WithService("zulu").WithService("alpha").WithService("mike")
            .WithPlan("p-z").WithPlan("p-a")
            .WithExercise("x-2", "p-z").WithExercise("x-1", "p-a").WithExercise("x-0", "p-z")
            .Build();

        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        Assert.Equal(["zulu", "alpha", "mike"], loaded.Services.Select(s => s.Id));
        Assert.Equal(["p-z", "p-a"], loaded.Plans.Select(p => p.Id));
        Assert.Equal(["x-2", "x-1", "x-0"], loaded.Exercises.Select(e => e.Id));
    }

    [Fact]
    public async Task Inserting_and_moving_services_keeps_the_new_order_and_rewrites_only_rows_that_must_move()
    {
        await _store.ReplaceAsync(new CatalogBuilder().WithService("a").WithService("b").WithService("c").WithService("d").Build(), progress: null, Token);
        var reordered = new CatalogBuilder().WithService("a").WithService("new").WithService("b").WithService("d").WithService("c").Build();

        var changes = await _store.ReplaceAsync(reordered, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        Assert.Equal(["a", "new", "b", "d", "c"], loaded.Services.Select(s => s.Id));
        Assert.Equal(new ChangeCount("Services", 1, 2, 0, 2), changes.Tables[0]);
        Assert.False((await _store.ReplaceAsync(reordered, progress: null, Token)).Changed);
    }

    [Fact]
    public async Task First_replace_adds_every_row_and_reports_one_line_per_table()
    {
        var catalog = CatalogBuilder.Sample().Build();
        var lines = new List<string>();

        var changes = await _store.ReplaceAsync(catalog, new ListProgress(lines), Token);

        Assert.Equal(
            [
                new ChangeCount("Services", 3, 0, 0, 0),
                new ChangeCount("Aliases", 6, 0, 0, 0),
                new ChangeCount("Plans", 2, 0, 0, 0),
                new ChangeCount("Exercises", 2, 0, 0, 0),
                new ChangeCount("Policy", 1, 0, 0, 0),
                new ChangeCount("Maintenance", 2, 0, 0, 0),
            ],
            changes.Tables);
        Assert.Equal(
            [
                "Services: 3 added, 0 updated, 0 deleted, 0 unchanged",
                "Aliases: 6 added, 0 updated, 0 deleted, 0 unchanged",
                "Plans: 2 added, 0 updated, 0 deleted, 0 unchanged",
                "Exercises: 2 added, 0 updated, 0 deleted, 0 unchanged",
                "Policy: 1 added, 0 updated, 0 deleted, 0 unchanged",
                "Maintenance: 2 added, 0 updated, 0 deleted, 0 unchanged",
            ],
            lines);
    }

    [Fact]
    public async Task Second_replace_of_the_same_catalogue_changes_no_etag()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var before = await ETagsAsync();

        var changes = await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);

        Assert.False(changes.Changed);
        Assert.All(changes.Tables, t => Assert.Equal(0, t.Added + t.Updated + t.Deleted));
        Assert.Equal(16, changes.Tables.Sum(t => t.Unchanged));
        Assert.Equal(before, await ETagsAsync());
    }

    [Fact]
    public async Task Replacing_a_loaded_catalogue_changes_nothing()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var before = await ETagsAsync();

        var changes = await _store.ReplaceAsync(await _store.LoadAsync(Token), progress: null, Token);

        Assert.False(changes.Changed);
        Assert.Equal(before, await ETagsAsync());
    }

    [Fact]
    public async Task A_changed_service_rewrites_only_its_own_rows()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var before = await ETagsAsync();
        var changed = CatalogBuilder.Sample()
            .ChangeService("identity", s => s with
            {
                Rto = TimeSpan.FromHours(3),
                Aliases = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Jira] = ["IDP"] },
            })
            .Build();

        var changes = await _store.ReplaceAsync(changed, progress: null, Token);
        var after = await ETagsAsync();

        Assert.Equal(new ChangeCount("Services", 0, 1, 0, 2), changes.Tables[0]);
        Assert.Equal(new ChangeCount("Aliases", 1, 0, 1, 5), changes.Tables[1]);
        Assert.All(changes.Tables.Skip(2), t => Assert.False(t.Changed));
        Assert.NotEqual(before[$"{StorageNames.ServicesTable}/service/identity"], after[$"{StorageNames.ServicesTable}/service/identity"]);
        Assert.Equal(before[$"{StorageNames.ServicesTable}/service/payments"], after[$"{StorageNames.ServicesTable}/service/payments"]);
        Assert.DoesNotContain($"{StorageNames.AliasesTable}/generic/identity", after.Keys);
        Assert.Contains($"{StorageNames.AliasesTable}/jira/idp", after.Keys);
        CatalogAssert.Equal(changed, await _store.LoadAsync(Token));
    }

    [Fact]
    public async Task Removed_service_plan_exercise_and_maintenance_rows_are_deleted_with_their_alias_rows()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var smaller = CatalogBuilder.Sample()
            .WithoutService("payments")
            .WithoutPlan("cm-main")
            .WithoutExercise("ex-2025-q3")
            .WithoutMaintenance("mw-payments-db-patching")
            .Build();

        var changes = await _store.ReplaceAsync(smaller, progress: null, Token);
        var rows = await ETagsAsync();

        Assert.Equal(new ChangeCount("Services", 0, 0, 1, 2), changes.Tables[0]);
        Assert.Equal(new ChangeCount("Aliases", 0, 0, 4, 2), changes.Tables[1]);
        Assert.Equal(new ChangeCount("Plans", 0, 0, 1, 1), changes.Tables[2]);
        Assert.Equal(new ChangeCount("Exercises", 0, 0, 1, 1), changes.Tables[3]);
        Assert.Equal(new ChangeCount("Maintenance", 0, 0, 1, 1), changes.Tables[5]);
        Assert.DoesNotContain(rows.Keys, k => k.StartsWith($"{StorageNames.ServicesTable}/service/payments/", StringComparison.Ordinal)
            || k == $"{StorageNames.ServicesTable}/service/payments");
        Assert.DoesNotContain(rows.Keys, k => k.StartsWith($"{StorageNames.AliasesTable}/servicenow/", StringComparison.Ordinal));
        Assert.DoesNotContain(rows.Keys, k => k.StartsWith($"{StorageNames.AliasesTable}/azuremonitor/", StringComparison.Ordinal));
        Assert.Null(await _store.FindServiceIdAsync(AliasSource.PagerDuty, "PXYZ123", Token));
        CatalogAssert.Equal(smaller, await _store.LoadAsync(Token));
    }

    [Fact]
    public async Task Alias_rows_are_keyed_by_source_and_normalized_alias_and_keep_the_original_text()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var aliases = await _clients.Tables.GetTableClient(_store.TableName(StorageNames.AliasesTable))
            .QueryAsync<TableEntity>(cancellationToken: Token)
            .ToListAsync(Token);

        var snow = Assert.Single(aliases, a => a.PartitionKey == "servicenow" && a.RowKey == "payments gateway");
        Assert.Equal("payments", snow.GetString("ServiceId"));
        Assert.Equal("Payments Gateway", snow.GetString("Alias"));
        var azure = Assert.Single(aliases, a => a.PartitionKey == "azuremonitor");
        Assert.Equal("%2Fsubscriptions%2F0000%2Fresourcegroups%2Frg-pay%2Fproviders%2Fmicrosoft.web%2Fsites%2Fpay-api", azure.RowKey);
        Assert.Equal("/subscriptions/0000/resourceGroups/RG-Pay/providers/Microsoft.Web/sites/pay-api/", azure.GetString("Alias"));
    }

    [Theory]
    [InlineData(AliasSource.AzureMonitor, "/subscriptions/0000/resourceGroups/RG-Pay/providers/Microsoft.Web/sites/pay-api")]
    [InlineData(AliasSource.AzureMonitor, "  /SUBSCRIPTIONS/0000/resourcegroups/rg-pay/providers/microsoft.web/sites/pay-api//  ")]
    [InlineData(AliasSource.ServiceNow, "payments gateway")]
    [InlineData(AliasSource.ServiceNow, " CI0012345 ")]
    [InlineData(AliasSource.PagerDuty, "pxyz123")]
    public async Task Alias_index_finds_the_service_however_the_alias_is_written(AliasSource source, string alias)
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);

        var serviceId = await _store.FindServiceIdAsync(source, alias, Token);

        Assert.Equal("payments", serviceId);
    }

    [Fact]
    public async Task An_alias_of_another_source_is_not_found()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);

        Assert.Null(await _store.FindServiceIdAsync(AliasSource.Jira, "Payments Gateway", Token));
    }

    [Fact]
    public async Task Ids_with_characters_table_keys_forbid_round_trip()
    {
        var catalog = new CatalogBuilder()
            .WithService("erp/finance#1?50%", s => s with { Aliases = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Generic] = ["a\\b\tc"] } })
            .WithPlan("plan/1")
            .WithExercise("ex#1", "plan/1")
            .Build();

        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);
        var again = await _store.ReplaceAsync(loaded, progress: null, Token);

        CatalogAssert.Equal(catalog, loaded);
        Assert.False(again.Changed);
        Assert.Equal("erp/finance#1?50%", await _store.FindServiceIdAsync(AliasSource.Generic, "A\\B\tC", Token));
    }

    [Fact]
    public async Task More_than_a_hundred_rows_in_one_partition_are_written_in_several_transactions()
    {
        var builder = new CatalogBuilder();
        for (var i = 0; i < 230; i++)
        {
            builder.WithService($"svc-{i:D3}");
        }

        var catalog = builder.Build();

        var changes = await _store.ReplaceAsync(catalog, progress: null, Token);
        var emptied = await _store.ReplaceAsync(new CatalogBuilder().WithService("svc-000").Build(), progress: null, Token);

        Assert.Equal(new ChangeCount("Services", 230, 0, 0, 0), changes.Tables[0]);
        Assert.Equal(new ChangeCount("Aliases", 230, 0, 0, 0), changes.Tables[1]);
        Assert.Equal(new ChangeCount("Services", 0, 0, 229, 1), emptied.Tables[0]);
        Assert.Single((await _store.LoadAsync(Token)).Services);
    }

    [Fact]
    public async Task A_row_changed_by_someone_else_between_read_and_write_raises_a_concurrency_conflict()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var plans = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PlansTable));
        var retitled = CatalogBuilder.Sample().ChangePlan("dr-payments", p => p with { Title = "Payments DR, revised" }).Build();

        // ReplaceAsync reads every table before its first write and reports each table after writing it, so a change
        // made when the first line arrives lands between the read of Plans and the write of Plans.
        var progress = new ListProgress([], line =>
        {
            if (line.StartsWith("Services:", StringComparison.Ordinal))
            {
                var row = plans.GetEntity<TableEntity>("plan", "dr-payments").Value;
                row["Owner"] = "someone.else@contoso.example";
                plans.UpdateEntity(row, ETag.All, TableUpdateMode.Replace);
            }
        });

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ReplaceAsync(retitled, progress, Token));

        Assert.Contains("the catalogue changed while importing", conflict.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("run the import again", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("someone.else@contoso.example", (await plans.GetEntityAsync<TableEntity>("plan", "dr-payments", cancellationToken: Token)).Value.GetString("Owner"));
    }

    [Fact]
    public async Task A_row_deleted_by_someone_else_between_read_and_write_raises_a_concurrency_conflict()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var exercises = _clients.Tables.GetTableClient(_store.TableName(StorageNames.ExercisesTable));
        var rescheduled = CatalogBuilder.Sample().ChangeExercise("ex-2025-q3", e => e with { Scheduled = new DateOnly(2025, 10, 1) }).Build();
        var progress = new ListProgress([], line =>
        {
            if (line.StartsWith("Services:", StringComparison.Ordinal))
            {
                exercises.DeleteEntity("cm-main", "ex-2025-q3");
            }
        });

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ReplaceAsync(rescheduled, progress, Token));

        Assert.Contains("run the import again", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_added_by_someone_else_between_read_and_write_raises_a_concurrency_conflict()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var plans = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PlansTable));
        var withNewPlan = CatalogBuilder.Sample().WithPlan("br-new").Build();
        var progress = new ListProgress([], line =>
        {
            if (line.StartsWith("Services:", StringComparison.Ordinal))
            {
                plans.AddEntity(new TableEntity("plan", "br-new") { ["Title"] = "Added meanwhile" });
            }
        });

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ReplaceAsync(withNewPlan, progress, Token));
    }

    [Fact]
    public async Task An_alias_claimed_by_two_services_is_rejected_before_anything_is_written()
    {
        var catalog = new CatalogBuilder()
            .WithService("a", s => s with { Aliases = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Jira] = ["Shared"] } })
            .WithService("b", s => s with { Aliases = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Jira] = [" shared "] } })
            .Build();

        var problem = await Assert.ThrowsAsync<HubValidationException>(() => _store.ReplaceAsync(catalog, progress: null, Token));

        Assert.Contains("service 'a'", problem.Message, StringComparison.Ordinal);
        Assert.Same(ContinuityCatalog.Empty, await _store.LoadAsync(Token));
    }

    [Fact]
    public async Task Rows_are_stored_with_readable_properties()
    {
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var services = _clients.Tables.GetTableClient(_store.TableName(StorageNames.ServicesTable));
        var policy = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PolicyTable));

        var payments = (await services.GetEntityAsync<TableEntity>("service", "payments", cancellationToken: Token)).Value;
        var current = (await policy.GetEntityAsync<TableEntity>("policy", "current", cancellationToken: Token)).Value;

        Assert.Equal("Card payments", payments.GetString("Name"));
        Assert.Equal(1, payments.GetInt32("Tier"));
        Assert.Equal("PT4H", payments.GetString("Rto"));
        Assert.Equal("P1D", payments.GetString("Mtpd"));
        Assert.Equal("2025-01-15", payments.GetString("BiaReviewed"));
        Assert.Equal("[\"payments-db\",\"identity\"]", payments.GetString("DependsOn"));
        Assert.Equal(0, payments.GetInt32("Order"));
        Assert.Equal("PT2M", current.GetString("ReassessEvery"));
        Assert.Equal("[\"P1\",\"P2\",\"P3\"]", current.GetString("AssessPriorities"));
    }

    [Fact]
    public async Task Plan_automations_are_one_json_column_with_iso_durations_and_absent_when_there_are_none()
    {
        // Arrange
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var plans = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PlansTable));

        // Act
        var payments = (await plans.GetEntityAsync<TableEntity>("plan", "dr-payments", cancellationToken: Token)).Value;
        var crisis = (await plans.GetEntityAsync<TableEntity>("plan", "cm-main", cancellationToken: Token)).Value;

        // Assert
        Assert.Equal(
            "[{\"id\":\"failover-payments\",\"on\":\"Invoke\",\"kind\":\"Webhook\",\"url\":\"https://automation.contoso.example/webhooks/failover\",\"signingSecret\":\"automation-failover\",\"timeout\":\"PT45M\"},"
            + "{\"id\":\"notify-ops\",\"on\":\"StandDown\",\"kind\":\"ServiceBus\",\"entity\":\"continuity-automations\",\"timeout\":\"PT30M\"}]",
            payments.GetString("Automations"));
        Assert.False(crisis.ContainsKey("Automations"));
    }

    [Fact]
    public async Task A_plan_row_written_before_automations_existed_loads_with_none_and_is_not_rewritten()
    {
        // Arrange: the plan as an older import stored it, with no Automations column.
        var catalog = new CatalogBuilder().WithPlan("dr-old").Build();
        var plans = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PlansTable));
        await _store.ReplaceAsync(catalog, progress: null, Token);
        var row = (await plans.GetEntityAsync<TableEntity>("plan", "dr-old", cancellationToken: Token)).Value;
        Assert.False(row.ContainsKey("Automations"));

        // Act
        var loaded = await _store.LoadAsync(Token);
        var changes = await _store.ReplaceAsync(catalog, progress: null, Token);

        // Assert
        Assert.Empty(Assert.Single(loaded.Plans).Automations);
        Assert.False(changes.Changed);
    }

    [Fact]
    public async Task Adding_an_automation_to_a_plan_rewrites_that_plans_row_only()
    {
        // Arrange
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var changed = CatalogBuilder.Sample()
            .ChangePlan("cm-main", p => p with { Automations = [new PlanAutomation("page-board", AutomationTrigger.Alert, AutomationKind.Webhook, null, "logic-app-page-board", null, null, TimeSpan.FromHours(2))] })
            .Build();

        // Act
        var changes = await _store.ReplaceAsync(changed, progress: null, Token);

        // Assert
        Assert.Equal(new ChangeCount("Plans", 0, 1, 0, 1), changes.Tables[2]);
        CatalogAssert.Equal(changed, await _store.LoadAsync(Token));
    }

    [Fact]
    public async Task Service_heartbeats_are_one_json_column_with_iso_durations_and_absent_when_there_are_none()
    {
        // Arrange
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var services = _clients.Tables.GetTableClient(_store.TableName(StorageNames.ServicesTable));

        // Act
        var database = (await services.GetEntityAsync<TableEntity>("service", "payments-db", cancellationToken: Token)).Value;
        var identity = (await services.GetEntityAsync<TableEntity>("service", "identity", cancellationToken: Token)).Value;

        // Assert
        Assert.Equal(
            "[{\"name\":\"log-backup\",\"every\":\"PT1M\",\"grace\":\"PT30S\"},{\"name\":\"dc2-replica\",\"every\":\"PT2M\",\"grace\":\"PT0S\"}]",
            database.GetString("Heartbeats"));
        Assert.False(identity.ContainsKey("Heartbeats"));
    }

    [Fact]
    public async Task A_service_row_without_heartbeats_loads_with_none_and_is_not_rewritten()
    {
        // Arrange: the service as an import before heartbeats existed stored it, with no Heartbeats column.
        var catalog = new CatalogBuilder().WithService("old").Build();
        await _store.ReplaceAsync(catalog, progress: null, Token);
        var before = await ETagsAsync();

        // Act
        var loaded = await _store.LoadAsync(Token);
        var changes = await _store.ReplaceAsync(catalog, progress: null, Token);

        // Assert
        Assert.Empty(Assert.Single(loaded.Services).Heartbeats);
        Assert.False(changes.Changed);
        Assert.Equal(before, await ETagsAsync());
    }

    [Theory]
    [InlineData("add")]
    [InlineData("every")]
    [InlineData("grace")]
    [InlineData("rename")]
    [InlineData("remove")]
    public async Task A_change_to_a_services_heartbeats_rewrites_that_services_row_only(string change)
    {
        // Arrange
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var before = await ETagsAsync();
        var changed = CatalogBuilder.Sample()
            .ChangeService(change == "add" ? "identity" : "payments-db", s => s with
            {
                Heartbeats = change switch
                {
                    "add" => [new HeartbeatDeclaration("directory-backup", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5))],
                    "every" => [s.Heartbeats[0] with { Every = TimeSpan.FromMinutes(2) }, s.Heartbeats[1]],
                    "grace" => [s.Heartbeats[0], s.Heartbeats[1] with { Grace = TimeSpan.FromSeconds(30) }],
                    "rename" => [s.Heartbeats[0] with { Name = "log-backup-dc1" }, s.Heartbeats[1]],
                    _ => [],
                },
            })
            .Build();

        // Act
        var changes = await _store.ReplaceAsync(changed, progress: null, Token);
        var after = await ETagsAsync();

        // Assert
        Assert.Equal(new ChangeCount("Services", 0, 1, 0, 2), changes.Tables[0]);
        Assert.All(changes.Tables.Skip(1), t => Assert.False(t.Changed));
        Assert.Equal(before[$"{StorageNames.ServicesTable}/service/payments"], after[$"{StorageNames.ServicesTable}/service/payments"]);
        CatalogAssert.Equal(changed, await _store.LoadAsync(Token));
    }

    [Fact]
    public async Task Policy_rpo_warn_fraction_is_stored_only_when_it_is_not_the_default_and_a_row_without_it_loads_the_default()
    {
        // Arrange
        var policy = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PolicyTable));
        var warned = CatalogBuilder.Sample().Build();
        var byDefault = warned with { Policy = warned.Policy with { RpoWarnFraction = Policy.DefaultRpoWarnFraction } };

        // Act
        await _store.ReplaceAsync(warned, progress: null, Token);
        var stored = (await policy.GetEntityAsync<TableEntity>("policy", "current", cancellationToken: Token)).Value;
        var loaded = await _store.LoadAsync(Token);
        var toDefault = await _store.ReplaceAsync(byDefault, progress: null, Token);
        var without = (await policy.GetEntityAsync<TableEntity>("policy", "current", cancellationToken: Token)).Value;
        var loadedDefault = await _store.LoadAsync(Token);

        // Assert
        Assert.Equal(0.7, stored.GetDouble("RpoWarnFraction"));
        Assert.Equal(0.7, loaded.Policy.RpoWarnFraction);
        Assert.Equal(new ChangeCount("Policy", 0, 1, 0, 0), toDefault.Tables[4]);
        Assert.False(without.ContainsKey("RpoWarnFraction"));
        Assert.Equal(Policy.DefaultRpoWarnFraction, loadedDefault.Policy.RpoWarnFraction);
        Assert.Equal(byDefault.Policy, loadedDefault.Policy);
    }

    [Fact]
    public async Task Maintenance_windows_are_rows_with_their_times_offsets_and_weekly_hours_readable()
    {
        // Arrange
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var maintenance = _clients.Tables.GetTableClient(_store.TableName(StorageNames.MaintenanceTable));

        // Act
        var oneOff = (await maintenance.GetEntityAsync<TableEntity>("maintenance", "mw-payments-db-patching", cancellationToken: Token)).Value;
        var weekly = (await maintenance.GetEntityAsync<TableEntity>("maintenance", "mw-identity-weekly", cancellationToken: Token)).Value;

        // Assert
        Assert.Equal("2026-12-06T02:00:00+01:00", oneOff.GetString("Start"));
        Assert.Equal("2026-12-06T04:00:00+01:00", oneOff.GetString("End"));
        Assert.Equal("[\"payments-db\",\"payments\"]", oneOff.GetString("Services"));
        Assert.Equal("Monthly patching", oneOff.GetString("Reason"));
        Assert.Equal("cab@contoso.example", oneOff.GetString("ApprovedBy"));
        Assert.Equal(0, oneOff.GetInt32("Order"));
        Assert.False(oneOff.ContainsKey("Weekly"));
        Assert.Equal("""{"days":["Saturday","Sunday"],"from":"23:30:00","to":"01:00:00","timeZone":"Europe/London"}""", weekly.GetString("Weekly"));
        Assert.False(weekly.ContainsKey("Start"));
        Assert.False(weekly.ContainsKey("End"));
        Assert.Equal(1, weekly.GetInt32("Order"));
    }

    [Fact]
    public async Task A_changed_maintenance_window_rewrites_its_row_only()
    {
        // Arrange
        await _store.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        var before = await ETagsAsync();
        var changed = CatalogBuilder.Sample()
            .ChangeMaintenance("mw-identity-weekly", m => m with { Weekly = m.Weekly! with { To = new TimeOnly(2, 0) } })
            .Build();

        // Act
        var changes = await _store.ReplaceAsync(changed, progress: null, Token);
        var after = await ETagsAsync();

        // Assert
        Assert.Equal(new ChangeCount("Maintenance", 0, 1, 0, 1), changes.Tables[5]);
        Assert.All(changes.Tables.Take(5), t => Assert.False(t.Changed));
        Assert.Equal(before[$"{StorageNames.MaintenanceTable}/maintenance/mw-payments-db-patching"], after[$"{StorageNames.MaintenanceTable}/maintenance/mw-payments-db-patching"]);
        CatalogAssert.Equal(changed, await _store.LoadAsync(Token));
    }

    [Fact]
    public async Task A_store_holding_only_maintenance_windows_is_not_empty()
    {
        var catalog = new CatalogBuilder().WithMaintenance("mw-1", m => m with { Services = ["gone"] }).Build();

        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        Assert.NotSame(ContinuityCatalog.Empty, loaded);
        CatalogAssert.Equal(catalog, loaded);
    }

    [Fact]
    public async Task Policy_calendar_is_stored_only_when_it_is_not_utc_and_a_row_without_it_loads_utc()
    {
        // Arrange
        var policy = _clients.Tables.GetTableClient(_store.TableName(StorageNames.PolicyTable));
        var stockholm = CatalogBuilder.Sample().Build();
        var utc = stockholm with { Policy = stockholm.Policy with { Calendar = BusinessCalendar.Default } };

        // Act
        await _store.ReplaceAsync(stockholm, progress: null, Token);
        var stored = (await policy.GetEntityAsync<TableEntity>("policy", "current", cancellationToken: Token)).Value;
        var loaded = await _store.LoadAsync(Token);
        var toUtc = await _store.ReplaceAsync(utc, progress: null, Token);
        var without = (await policy.GetEntityAsync<TableEntity>("policy", "current", cancellationToken: Token)).Value;
        var loadedUtc = await _store.LoadAsync(Token);

        // Assert
        Assert.Equal("""{"timeZone":"Europe/Stockholm"}""", stored.GetString("Calendar"));
        Assert.Equal(new BusinessCalendar("Europe/Stockholm"), loaded.Policy.Calendar);
        Assert.Equal(new ChangeCount("Policy", 0, 1, 0, 0), toUtc.Tables[4]);
        Assert.False(without.ContainsKey("Calendar"));
        Assert.Equal(BusinessCalendar.Default, loadedUtc.Policy.Calendar);
        Assert.Equal(utc.Policy, loadedUtc.Policy);
    }

    [Fact]
    public async Task Working_hours_holidays_and_a_window_on_holidays_are_stored_and_loaded_back()
    {
        // Arrange
        var sample = CatalogBuilder.Sample().Build();
        var calendar = new BusinessCalendar("Europe/Stockholm")
        {
            WorkingHours = new WorkingHours([DayOfWeek.Monday, DayOfWeek.Friday], new TimeOnly(8, 0), new TimeOnly(17, 0)),
            Holidays = [new Holiday(new DateOnly(2026, 12, 25), "Christmas Day"), new Holiday(new DateOnly(2026, 12, 26), null)],
        };
        var onHolidays = sample.Maintenance.Select(m => m.Weekly is { } w ? m with { Weekly = w with { OnHolidays = true } } : m).ToList();
        var catalog = sample with { Policy = sample.Policy with { Calendar = calendar }, Maintenance = onHolidays };

        // Act
        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        // Assert
        Assert.Equal(calendar, loaded.Policy.Calendar);
        Assert.True(loaded.Maintenance.Single(m => m.Weekly is not null).Weekly!.OnHolidays);
        Assert.False(sample.Maintenance.Single(m => m.Weekly is not null).Weekly!.OnHolidays);
    }

    /// <summary>Every row of the catalogue tables as <c>table/partition/row</c> (keys unescaped) to its ETag.</summary>
    private async Task<Dictionary<string, ETag>> ETagsAsync()
    {
        var etags = new Dictionary<string, ETag>(StringComparer.Ordinal);
        foreach (var table in _catalogueTables)
        {
            var client = _clients.Tables.GetTableClient(_store.TableName(table));
            await foreach (var row in client.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: Token))
            {
                etags.Add($"{table}/{TableKeys.Unescape(row.PartitionKey)}/{TableKeys.Unescape(row.RowKey)}", row.ETag);
            }
        }

        return etags;
    }

    /// <summary>Collects progress lines synchronously, and optionally acts on each as it arrives.</summary>
    private sealed class ListProgress(List<string> lines, Action<string>? onLine = null) : IProgress<string>
    {
        public void Report(string value)
        {
            lines.Add(value);
            onLine?.Invoke(value);
        }
    }
}
