using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// The alerts, the outbox and the used decision tokens on the Incidents table, in each incident's own partition
/// (DESIGN section 4): <c>alert~{plan}</c>, <c>outbox~{ticks:D19}</c> and <c>token~{nonce}</c> beside the incident row,
/// so <see cref="WriteAsync"/> changes them in one entity-group transaction. An alert carries <c>EscalationDue</c> only
/// while an escalation is scheduled, and an outbox entry <c>Done</c>, so the sweeps across incidents read little.
/// </summary>
public sealed class TableAlertStore : IAlertStore
{
    private readonly StorageClients _clients;
    private readonly ILogger _logger;

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before the table name (letters and digits); empty in production, unique per test.</param>
    /// <param name="logger">Where writes, duplicates and conflicts are logged.</param>
    public TableAlertStore(StorageClients clients, string tablePrefix = "", ILogger<TableAlertStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        TableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.IncidentsTable;
        _logger = logger ?? NullLogger<TableAlertStore>.Instance;
    }

    /// <summary>The name of the Incidents table in the account, i.e. with this store's prefix.</summary>
    public string TableName { get; }

    /// <summary>The RowKey of a plan's alert: <c>alert~</c> and the plan id, escaped.</summary>
    public static string AlertRowKey(string plan) => AlertRows.AlertRowKey(plan);

    /// <summary>The RowKey of a used decision token: <c>token~</c> and the nonce, escaped.</summary>
    public static string TokenRowKey(string nonce) => AlertRows.TokenRowKey(nonce);

    /// <summary>Cross-partition: <c>RowKey ge 'outbox~' and RowKey lt 'outbox~~' and Done eq false</c>, in (PartitionKey, RowKey) order.</summary>
    public async IAsyncEnumerable<OutboxEntry> ListPendingOutboxAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var filter = $"{AlertRows.RangeFilter(AlertRows.OutboxPrefix)} and {TableClient.CreateQueryFilter($"Done eq {false}")}";
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return AlertRows.ToOutboxEntry(row);
        }
    }

    public async Task<IReadOnlyList<OutboxEntry>> PendingOutboxAsync(string incidentKey, CancellationToken cancellationToken)
    {
        var notDone = TableClient.CreateQueryFilter($"Done eq {false}");
        var rows = await ReadPartitionAsync(incidentKey, AlertRows.OutboxPrefix, notDone, cancellationToken);
        return [.. rows.OrderBy(row => row.RowKey, StringComparer.Ordinal).Select(AlertRows.ToOutboxEntry)];
    }

    public async Task<PlanAlert?> FindAlertAsync(string incidentKey, string plan, CancellationToken cancellationToken)
    {
        var row = await FindRowAsync(incidentKey, AlertRows.AlertRowKey(plan), cancellationToken);
        return row is null ? null : AlertRows.ToAlert(row);
    }

    public async Task<IReadOnlyList<PlanAlert>> ListAlertsAsync(string incidentKey, CancellationToken cancellationToken)
    {
        var rows = await ReadPartitionAsync(incidentKey, AlertRows.AlertPrefix, null, cancellationToken);
        return [.. rows.Select(AlertRows.ToAlert).OrderBy(alert => alert.Plan, StringComparer.Ordinal)];
    }

    /// <summary>Cross-partition: <c>RowKey ge 'alert~' and RowKey lt 'alert~~' and EscalationDue le {now}</c>.</summary>
    public async IAsyncEnumerable<PlanAlert> ListEscalationsDueAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var due = TableClient.CreateQueryFilter($"EscalationDue le {now.ToUniversalTime()}");
        await foreach (var row in table.QueryAsync<TableEntity>($"{AlertRows.RangeFilter(AlertRows.AlertPrefix)} and {due}", cancellationToken: cancellationToken))
        {
            yield return AlertRows.ToAlert(row);
        }
    }

    public async Task<ConsumedToken?> FindTokenAsync(string incidentKey, string nonce, CancellationToken cancellationToken)
    {
        var row = await FindRowAsync(incidentKey, AlertRows.TokenRowKey(nonce), cancellationToken);
        return row is null ? null : AlertRows.ToToken(row);
    }

    public async Task<IReadOnlyList<ConsumedToken>> ListTokensAsync(string incidentKey, CancellationToken cancellationToken)
    {
        var rows = await ReadPartitionAsync(incidentKey, AlertRows.TokenPrefix, null, cancellationToken);
        return [.. rows.Select(AlertRows.ToToken).OrderBy(token => token.UsedAt)];
    }

    public async Task<AutomationRun?> FindRunAsync(string incidentKey, string plan, string automation, CancellationToken cancellationToken)
    {
        var row = await FindRowAsync(incidentKey, AlertRows.RunRowKey(plan, automation), cancellationToken);
        return row is null ? null : AlertRows.ToRun(row);
    }

    public async Task<IReadOnlyList<AutomationRun>> ListRunsAsync(string incidentKey, CancellationToken cancellationToken)
    {
        var rows = await ReadPartitionAsync(incidentKey, AlertRows.RunPrefix, null, cancellationToken);
        return [.. rows.Select(AlertRows.ToRun).OrderBy(run => run.Plan, StringComparer.Ordinal).ThenBy(run => run.Automation, StringComparer.Ordinal)];
    }

    /// <summary>Cross-partition: <c>RowKey ge 'automation~' and RowKey lt 'automation~~' and CallbackDue le {now}</c>.</summary>
    public async IAsyncEnumerable<AutomationRun> ListRunsOverdueAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var due = TableClient.CreateQueryFilter($"CallbackDue le {now.ToUniversalTime()}");
        await foreach (var row in table.QueryAsync<TableEntity>($"{AlertRows.RangeFilter(AlertRows.RunPrefix)} and {due}", cancellationToken: cancellationToken))
        {
            yield return AlertRows.ToRun(row);
        }
    }

    public async Task<WriteOutcome> WriteAsync(AlertWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentException.ThrowIfNullOrEmpty(write.IncidentKey, nameof(write));
        var key = write.IncidentKey;
        foreach (var alert in write.Alerts)
        {
            ArgumentNullException.ThrowIfNull(alert, nameof(write));
            if (!string.Equals(alert.IncidentKey, key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The alert of plan '{alert.Plan}' belongs to incident '{alert.IncidentKey}', not '{key}'.", nameof(write));
            }
        }

        foreach (var run in write.Runs)
        {
            ArgumentNullException.ThrowIfNull(run, nameof(write));
            if (!string.Equals(run.IncidentKey, key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The run of automation '{run.Automation}' belongs to incident '{run.IncidentKey}', not '{key}'.", nameof(write));
            }
        }

        OutboxAdds.Validate(key, write.Outbox, newOnly: false, nameof(write));
        if (write.Alerts.Count == 0 && write.Outbox.Count == 0 && write.Token is null && write.Runs.Count == 0)
        {
            return WriteOutcome.Written;
        }

        var partition = IncidentRows.PartitionKey(key);

        // The token goes first: a used token is recognised as one even when the alerts have moved on since.
        var actions = new List<TableTransactionAction>(write.Alerts.Count + write.Runs.Count + write.Outbox.Count + 1);
        var tokenIndex = -1;
        if (write.Token is { } token)
        {
            tokenIndex = actions.Count;
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, AlertRows.TokenRow(partition, token)));
        }

        foreach (var alert in write.Alerts)
        {
            actions.Add(AddOrReplace(AlertRows.AlertRow(partition, alert), alert.ETag));
        }

        foreach (var run in write.Runs)
        {
            actions.Add(AddOrReplace(AlertRows.RunRow(partition, run), run.ETag));
        }

        foreach (var entry in write.Outbox.Where(entry => entry.ETag is not null))
        {
            actions.Add(AddOrReplace(AlertRows.OutboxRow(partition, entry.Id, entry), entry.ETag));
        }

        var added = new OutboxAdds(key, partition, [.. write.Outbox.Where(entry => entry.ETag is null)], _logger);
        added.AppendTo(actions);

        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        while (true)
        {
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                Log.AlertsWritten(_logger, key, write.Alerts.Count, write.Outbox.Count, write.Token is not null);
                return WriteOutcome.Written;
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 404 or 409 or 412)
            {
                var failed = exception.FailedTransactionActionIndex ?? (actions.Count == 1 ? 0 : -1);
                if (tokenIndex >= 0 && failed == tokenIndex && exception.Status == 409)
                {
                    Log.TokenAlreadyUsed(_logger, key, write.Token!.Nonce);
                    return WriteOutcome.Duplicate;
                }

                if (added.Contains(failed))
                {
                    // Only a row key taken at the same tick stops a new entry; nothing was written, so try again past it.
                    if (exception.Status == 409 && await added.MovePastTakenAsync(table, actions, failed, cancellationToken))
                    {
                        continue;
                    }

                    throw;
                }

                if (failed > tokenIndex && failed < actions.Count)
                {
                    Log.AlertRowChanged(_logger, key, actions[failed].Entity.RowKey, exception.Status, exception.ErrorCode);
                    return WriteOutcome.Conflict;
                }

                throw;
            }
        }
    }

    public async Task<OutboxEntry?> ReplaceOutboxAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.ETag is null)
        {
            throw new ArgumentException($"Outbox entry {entry.Id} of incident {entry.IncidentKey} has no ETag: only a stored entry is replaced.", nameof(entry));
        }

        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var row = AlertRows.OutboxRow(IncidentRows.PartitionKey(entry.IncidentKey), entry.Id, entry);
        try
        {
            var response = await table.UpdateEntityAsync(row, new ETag(entry.ETag), TableUpdateMode.Replace, cancellationToken);
            return entry with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            Log.AlertRowChanged(_logger, entry.IncidentKey, entry.Id, exception.Status, exception.ErrorCode);
            return null;
        }
    }

    private static TableTransactionAction AddOrReplace(TableEntity row, string? etag) =>
        etag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, new ETag(etag));

    private async Task<TableEntity?> FindRowAsync(string incidentKey, string rowKey, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(IncidentRows.PartitionKey(incidentKey), rowKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The rows of one kind (<paramref name="prefix"/>) in the incident's partition, with an optional further filter.</summary>
    private async Task<List<TableEntity>> ReadPartitionAsync(string incidentKey, string prefix, string? andFilter, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {IncidentRows.PartitionKey(incidentKey)}")} and {AlertRows.RangeFilter(prefix)}";
        if (andFilter is not null)
        {
            filter += " and " + andFilter;
        }

        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
