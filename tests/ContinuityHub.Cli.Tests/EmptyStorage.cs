using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// Base of the tests that run `hub` against the production table and container names in Azurite: each test starts
/// from empty storage. They share the "storage" collection, so they never run at the same time.
/// </summary>
public abstract class EmptyStorage(AzuriteFixture azurite) : IAsyncLifetime
{
    protected string Storage { get; } = azurite.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var tables = new TableServiceClient(Storage);
        await foreach (var table in tables.QueryAsync(cancellationToken: ct))
        {
            await tables.DeleteTableAsync(table.Name, ct);
        }

        var blobs = new BlobServiceClient(Storage);
        await foreach (var container in blobs.GetBlobContainersAsync(cancellationToken: ct))
        {
            await blobs.DeleteBlobContainerAsync(container.Name, cancellationToken: ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
