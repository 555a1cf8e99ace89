using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests;

/// <summary>What an import of a catalogue into the real tables reports as added, updated and unchanged, heartbeats and the RPO warning among them.</summary>
public sealed class CatalogImporterTests
{
    private readonly CatalogImporter _importer;

    // The catalogues here have no plans, so no document is ever looked for.
    private readonly DirectoryDocumentSource _documents = new(AppContext.BaseDirectory);

    public CatalogImporterTests(AzuriteFixture azurite)
    {
        var clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        _importer = new CatalogImporter(new TableCatalogStore(clients, AzuriteFixture.UniqueTableName()), new BlobDocumentStore(clients));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static CatalogBuilder Catalogue(params HeartbeatDeclaration[] heartbeats) =>
        new CatalogBuilder()
            .WithService("sql-cluster", s => s with { Rpo = TimeSpan.FromMinutes(5) })
            .WithService("ledger-db", s => s with { Rpo = TimeSpan.FromMinutes(5), Heartbeats = heartbeats })
            .WithService("intranet");

    [Fact]
    public async Task A_service_whose_heartbeat_interval_changed_is_imported_as_updated_and_the_others_as_unchanged()
    {
        // Arrange
        await _importer.ImportAsync(Catalogue(new HeartbeatDeclaration("log-backup", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30))).Build(), _documents, null, Token);
        var changed = Catalogue(new HeartbeatDeclaration("log-backup", TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30))).Build();

        // Act
        var result = await _importer.ImportAsync(changed, _documents, null, Token);

        // Assert
        Assert.True(result.Changed);
        Assert.Equal(new ChangeCount("Services", 0, 1, 0, 2), result.Tables.Tables[0]);
        Assert.All(result.Tables.Tables.Skip(1), t => Assert.False(t.Changed));
    }

    [Fact]
    public async Task A_service_given_its_first_heartbeat_or_losing_its_last_is_imported_as_updated()
    {
        // Arrange
        var heartbeat = new HeartbeatDeclaration("log-backup", TimeSpan.FromMinutes(1), TimeSpan.Zero);
        await _importer.ImportAsync(Catalogue().Build(), _documents, null, Token);

        // Act
        var added = await _importer.ImportAsync(Catalogue(heartbeat).Build(), _documents, null, Token);
        var removed = await _importer.ImportAsync(Catalogue().Build(), _documents, null, Token);

        // Assert
        Assert.Equal(new ChangeCount("Services", 0, 1, 0, 2), added.Tables.Tables[0]);
        Assert.Equal(new ChangeCount("Services", 0, 1, 0, 2), removed.Tables.Tables[0]);
    }

    [Fact]
    public async Task Importing_the_same_heartbeats_again_changes_nothing()
    {
        // Arrange
        HeartbeatDeclaration[] heartbeats =
        [
            new("log-backup", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)),
            new("dc2-log-shipping", TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1)),
        ];
        await _importer.ImportAsync(Catalogue(heartbeats).Build(), _documents, null, Token);

        // Act
        var again = await _importer.ImportAsync(Catalogue(heartbeats).Build(), _documents, null, Token);

        // Assert
        Assert.False(again.Changed);
        Assert.Equal(new ChangeCount("Services", 0, 0, 0, 3), again.Tables.Tables[0]);
    }

    [Fact]
    public async Task A_changed_rpo_warn_fraction_is_imported_as_an_updated_policy()
    {
        // Arrange
        await _importer.ImportAsync(Catalogue().Build(), _documents, null, Token);
        var warned = Catalogue().WithPolicy(Policy.Default with { RpoWarnFraction = 0.6 }).Build();

        // Act
        var result = await _importer.ImportAsync(warned, _documents, null, Token);

        // Assert
        Assert.Equal(new ChangeCount("Policy", 0, 1, 0, 0), result.Tables.Tables[4]);
        Assert.Equal(0.6, result.Stored.Policy.RpoWarnFraction);
        Assert.All(result.Tables.Tables.Take(4), t => Assert.False(t.Changed));
    }
}
