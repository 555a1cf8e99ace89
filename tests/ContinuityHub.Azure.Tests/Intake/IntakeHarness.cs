using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>
/// The intake on real adapters against Azurite, each harness with tables and a container of its own: the
/// <see cref="IntakeService"/> and <see cref="IntakeRedriveService"/> as the hosts build them, a fake clock, and a
/// way to look at the rows and blobs they wrote.
/// </summary>
internal sealed class IntakeHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    public IntakeHarness(AzuriteFixture azurite, TableClientOptions? tableOptions = null, ContinuityCatalog? catalog = null, BlobClientOptions? blobOptions = null)
    {
        var tables = tableOptions is null
            ? new TableServiceClient(azurite.ConnectionString)
            : new TableServiceClient(azurite.ConnectionString, tableOptions);
        Clients = new StorageClients(
            tables,
            blobOptions is null ? new BlobServiceClient(azurite.ConnectionString) : new BlobServiceClient(azurite.ConnectionString, blobOptions),
            new QueueServiceClient(azurite.ConnectionString));
        var prefix = AzuriteFixture.UniqueTableName();
        Store = new TableIncidentStore(Clients, prefix);
        Archive = new BlobPayloadArchive(Clients, AzuriteFixture.UniqueContainerName("archive"));
        Audit = new TableAuditLog(Clients, prefix);
        Time = new FakeTimeProvider(Start);
        Intake = new IntakeService(
            Archive, Store, new FixedCatalogProvider(catalog ?? SampleCatalog()), Audit, Time, NullLogger<IntakeService>.Instance);
        Redrive = new IntakeRedriveService(Archive, Intake, Time, NullLogger<IntakeRedriveService>.Instance);
    }

    public StorageClients Clients { get; }

    public TableIncidentStore Store { get; }

    public BlobPayloadArchive Archive { get; }

    public TableAuditLog Audit { get; }

    public FakeTimeProvider Time { get; }

    public IntakeService Intake { get; }

    public IntakeRedriveService Redrive { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A catalogue that knows a service named by each open sample in infra/samples, so each assesses above None.</summary>
    public static ContinuityCatalog SampleCatalog() =>
        new CatalogBuilder()
            .WithService("core-ledger", s => s with
            {
                Aliases = new Dictionary<AliasSource, IReadOnlyList<string>>
                {
                    [AliasSource.ServiceNow] = ["Core Ledger"],
                    [AliasSource.Jira] = ["Ledger"],
                    [AliasSource.Generic] = ["core-ledger"],
                },
            })
            .WithService("sql-cluster", s => s with
            {
                Aliases = new Dictionary<AliasSource, IReadOnlyList<string>>
                {
                    [AliasSource.PagerDuty] = ["PSQL9X1"],
                    [AliasSource.AzureMonitor] = ["sqlmi-contoso-prod"],
                    [AliasSource.Alertmanager] = ["mssql"],
                },
            })
            .WithService("payments", s => s with
            {
                Aliases = new Dictionary<AliasSource, IReadOnlyList<string>>
                {
                    [AliasSource.Opsgenie] = ["payments"],
                    [AliasSource.Generic] = ["payments"],
                },
            })
            .Build();

    public Task<IntakeResult> ReceiveAsync(AliasSource source, string json) =>
        Intake.ReceiveAsync(new IntakeRequest(source, System.Text.Encoding.UTF8.GetBytes(json), IntakeChannel.Http), Token);

    /// <summary>Every row of the incident table, as stored.</summary>
    public async Task<List<TableEntity>> IncidentTableAsync(string? filter = null)
    {
        var table = await Clients.GetTableAsync(Store.TableName, Token);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: Token))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The rows of one incident's partition, as stored.</summary>
    public Task<List<TableEntity>> PartitionAsync(string incidentKey) =>
        IncidentTableAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableIncidentStore.PartitionKey(incidentKey)}"));

    public async Task<List<TableEntity>> AuditRowsAsync()
    {
        var table = await Clients.GetTableAsync(Audit.TableName, Token);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Token))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The metadata of an archived payload, by its path (<c>container/name</c>).</summary>
    public async Task<IDictionary<string, string>> MetadataAsync(string path)
    {
        var container = await Clients.GetContainerAsync(Archive.ContainerName, Token);
        var properties = await container.GetBlobClient(path[(Archive.ContainerName.Length + 1)..]).GetPropertiesAsync(cancellationToken: Token);
        return new Dictionary<string, string>(properties.Value.Metadata, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The paths of every archived payload.</summary>
    public async Task<List<string>> ArchivedPathsAsync()
    {
        var container = await Clients.GetContainerAsync(Archive.ContainerName, Token);
        var paths = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: Token))
        {
            paths.Add($"{Archive.ContainerName}/{blob.Name}");
        }

        return paths;
    }
}
