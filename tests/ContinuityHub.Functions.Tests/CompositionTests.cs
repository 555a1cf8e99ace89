using Azure.Core;
using Azure.Identity;
using ContinuityHub.Azure;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Functions.Tests;

/// <summary>The Functions app and `hub` compose the same services from the same setting names.</summary>
public class CompositionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Storage_setting_wires_the_catalogue_import_to_table_and_blob_storage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build();
        await using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();
        var importer = services.GetRequiredService<CatalogImporter>();
        var catalog = new ContinuityCatalog(Policy.Default, [new BusinessService("wired", "Wired", 2, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.FromHours(4), string.Empty, [], new Dictionary<AliasSource, IReadOnlyList<string>>(), null)], [], []);

        await importer.ImportAsync(catalog, new DirectoryDocumentSource("."), null, TestContext.Current.CancellationToken);
        var stored = await services.GetRequiredService<ICatalogStore>().LoadAsync(TestContext.Current.CancellationToken);

        Assert.Contains(stored.Services, s => s.Id == "wired");
    }

    [Fact]
    public void Identity_based_storage_settings_need_no_connection_string()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Storage:accountName", "sthubprod"),
            new("Storage:clientId", "00000000-0000-0000-0000-000000000001"),
        ]).Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        var clients = services.GetRequiredService<ContinuityHub.Azure.Storage.StorageClients>();

        Assert.Equal(new Uri("https://sthubprod.table.core.windows.net/"), clients.Tables.Uri);
        Assert.Equal(new Uri("https://sthubprod.blob.core.windows.net/"), clients.Blobs.Uri);
    }

    [Fact]
    public void A_configured_client_id_gives_that_managed_identity_and_nothing_else()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Storage:accountName", "sthubprod"),
            new("Storage:clientId", "00000000-0000-0000-0000-000000000001"),
        ]).Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        Assert.IsType<ManagedIdentityCredential>(services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void Without_a_client_id_the_credential_is_the_developers_own_sign_in()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage:accountName", "sthubdev")]).Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        Assert.IsType<DefaultAzureCredential>(services.GetRequiredService<TokenCredential>());
    }
}
