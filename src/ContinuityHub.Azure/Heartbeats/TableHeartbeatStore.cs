using Azure;
using Azure.Data.Tables;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Heartbeats;

namespace ContinuityHub.Azure.Heartbeats;

/// <summary>
/// The heartbeats on the Heartbeats table: PartitionKey the service id, RowKey the heartbeat's name (both escaped);
/// times as DateTime properties, each absent while unknown. Small: one row per declared heartbeat, read whole.
/// </summary>
public sealed class TableHeartbeatStore : IHeartbeatStore
{
    private readonly StorageClients _clients;

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before the table name (letters and digits); empty in production, unique per test.</param>
    public TableHeartbeatStore(StorageClients clients, string tablePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        TableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.HeartbeatsTable;
    }

    public string TableName { get; }

    public async Task<HeartbeatRecord?> FindAsync(string serviceId, string name, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(serviceId), TableKeys.Escape(name), cancellationToken: cancellationToken);
        return row.HasValue ? ToRecord(row.Value!) : null;
    }

    public async Task<IReadOnlyList<HeartbeatRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var records = new List<HeartbeatRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            records.Add(ToRecord(row));
        }

        return records;
    }

    public async Task<WriteOutcome> WriteAsync(HeartbeatRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var row = ToRow(record);
        try
        {
            if (record.ETag is null)
            {
                await table.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(row, new ETag(record.ETag), TableUpdateMode.Replace, cancellationToken);
            }

            return WriteOutcome.Written;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return WriteOutcome.Conflict;
        }
    }

    private static TableEntity ToRow(HeartbeatRecord record)
    {
        var row = new TableEntity(TableKeys.Escape(record.ServiceId), TableKeys.Escape(record.Name))
        {
            ["ServiceId"] = record.ServiceId,
            ["Name"] = record.Name,
            ["FirstSeen"] = record.FirstSeen,
            ["Beats"] = record.Beats,
            ["Paused"] = record.Paused,
        };
        Time(row, "LastRecoveryPoint", record.LastRecoveryPoint);
        Time(row, "LastBeatAt", record.LastBeatAt);
        Time(row, "PausedUntil", record.PausedUntil);
        Time(row, "RaisedAt", record.RaisedAt);
        RowText.Set(row, "PauseReason", record.PauseReason);
        return row;
    }

    private static HeartbeatRecord ToRecord(TableEntity row) =>
        new(
            row.GetString("ServiceId") ?? TableKeys.Unescape(row.PartitionKey),
            row.GetString("Name") ?? TableKeys.Unescape(row.RowKey),
            row.GetDateTimeOffset("FirstSeen") ?? row.Timestamp ?? DateTimeOffset.UnixEpoch,
            row.GetDateTimeOffset("LastRecoveryPoint"),
            row.GetDateTimeOffset("LastBeatAt"),
            row.GetInt32("Beats") ?? 0,
            row.GetBoolean("Paused") ?? false,
            row.GetDateTimeOffset("PausedUntil"),
            RowText.Get(row, "PauseReason"),
            row.GetDateTimeOffset("RaisedAt"),
            row.ETag.ToString());

    private static void Time(TableEntity row, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            row[name] = time;
        }
    }
}
