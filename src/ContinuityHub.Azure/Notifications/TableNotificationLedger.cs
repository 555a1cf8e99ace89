using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// The delivery ledger on the Notifications table (DESIGN section 4): PartitionKey the day the delivery is due
/// (<c>yyyyMMdd</c>), RowKey the notification id (escaped; it is a hash, so normally as it is), one row per
/// (incident, plan, step, channel, recipient) with its state, attempts and what Graph gave back.
/// </summary>
public sealed class TableNotificationLedger : INotificationLedger
{
    private readonly StorageClients _clients;
    private readonly ILogger _logger;

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before the table name (letters and digits); empty in production, unique per test.</param>
    /// <param name="logger">Where records are logged.</param>
    public TableNotificationLedger(StorageClients clients, string tablePrefix = "", ILogger<TableNotificationLedger>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        TableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.NotificationsTable;
        _logger = logger ?? NullLogger<TableNotificationLedger>.Instance;
    }

    /// <summary>The name of the Notifications table in the account, i.e. with this ledger's prefix.</summary>
    public string TableName { get; }

    /// <summary>The partition of the day <paramref name="due"/>: <c>yyyyMMdd</c>.</summary>
    public static string PartitionKey(DateOnly due) => due.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The RowKey of a notification id: the id, escaped where Table keys would not take it.</summary>
    public static string RowKey(string id) => AlertRows.KeyPart(id);

    public async Task<NotificationRecord?> FindAsync(DateOnly due, string id, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey(due), RowKey(id), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } found ? ToRecord(found, due) : null;
    }

    public async Task RecordAsync(NotificationRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var row = new TableEntity(PartitionKey(record.Due), RowKey(record.Id))
        {
            ["Id"] = record.Id,
            ["IncidentKey"] = record.IncidentKey,
            ["Plan"] = record.Plan,
            ["Step"] = record.Step,
            ["Channel"] = record.Channel,
            ["Recipient"] = record.Recipient,
            ["State"] = record.State.ToString(),
            ["Attempts"] = record.Attempts,
            ["UpdatedAt"] = record.UpdatedAt,
        };
        RowText.Set(row, "GraphId", record.GraphId);
        RowText.Set(row, "GraphUrl", record.GraphUrl);
        RowText.Set(row, "LastError", record.LastError);
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        Log.NotificationRecorded(_logger, record.Id, record.Channel, record.IncidentKey, record.Plan, record.State);
    }

    public async IAsyncEnumerable<NotificationRecord> ListAsync(
        DateOnly due, string incidentKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidentKey);
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(due)} and IncidentKey eq {incidentKey}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return ToRecord(row, due);
        }
    }

    private static NotificationRecord ToRecord(TableEntity row, DateOnly due) =>
        new(
            Id: AlertRows.RequiredString(row, "Id"),
            Due: due,
            IncidentKey: AlertRows.RequiredString(row, "IncidentKey"),
            Plan: row.GetString("Plan") ?? string.Empty,
            Step: row.GetString("Step") ?? string.Empty,
            Channel: AlertRows.RequiredString(row, "Channel"),
            Recipient: row.GetString("Recipient") ?? string.Empty,
            State: AlertRows.RequiredEnum<NotificationState>(row, "State"),
            Attempts: row.GetInt32("Attempts") ?? 0,
            GraphId: RowText.Get(row, "GraphId"),
            GraphUrl: RowText.Get(row, "GraphUrl"),
            LastError: RowText.Get(row, "LastError"),
            UpdatedAt: AlertRows.RequiredTime(row, "UpdatedAt"));
}
