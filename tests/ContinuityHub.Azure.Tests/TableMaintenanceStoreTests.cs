using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests;

/// <summary>Windows added over the API sit beside the catalogue's in the Maintenance table (partition <c>api</c>), load with them, and outlive an import.</summary>
public sealed class TableMaintenanceStoreTests
{
    private readonly TableCatalogStore _catalogue;
    private readonly TableMaintenanceStore _store;

    public TableMaintenanceStoreTests(AzuriteFixture azurite)
    {
        var clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        var prefix = AzuriteFixture.UniqueTableName();
        _catalogue = new TableCatalogStore(clients, prefix);
        _store = new TableMaintenanceStore(clients, prefix);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static MaintenanceWindow ApiWindow(string id) =>
        CatalogBuilder.Maintenance(id) with { Services = ["identity"], Reason = "Certificate rotation", ApprovedBy = "change-board" };

    [Fact]
    public async Task An_api_window_loads_after_the_catalogues_and_survives_an_import_that_changes_the_catalogues()
    {
        await _catalogue.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        Assert.True(await _store.AddAsync(ApiWindow("mw-api-cert"), Token));

        var changes = await _catalogue.ReplaceAsync(CatalogBuilder.Sample().WithoutMaintenance("mw-payments-db-patching").Build(), progress: null, Token);
        var loaded = await _catalogue.LoadAsync(Token);
        var listed = await _store.ListAsync(Token);

        Assert.Equal(new ChangeCount("Maintenance", 0, 0, 1, 1), changes.Tables[5]);
        Assert.Equal(["mw-identity-weekly", "mw-api-cert"], loaded.Maintenance.Select(m => m.Id));
        Assert.Equal(["identity"], loaded.Maintenance[1].Services);
        Assert.Equal((ApiWindow("mw-api-cert").Start, ApiWindow("mw-api-cert").End, "Certificate rotation"), (loaded.Maintenance[1].Start, loaded.Maintenance[1].End, loaded.Maintenance[1].Reason));
        Assert.Equal(
            [("mw-identity-weekly", MaintenanceOrigin.Catalogue), ("mw-api-cert", MaintenanceOrigin.Api)],
            listed.Select(s => (s.Window.Id, s.Origin)));
    }

    [Fact]
    public async Task Adding_an_id_the_api_holds_already_writes_nothing()
    {
        Assert.True(await _store.AddAsync(ApiWindow("mw-api-cert"), Token));

        Assert.False(await _store.AddAsync(ApiWindow("mw-api-cert") with { Reason = "Another" }, Token));
        Assert.Equal("Certificate rotation", Assert.Single(await _store.ListAsync(Token)).Window.Reason);
    }

    [Fact]
    public async Task Cancel_deletes_an_api_window_leaves_a_catalogue_one_and_knows_no_other()
    {
        await _catalogue.ReplaceAsync(CatalogBuilder.Sample().Build(), progress: null, Token);
        await _store.AddAsync(ApiWindow("mw-api-cert"), Token);

        Assert.Equal(MaintenanceCancelOutcome.Cancelled, await _store.CancelAsync("mw-api-cert", Token));
        Assert.Equal(MaintenanceCancelOutcome.InCatalogue, await _store.CancelAsync("mw-identity-weekly", Token));
        Assert.Equal(MaintenanceCancelOutcome.NotFound, await _store.CancelAsync("mw-api-cert", Token));
        Assert.Equal(["mw-payments-db-patching", "mw-identity-weekly"], (await _catalogue.LoadAsync(Token)).Maintenance.Select(m => m.Id));
    }
}
