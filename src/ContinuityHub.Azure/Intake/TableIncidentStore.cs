using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Intake;

/// <summary>
/// The incident store on the Incidents table (DESIGN section 4): one partition per incident key holding the incident
/// row (<c>incident</c>), its event log (<c>event~{hash of the delivery key}</c>) and its assessments
/// (<c>assessment~{ticks}</c>). Each <see cref="WriteAsync"/> is one entity-group transaction: the delivery's event
/// (added: a delivery key already in the log makes it a duplicate), the incident row (added, or replaced only while
/// still at the ETag read), the assessment and the notification outbox entries the change calls for
/// (<c>outbox~{ticks:D19}</c>), all or nothing. The partition also holds the rows of <see cref="TableAlertStore"/>
/// (<c>alert~…</c>, <c>token~…</c>); the reads here pass over them.
/// </summary>
public sealed class TableIncidentStore : IIncidentStore
{
    // Two assessments of one incident at the same tick are rare; each further one gets a suffix to its row key.
    private const int MaxSameInstantAssessments = 3;

    // The incidents this process last wrote, for FindForUpdateAsync (a storm writes the same few again and again).
    private const int MaxCachedIncidents = 1024;

    private readonly StorageClients _clients;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StoredIncident> _written = new(StringComparer.Ordinal);

    // Keys whose copy here proved behind (a conflict): the next FindForUpdateAsync reads the stored row.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _mustRead = new(StringComparer.Ordinal);

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before the table name (letters and digits); empty in production, unique per test.</param>
    /// <param name="logger">Where writes, duplicates and conflicts are logged.</param>
    public TableIncidentStore(StorageClients clients, string tablePrefix = "", ILogger<TableIncidentStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        TableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.IncidentsTable;
        _logger = logger ?? NullLogger<TableIncidentStore>.Instance;
    }

    /// <summary>The name of the Incidents table in the account, i.e. with this store's prefix.</summary>
    public string TableName { get; }

    /// <summary>The PartitionKey of an incident key: the key itself (already escaped by <c>IncidentKey</c>), made safe if it is not.</summary>
    public static string PartitionKey(string incidentKey) => IncidentRows.PartitionKey(incidentKey);

    /// <summary>The RowKey of a delivery in an incident's event log: <c>event~</c> and the first 32 hex digits of the SHA-256 of its key.</summary>
    public static string EventRowKey(string deliveryKey) => IncidentRows.EventRowKey(deliveryKey);

    public async Task<StoredIncident?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(
            IncidentRows.PartitionKey(key), IncidentRows.IncidentRowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } found ? IncidentRows.ToStoredIncident(found) : null;
    }

    /// <summary>
    /// The incident as this process last wrote it (with the ETag storage gave that write), else null for a key it has
    /// not written — as if new: the write then adds the row, which fails as a conflict if it is there after all. After
    /// a conflict the stored row is read.
    /// </summary>
    public async Task<StoredIncident?> FindForUpdateAsync(string key, CancellationToken cancellationToken)
    {
        if (!_mustRead.ContainsKey(key))
        {
            return _written.TryGetValue(key, out var known) ? known : null;
        }

        var found = await FindAsync(key, cancellationToken);
        _mustRead.TryRemove(key, out _);
        return found;
    }

    public async Task<IncidentHistory?> GetHistoryAsync(string key, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        return await ReadHistoryAsync(table, IncidentRows.PartitionKey(key), cancellationToken);
    }

    /// <summary>
    /// Queries the incident rows whose <c>StartedAt</c> is in [<paramref name="startedFrom"/>, <paramref name="startedBefore"/>),
    /// then reads each one's partition: one query for the range, then one per incident.
    /// </summary>
    public async IAsyncEnumerable<IncidentHistory> ListHistoriesAsync(
        DateTimeOffset startedFrom, DateTimeOffset startedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (startedFrom >= startedBefore)
        {
            yield break;
        }

        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {IncidentRows.IncidentRowKey} and StartedAt ge {startedFrom.ToUniversalTime()} and StartedAt lt {startedBefore.ToUniversalTime()}");

        // The range is read to its end first, so its pages and the partition reads never interleave.
        var partitions = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            partitions.Add(row.PartitionKey);
        }

        foreach (var partition in partitions)
        {
            if (await ReadHistoryAsync(table, partition, cancellationToken) is { } history)
            {
                yield return history;
            }
        }
    }

    public async Task<WriteOutcome> WriteAsync(IncidentWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var stored = write.Incident;
        var key = stored.Incident.Key;
        var partition = IncidentRows.PartitionKey(key);
        var outbox = write.Outbox ?? [];
        OutboxAdds.Validate(key, outbox, newOnly: true, nameof(write));

        // The event goes first: a duplicate delivery is recognised as one even when the incident row has moved on.
        var actions = new List<TableTransactionAction>(3);
        var eventIndex = -1;
        if (write.Event is { } delivery)
        {
            eventIndex = actions.Count;
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, IncidentRows.EventRow(partition, delivery, stored.LastUpdated)));
        }

        var incidentIndex = actions.Count;
        var incidentRow = IncidentRows.IncidentRow(partition, stored);
        actions.Add(stored.ETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, incidentRow)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, incidentRow, new ETag(stored.ETag)));
        if (incidentRow.ContainsKey(IncidentRows.LatestAssessmentOmitted))
        {
            Log.AssessmentOmitted(_logger, key, "the latest assessment");
        }

        var assessmentIndex = -1;
        var assessmentKey = string.Empty;
        if (write.Assessment is { } assessment)
        {
            assessmentIndex = actions.Count;
            assessmentKey = IncidentRows.AssessmentRowKey(assessment.At);
            var assessmentRow = IncidentRows.AssessmentRow(partition, assessmentKey, assessment);
            if (assessmentRow.ContainsKey(IncidentRows.AssessmentOmitted))
            {
                Log.AssessmentOmitted(_logger, key, "an assessment");
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, assessmentRow));
        }

        var added = new OutboxAdds(key, partition, outbox, _logger);
        added.AppendTo(actions);
        IncidentRows.EnsureKeepable(stored.Incident, actions);

        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        for (var sameInstant = 0; ; sameInstant++)
        {
            Response<IReadOnlyList<Response>> responses;
            try
            {
                responses = await table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 404 or 409 or 412)
            {
                var failed = exception.FailedTransactionActionIndex ?? (actions.Count == 1 ? 0 : -1);
                if (failed == eventIndex && exception.Status == 409)
                {
                    Log.DeliveryAlreadyRecorded(_logger, key, write.Event!.DeliveryKey);
                    return WriteOutcome.Duplicate;
                }

                if (failed == incidentIndex)
                {
                    Log.IncidentChanged(_logger, key, exception.Status, exception.ErrorCode);
                    Forget(key);
                    return WriteOutcome.Conflict;
                }

                if (failed == assessmentIndex && exception.Status == 409 && sameInstant < MaxSameInstantAssessments)
                {
                    // Nothing was written, so the incident row is still at its ETag: record this assessment beside the other.
                    var rowKey = $"{assessmentKey}~{Guid.NewGuid():N}";
                    Log.AssessmentAtSameInstant(_logger, key, write.Assessment!.At, rowKey);
                    actions[assessmentIndex] = new TableTransactionAction(
                        TableTransactionActionType.Add,
                        IncidentRows.AssessmentRow(partition, rowKey, write.Assessment));
                    continue;
                }

                // An outbox entry at a tick already taken: nothing was written, so add the entries after the ones there.
                if (added.Contains(failed) && exception.Status == 409 && await added.MovePastTakenAsync(table, actions, failed, cancellationToken))
                {
                    continue;
                }

                Forget(key);
                throw;
            }
            catch (RequestFailedException exception) when (exception.Status is 400 or 413)
            {
                // Storage says the rows are invalid (a value or size the checks above did not foresee): retrying cannot help.
                Log.WriteRefused(_logger, key, exception.Status, exception.ErrorCode);
                Forget(key);
                throw new HubValidationException("body", $"storage refused to keep the incident ({exception.ErrorCode ?? exception.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}): a value in it is too big or not one Table Storage keeps");
            }
            catch
            {
                // A transient failure may or may not have written: what this process holds may be behind.
                Forget(key);
                throw;
            }

            Remember(key, stored, responses.Value.Count > incidentIndex ? responses.Value[incidentIndex].Headers.ETag : null);
            Log.IncidentWritten(_logger, key, stored.ETag is null, write.Event is not null, write.Assessment is not null);
            if (added.Count > 0)
            {
                Notifications.Log.OutboxEntriesAdded(_logger, key, added.Count);
            }

            return WriteOutcome.Written;
        }
    }

    public async IAsyncEnumerable<StoredIncident> ListOpenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {IncidentRows.IncidentRowKey} and Open eq {true}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return IncidentRows.ToStoredIncident(row);
        }
    }

    /// <summary>Keeps what was written, at the ETag storage gave it, for the next read-modify-write of the incident.</summary>
    private void Remember(string key, StoredIncident stored, ETag? etag)
    {
        if (etag is not { } written)
        {
            Forget(key);
            return;
        }

        if (_written.Count >= MaxCachedIncidents && !_written.ContainsKey(key))
        {
            _written.Clear();
        }

        _written[key] = stored with { ETag = written.ToString() };
    }

    private void Forget(string key)
    {
        _written.TryRemove(key, out _);
        _mustRead[key] = true;
        if (_mustRead.Count > MaxCachedIncidents * 4)
        {
            _mustRead.Clear();
        }
    }

    /// <summary>An incident's partition read whole: its row, event log and assessments; null when it has no incident row.</summary>
    private static async Task<IncidentHistory?> ReadHistoryAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        TableEntity? incidentRow = null;
        var events = new List<TableEntity>();
        var assessments = new List<TableEntity>();
        // Only the incident's own rows: the outbox, alerts and tokens beside them are not its history.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and (RowKey eq {IncidentRows.IncidentRowKey} or (RowKey ge {IncidentRows.EventPrefix} and RowKey lt {IncidentRows.EventPrefix + "~"}) or (RowKey ge {IncidentRows.AssessmentPrefix} and RowKey lt {IncidentRows.AssessmentPrefix + "~"}))");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == IncidentRows.IncidentRowKey)
            {
                incidentRow = row;
            }
            else if (row.RowKey.StartsWith(IncidentRows.EventPrefix, StringComparison.Ordinal))
            {
                events.Add(row);
            }
            else if (row.RowKey.StartsWith(IncidentRows.AssessmentPrefix, StringComparison.Ordinal))
            {
                assessments.Add(row);
            }
        }

        if (incidentRow is null)
        {
            return null;
        }

        var incident = IncidentRows.ToStoredIncident(incidentRow);
        return new IncidentHistory(
            incident,
            [.. events
                .OrderBy(IncidentRows.AppliedAt)
                .ThenBy(row => row.GetDateTimeOffset("ReceivedAt"))
                .ThenBy(row => row.RowKey, StringComparer.Ordinal)
                .Select(IncidentRows.ToEvent)],
            [.. assessments
                .OrderBy(row => row.RowKey, StringComparer.Ordinal)
                .Select(row => IncidentRows.ToAssessment(row, incident.Incident))]);
    }
}
