using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ContinuityHub.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// The catalogue in Table Storage: the Services, Aliases, Plans, Exercises, Policy and Maintenance tables (DESIGN section 4).
/// The import writes only the Maintenance table's <c>maintenance</c> partition; the windows added over the API
/// (partition <c>api</c>, <see cref="TableMaintenanceStore"/>) are loaded with the catalogue's but never touched by it.
/// The Aliases table is an index derived from the services, kept for the intake's point reads.
/// </summary>
public sealed class TableCatalogStore : ICatalogStore
{
    private const int MaxActionsPerTransaction = 100;

    // A transaction's request may hold 4 MiB; rows are counted at two bytes a character with room to spare.
    private const int MaxTransactionChars = 1_500_000;

    private static readonly string[] _systemProperties = ["PartitionKey", "RowKey", "Timestamp", "odata.etag"];

    private readonly StorageClients _clients;
    private readonly string _tablePrefix;
    private readonly ILogger _logger;

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before every table name (letters and digits); empty in production, unique per test.</param>
    /// <param name="logger">Where the outcome of each import is logged.</param>
    public TableCatalogStore(StorageClients clients, string tablePrefix = "", ILogger<TableCatalogStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);

        _clients = clients;
        _tablePrefix = TablePrefix.Validate(tablePrefix, nameof(tablePrefix));
        _logger = logger ?? NullLogger<TableCatalogStore>.Instance;
    }

    /// <summary>The name of a catalogue table in the account, i.e. with this store's prefix.</summary>
    public string TableName(string table) => _tablePrefix + table;

    public async Task<ContinuityCatalog> LoadAsync(CancellationToken cancellationToken)
    {
        var services = ReadAllAsync(StorageNames.ServicesTable, cancellationToken);
        var plans = ReadAllAsync(StorageNames.PlansTable, cancellationToken);
        var exercises = ReadAllAsync(StorageNames.ExercisesTable, cancellationToken);
        var policy = ReadAllAsync(StorageNames.PolicyTable, cancellationToken);
        var maintenance = ReadAllAsync(StorageNames.MaintenanceTable, cancellationToken);
        await Task.WhenAll(services, plans, exercises, policy, maintenance);

        if ((await services).Count == 0 && (await plans).Count == 0 && (await exercises).Count == 0 && (await policy).Count == 0 && (await maintenance).Count == 0)
        {
            return ContinuityCatalog.Empty;
        }

        var policyRow = (await policy).FirstOrDefault(row => row.PartitionKey == CatalogRows.PolicyPartition && row.RowKey == CatalogRows.PolicyRow);
        var recorded = await RecordedRunsAsync(cancellationToken);
        var added = await AddedFindingsAsync(cancellationToken);
        return new ContinuityCatalog(
            policyRow is null ? Policy.Default : CatalogRows.ToPolicy(policyRow),
            [.. CatalogRows.InCatalogueOrder(await services).Select(CatalogRows.ToService)],
            [.. CatalogRows.InCatalogueOrder(await plans).Select(CatalogRows.ToPlan)],
            [.. CatalogRows.InCatalogueOrder(await exercises).Select(CatalogRows.ToExercise).Select(e => WithAddedFindings(WithRecordedRun(e, recorded), added))])
        {
            Maintenance = CatalogRows.MaintenanceInOrder(await maintenance),
        };
    }

    /// <summary>The latest ended run of each exercise played on the hub (ExerciseRuns table), by exercise id.</summary>
    private async Task<Dictionary<string, ContinuityHub.Exercises.ExerciseRun>> RecordedRunsAsync(CancellationToken cancellationToken) =>
        (await new Exercises.TableExerciseRunStore(_clients, _tablePrefix).ListEndedAsync(cancellationToken)).ToDictionary(r => r.ExerciseId, StringComparer.Ordinal);

    /// <summary>The findings added over the CLI or HTTP (Findings table), by exercise id.</summary>
    private async Task<ILookup<string, Finding>> AddedFindingsAsync(CancellationToken cancellationToken) =>
        (await new Exercises.TableFindingStore(_clients, _tablePrefix).ListAsync(ContinuityHub.Exercises.FindingOrigin.Exercise, null, cancellationToken))
            .ToLookup(f => f.Owner, f => f.Finding, StringComparer.Ordinal);

    /// <summary>The exercise's own findings, then those added for it whose ids it does not have.</summary>
    private static Exercise WithAddedFindings(Exercise exercise, ILookup<string, Finding> added)
    {
        var more = added[exercise.Id].Where(f => !exercise.Findings.Any(own => string.Equals(own.Id, f.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        return more.Count == 0 ? exercise : exercise with { Findings = [.. exercise.Findings, .. more] };
    }

    /// <summary>
    /// What happened wins over what was typed: an exercise played on the hub takes its completion date, result and
    /// (played in real time) achieved recovery from its latest ended run, unless the catalogue records a later completion.
    /// </summary>
    private static Exercise WithRecordedRun(Exercise exercise, Dictionary<string, ContinuityHub.Exercises.ExerciseRun> recorded)
    {
        if (!recorded.TryGetValue(exercise.Id, out var run) || run is not { EndedAt: { } ended, Result: { } result })
        {
            return exercise;
        }

        var completed = DateOnly.FromDateTime(ended.UtcDateTime);
        return exercise.Completed > completed
            ? exercise
            : exercise with { Completed = completed, Result = result, AchievedRecovery = run.AchievedRecovery ?? exercise.AchievedRecovery };
    }

    public async Task<CatalogChanges> ReplaceAsync(ContinuityCatalog catalog, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);

        // Everything that could be wrong with the catalogue is found before anything is written.
        var desired = new (string Table, IReadOnlyList<TableEntity> Rows)[]
        {
            (StorageNames.ServicesTable, Unique("services", catalog.Services.Select(CatalogRows.ServiceRow))),
            (StorageNames.AliasesTable, CatalogRows.AliasRows(catalog.Services)),
            (StorageNames.PlansTable, Unique("plans", catalog.Plans.Select(CatalogRows.PlanRow))),
            (StorageNames.ExercisesTable, Unique("exercises", catalog.Exercises.Select(CatalogRows.ExerciseRow))),
            (StorageNames.PolicyTable, [CatalogRows.PolicyRowOf(catalog.Policy)]),

            // Last, so the tables before it keep their place in the counts.
            (StorageNames.MaintenanceTable, Unique("maintenance", catalog.Maintenance.Select(CatalogRows.MaintenanceRow))),
        };

        // Every table is read before the first write, so a change someone makes meanwhile fails our conditional write.
        // Of the Maintenance table only the catalogue's partition: windows added over the API are not the import's.
        var existing = await Task.WhenAll(desired.Select(d => ReadAllAsync(
            d.Table,
            cancellationToken,
            d.Table == StorageNames.MaintenanceTable ? CatalogRows.MaintenancePartition : null)));

        var counts = new List<ChangeCount>(desired.Length);
        for (var i = 0; i < desired.Length; i++)
        {
            var (table, rows) = desired[i];
            KeepStoredOrder(rows, existing[i]);
            var plan = Diff(table, rows, existing[i]);
            await WriteAsync(table, plan.Actions, cancellationToken);

            counts.Add(plan.Count);
            Log.CatalogueTableReplaced(_logger, table, plan.Count.Added, plan.Count.Updated, plan.Count.Deleted, plan.Count.Unchanged);
            progress?.Report(plan.Count.ToString());
        }

        return new CatalogChanges(counts);
    }

    /// <summary>The id of the service an alias leads to, by a point read of the Aliases index; null when none does.</summary>
    public async Task<string?> FindServiceIdAsync(AliasSource source, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        var table = await _clients.GetTableAsync(TableName(StorageNames.AliasesTable), cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(
            TableKeys.AliasPartition(source),
            TableKeys.AliasRowKey(source, alias),
            ["ServiceId"],
            cancellationToken);
        return row.HasValue ? row.Value?.GetString("ServiceId") : null;
    }

    private async Task<List<TableEntity>> ReadAllAsync(string table, CancellationToken cancellationToken, string? partition = null)
    {
        var client = await _clients.GetTableAsync(TableName(table), cancellationToken);
        var rows = new List<TableEntity>();
        var filter = partition is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static List<TableEntity> Unique(string path, IEnumerable<TableEntity> rows)
    {
        var list = rows.ToList();
        var duplicates = list
            .GroupBy(row => (row.PartitionKey, row.RowKey))
            .Where(group => group.Count() > 1)
            .Select(group => new ValidationProblem(
                path,
                $"'{TableKeys.Unescape(group.Key.RowKey)}' appears {group.Count()} times; ids must be unique."))
            .ToList();
        return duplicates.Count > 0 ? throw new HubValidationException(duplicates) : list;
    }

    /// <summary>
    /// Rows carry their place in the catalogue as <c>Order</c>; only the relative order matters. Where a row's stored
    /// Order still sorts it right (after the rows before it), it is kept, so removing or appending a service rewrites
    /// no other row; otherwise the row gets the next number up.
    /// </summary>
    private static void KeepStoredOrder(IReadOnlyList<TableEntity> desired, IReadOnlyList<TableEntity> existing)
    {
        if (desired.Count == 0 || !desired[0].ContainsKey("Order"))
        {
            return;
        }

        var stored = existing.ToDictionary(row => (row.PartitionKey, row.RowKey), row => row.GetInt32("Order"));
        var last = -1;
        foreach (var row in desired)
        {
            last = stored.TryGetValue((row.PartitionKey, row.RowKey), out var order) && order > last ? order.Value : last + 1;
            row["Order"] = last;
        }
    }

    private static (ChangeCount Count, List<TableTransactionAction> Actions) Diff(
        string table, IReadOnlyList<TableEntity> desired, IReadOnlyList<TableEntity> existing)
    {
        var stored = existing.ToDictionary(row => (row.PartitionKey, row.RowKey));
        var actions = new List<TableTransactionAction>();
        int added = 0, updated = 0, unchanged = 0;
        foreach (var row in desired)
        {
            if (!stored.Remove((row.PartitionKey, row.RowKey), out var current))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
                added++;
            }
            else if (SameProperties(row, current))
            {
                unchanged++;
            }
            else
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, current.ETag));
                updated++;
            }
        }

        foreach (var gone in stored.Values)
        {
            actions.Add(new TableTransactionAction(
                TableTransactionActionType.Delete,
                new TableEntity(gone.PartitionKey, gone.RowKey),
                gone.ETag));
        }

        return (new ChangeCount(table, added, updated, stored.Count, unchanged), actions);
    }

    private async Task WriteAsync(string table, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count == 0)
        {
            return;
        }

        var client = await _clients.GetTableAsync(TableName(table), cancellationToken);
        foreach (var partition in actions.GroupBy(action => action.Entity.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var batch in Batches(partition))
            {
                try
                {
                    await client.SubmitTransactionAsync(batch, cancellationToken);
                }
                catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
                {
                    var failed = exception is TableTransactionFailedException { FailedTransactionActionIndex: { } index } && index < batch.Count
                        ? batch[index].Entity
                        : batch[0].Entity;
                    var row = $"'{TableKeys.Unescape(failed.PartitionKey)}'/'{TableKeys.Unescape(failed.RowKey)}'";
                    Log.CatalogueConflict(_logger, table, row, exception.Status, exception.ErrorCode);
                    throw new ConcurrencyConflictException(
                        $"The catalogue changed while importing ({table} row {row} was changed or removed by someone else); run the import again.",
                        exception);
                }
            }
        }
    }

    private static IEnumerable<List<TableTransactionAction>> Batches(IEnumerable<TableTransactionAction> actions)
    {
        var batch = new List<TableTransactionAction>();
        var chars = 0;
        foreach (var action in actions)
        {
            var size = Size(action.Entity);
            if (batch.Count == MaxActionsPerTransaction || (batch.Count > 0 && chars + size > MaxTransactionChars))
            {
                yield return batch;
                batch = [];
                chars = 0;
            }

            batch.Add(action);
            chars += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static int Size(ITableEntity entity) =>
        entity is TableEntity row
            ? row.Sum(pair => pair.Key.Length + (pair.Value is string text ? text.Length : 32)) + 512
            : 512;

    /// <summary>True when both rows hold the same properties with the same values (system properties aside).</summary>
    private static bool SameProperties(TableEntity desired, TableEntity stored)
    {
        var wanted = desired.Keys.Where(key => !_systemProperties.Contains(key)).ToList();
        var held = stored.Keys.Count(key => !_systemProperties.Contains(key));
        return wanted.Count == held && wanted.All(key => stored.TryGetValue(key, out var value) && SameValue(desired[key], value));
    }

    private static bool SameValue(object? desired, object? stored) =>
        (desired, stored) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (bool a, bool b) => a == b,
            (int or long or double, int or long or double) =>
                Convert.ToDouble(desired, CultureInfo.InvariantCulture).Equals(Convert.ToDouble(stored, CultureInfo.InvariantCulture)),
            _ => desired.Equals(stored),
        };
}
