using Azure;
using Azure.Data.Tables;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;

namespace ContinuityHub.Azure.Exercises;

/// <summary>
/// The findings and corrective actions added over the CLI or HTTP, in the Findings table: PartitionKey
/// <c>exercise~{exerciseId}</c> or <c>review~{reviewId}</c> (escaped), RowKey the finding's id (escaped); columns
/// Text, Owner, Due, Closed. The catalogue import never touches it.
/// </summary>
public sealed class TableFindingStore : IFindingStore
{
    private readonly StorageClients _clients;
    private readonly string _tableName;

    public TableFindingStore(StorageClients clients, string tablePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _tableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.FindingsTable;
    }

    public async Task<bool> AddAsync(FindingOrigin origin, string ownerId, Finding finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownerId);
        ArgumentNullException.ThrowIfNull(finding);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToRow(origin, ownerId, finding), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<StoredFinding>> ListAsync(FindingOrigin origin, string? ownerId, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var prefix = Prefix(origin);
        // The table is small (findings of exercises and reviews): one owner's partition, or all of it.
        var rows = ownerId is null
            ? table.QueryAsync<TableEntity>(cancellationToken: cancellationToken)
            : table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(origin, ownerId)}"), cancellationToken: cancellationToken);
        var found = new List<StoredFinding>();
        await foreach (var row in rows)
        {
            if (!row.PartitionKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            found.Add(new StoredFinding(
                origin,
                TableKeys.Unescape(row.PartitionKey[prefix.Length..]),
                new Finding(
                    TableKeys.Unescape(row.RowKey),
                    row.GetString("Text") ?? string.Empty,
                    row.GetString("Owner") ?? string.Empty,
                    DateOnly.ParseExact(row.GetString("Due") ?? "0001-01-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    row.GetString("Closed") is { } closed ? DateOnly.ParseExact(closed, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null),
                row.ETag.ToString()));
        }

        return [.. found.OrderBy(f => f.Owner, StringComparer.Ordinal).ThenBy(f => f.Finding.Id, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<bool> UpdateAsync(StoredFinding finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ToRow(finding.Origin, finding.Owner, finding.Finding), finding.ETag is null ? ETag.All : new ETag(finding.ETag), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return false;
        }
    }

    private static string Prefix(FindingOrigin origin) => origin == FindingOrigin.Exercise ? "exercise~" : "review~";

    private static string Partition(FindingOrigin origin, string ownerId) => Prefix(origin) + TableKeys.Escape(ownerId);

    private static TableEntity ToRow(FindingOrigin origin, string ownerId, Finding finding)
    {
        var row = new TableEntity(Partition(origin, ownerId), TableKeys.Escape(finding.Id))
        {
            ["Text"] = finding.Text,
            ["Owner"] = finding.Owner,
            ["Due"] = finding.Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (finding.Closed is { } closed)
        {
            row["Closed"] = closed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        return row;
    }
}
