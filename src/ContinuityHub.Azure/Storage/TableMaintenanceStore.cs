using Azure;
using Azure.Data.Tables;
using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// The maintenance windows added over the API, in the catalogue's Maintenance table beside its windows: partition
/// <c>api</c> (the import keeps to partition <c>maintenance</c>), the row as the catalogue's without <c>Order</c>.
/// </summary>
public sealed class TableMaintenanceStore : IMaintenanceStore
{
    private readonly StorageClients _clients;
    private readonly string _tableName;

    /// <param name="clients">The storage account.</param>
    /// <param name="tablePrefix">Put before the table name, as the <see cref="TableCatalogStore"/> it sits beside has it.</param>
    public TableMaintenanceStore(StorageClients clients, string tablePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _tableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.MaintenanceTable;
    }

    public async Task<bool> AddAsync(MaintenanceWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        try
        {
            await table.AddEntityAsync(CatalogRows.ApiMaintenanceRow(window), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<StoredMaintenanceWindow>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return [.. CatalogRows.MaintenanceRowsInOrder(rows).Select(row => new StoredMaintenanceWindow(
            CatalogRows.ToMaintenanceWindow(row),
            row.PartitionKey == CatalogRows.ApiMaintenancePartition ? MaintenanceOrigin.Api : MaintenanceOrigin.Catalogue))];
    }

    public async Task<MaintenanceCancelOutcome> CancelAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var key = TableKeys.Escape(id);
        var deleted = await table.DeleteEntityAsync(CatalogRows.ApiMaintenancePartition, key, ETag.All, cancellationToken);
        if (deleted.Status != 404)
        {
            return MaintenanceCancelOutcome.Cancelled;
        }

        var declared = await table.GetEntityIfExistsAsync<TableEntity>(CatalogRows.MaintenancePartition, key, ["RowKey"], cancellationToken);
        return declared.HasValue ? MaintenanceCancelOutcome.InCatalogue : MaintenanceCancelOutcome.NotFound;
    }
}
