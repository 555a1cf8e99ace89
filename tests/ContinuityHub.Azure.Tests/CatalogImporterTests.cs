using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests;

/// <summary>What an import of a catalogue into the real tables reports as added, updated and unchanged, heartbeats, the RPO warning and maintenance windows among them.</summary>
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

    [Fact]
    public async Task Maintenance_windows_added_changed_removed_and_kept_are_each_counted()
    {
        // Arrange
        var weekly = new WeeklyWindow([DayOfWeek.Sunday], new TimeOnly(2, 0), new TimeOnly(4, 0), "Europe/Stockholm");
        var first = Catalogue()
            .WithMaintenance("mw-intranet-weekly", m => m with { Services = ["intranet"], Start = null, End = null, Weekly = weekly })
            .WithMaintenance("mw-sql-patching", m => m with { Services = ["sql-cluster"] })
            .WithMaintenance("mw-ledger-patching", m => m with { Services = ["ledger-db"] })
            .Build();
        var second = Catalogue()
            .WithMaintenance("mw-intranet-weekly", m => m with { Services = ["intranet"], Start = null, End = null, Weekly = weekly })
            .WithMaintenance("mw-sql-patching", m => m with { Services = ["sql-cluster"], End = m.End!.Value.AddHours(1) })
            .WithMaintenance("mw-intranet-patching", m => m with { Services = ["intranet"] })
            .Build();
        var added = await _importer.ImportAsync(first, _documents, null, Token);

        // Act
        var result = await _importer.ImportAsync(second, _documents, null, Token);
        var again = await _importer.ImportAsync(second, _documents, null, Token);

        // Assert
        Assert.Equal(new ChangeCount("Maintenance", 3, 0, 0, 0), added.Tables.Tables[5]);
        Assert.Equal(new ChangeCount("Maintenance", 1, 1, 1, 1), result.Tables.Tables[5]);
        Assert.Equal("Maintenance: 1 added, 1 updated, 1 deleted, 1 unchanged", result.Tables.Tables[5].ToString());
        Assert.All(result.Tables.Tables.Take(5), t => Assert.False(t.Changed));
        Assert.False(again.Changed);
        Assert.Equal(new ChangeCount("Maintenance", 0, 0, 0, 3), again.Tables.Tables[5]);
    }

    [Fact]
    public async Task A_window_on_an_unknown_service_is_refused_before_anything_is_written()
    {
        var catalog = Catalogue().WithMaintenance("mw-1", m => m with { Services = ["payroll"] }).Build();

        var problem = await Assert.ThrowsAsync<HubValidationException>(() => _importer.ImportAsync(catalog, _documents, null, Token));

        Assert.Equal("maintenance[0].services[0]: unknown service 'payroll'", Assert.Single(problem.Problems).ToString());
    }
}
