using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// The hub's Table, Blob and Queue service clients for one storage account, and the tables, containers and queues
/// in it, each created if missing the first time this process asks for it.
/// </summary>
public sealed class StorageClients
{
    private readonly ConcurrentDictionary<string, bool> _ensured = new(StringComparer.Ordinal);

    public StorageClients(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(queues);
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>Clients for the account a connection string names (Azurite, or an account with shared keys).</summary>
    public static StorageClients FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageClients(
            new TableServiceClient(connectionString),
            new BlobServiceClient(connectionString),
            new QueueServiceClient(connectionString));
    }

    /// <summary>
    /// Clients as <paramref name="options"/> say: from its connection string, or from its service URIs and
    /// <paramref name="credential"/> (the hub's one token credential).
    /// </summary>
    public static StorageClients Create(StorageOptions options, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        if (options.ConnectionString is { } connectionString)
        {
            return FromConnectionString(connectionString);
        }

        return new StorageClients(
            new TableServiceClient(Required(options.EffectiveTableServiceUri, "tableServiceUri"), credential),
            new BlobServiceClient(Required(options.EffectiveBlobServiceUri, "blobServiceUri"), credential),
            new QueueServiceClient(Required(options.EffectiveQueueServiceUri, "queueServiceUri"), credential));
    }

    /// <summary>The named table, created first if this process has not yet made sure it exists.</summary>
    public async ValueTask<TableClient> GetTableAsync(string tableName, CancellationToken cancellationToken)
    {
        var table = Tables.GetTableClient(tableName);
        if (!_ensured.ContainsKey("table:" + tableName))
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
            _ensured.TryAdd("table:" + tableName, true);
        }

        return table;
    }

    /// <summary>The named blob container, created first if this process has not yet made sure it exists.</summary>
    public async ValueTask<BlobContainerClient> GetContainerAsync(string containerName, CancellationToken cancellationToken)
    {
        var container = Blobs.GetBlobContainerClient(containerName);
        if (!_ensured.ContainsKey("container:" + containerName))
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _ensured.TryAdd("container:" + containerName, true);
        }

        return container;
    }

    /// <summary>The named queue, created first if this process has not yet made sure it exists.</summary>
    public async ValueTask<QueueClient> GetQueueAsync(string queueName, CancellationToken cancellationToken)
    {
        var queue = Queues.GetQueueClient(queueName);
        if (!_ensured.ContainsKey("queue:" + queueName))
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _ensured.TryAdd("queue:" + queueName, true);
        }

        return queue;
    }

    private static Uri Required(Uri? uri, string setting) =>
        uri ?? throw new HubValidationException(
            $"{StorageOptions.SectionName}:{setting}",
            $"is required when {StorageOptions.SectionName} is configured by identity (or set {StorageOptions.SectionName}:accountName).");
}
