using System.Globalization;
using Azure.Data.Tables;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Intake;

/// <summary>
/// The audit log on the Audit table (DESIGN section 4), append only: PartitionKey the month (<c>yyyyMM</c>, UTC),
/// RowKey the inverted ticks of the time and a unique id (<c>{MaxTicks - ticks:D19}-{guid:N}</c>), so a month reads
/// newest first; properties At, Actor, Action, Subject and Detail.
/// </summary>
public sealed class TableAuditLog : IAuditLog
{
    private readonly StorageClients _clients;
    private readonly ILogger _logger;

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before the table name (letters and digits); empty in production, unique per test.</param>
    /// <param name="logger">Where appends are logged.</param>
    public TableAuditLog(StorageClients clients, string tablePrefix = "", ILogger<TableAuditLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        TableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.AuditTable;
        _logger = logger ?? NullLogger<TableAuditLog>.Instance;
    }

    /// <summary>The name of the Audit table in the account, i.e. with this log's prefix.</summary>
    public string TableName { get; }

    /// <summary>The partition of the month of <paramref name="at"/>: <c>yyyyMM</c> in UTC.</summary>
    public static string PartitionKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);

    /// <summary>A row key that sorts newer entries first: the ticks left until <see cref="DateTimeOffset.MaxValue"/>, then the id.</summary>
    public static string RowKey(DateTimeOffset at, Guid id) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{id:N}");

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = new TableEntity(PartitionKey(entry.At), RowKey(entry.At, Guid.NewGuid()))
        {
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
            ["Action"] = entry.Action,
        };
        RowText.Set(row, "Subject", entry.Subject);
        RowText.Set(row, "Detail", entry.Detail);
        var table = await _clients.GetTableAsync(TableName, cancellationToken);
        await table.AddEntityAsync(row, cancellationToken);
        Log.AuditAppended(_logger, entry.Actor, entry.Action, entry.Subject);
    }
}
