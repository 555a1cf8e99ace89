using Azure.Core;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure.Tests;

public sealed class StorageOptionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void Nothing_configured_means_the_local_emulator()
    {
        var options = StorageOptions.FromConfiguration(Configuration());

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.False(options.UsesIdentity);
    }

    [Fact]
    public void The_Storage_value_is_a_connection_string()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Storage", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=a2V5")));

        Assert.Equal("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=a2V5", options.ConnectionString);
    }

    [Fact]
    public void An_account_name_gives_the_public_cloud_service_uris_for_identity_access()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Storage:accountName", "sthubprod"), ("Storage:clientId", "1111-2222")));

        Assert.True(options.UsesIdentity);
        Assert.Null(options.ConnectionString);
        Assert.Equal(new Uri("https://sthubprod.table.core.windows.net"), options.EffectiveTableServiceUri);
        Assert.Equal(new Uri("https://sthubprod.blob.core.windows.net"), options.EffectiveBlobServiceUri);
        Assert.Equal(new Uri("https://sthubprod.queue.core.windows.net"), options.EffectiveQueueServiceUri);
        Assert.Equal("1111-2222", options.ClientId);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void Explicit_service_uris_win_over_the_account_name()
    {
        var options = StorageOptions.FromConfiguration(Configuration(
            ("Storage:accountName", "sthubprod"),
            ("Storage:tableServiceUri", "https://sthubprod.table.core.usgovcloudapi.net")));

        Assert.Equal(new Uri("https://sthubprod.table.core.usgovcloudapi.net"), options.EffectiveTableServiceUri);
        Assert.Equal(new Uri("https://sthubprod.blob.core.windows.net"), options.EffectiveBlobServiceUri);
    }

    [Fact]
    public void A_key_with_both_a_value_and_children_uses_the_connection_string_and_the_client_id()
    {
        var options = StorageOptions.FromConfiguration(Configuration(
            ("Storage", "UseDevelopmentStorage=true"),
            ("Storage:blobServiceUri", "https://other.blob.core.windows.net"),
            ("Storage:clientId", "abc")));

        Assert.False(options.UsesIdentity);
        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.Equal("abc", options.ClientId);
    }

    [Fact]
    public void Identity_access_without_a_queue_uri_or_account_name_names_the_missing_setting()
    {
        var options = StorageOptions.FromConfiguration(Configuration(
            ("Storage:tableServiceUri", "https://a.table.core.windows.net"),
            ("Storage:blobServiceUri", "https://a.blob.core.windows.net")));

        var problem = Assert.Single(Validate(options));

        Assert.Contains("Storage:queueServiceUri", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_uri_that_is_not_an_absolute_uri_is_reported()
    {
        var options = StorageOptions.FromConfiguration(Configuration(
            ("Storage:accountName", "sthubprod"),
            ("Storage:blobServiceUri", "sthubprod.blob")));

        Assert.Contains(Validate(options), p => p.Contains("Storage:blobServiceUri 'sthubprod.blob' is not an absolute URI", StringComparison.Ordinal));
    }

    [Fact]
    public void Identity_clients_use_the_service_uris_and_the_credential()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Storage:accountName", "sthubprod")));

        var clients = StorageClients.Create(options, new NoCredential());

        Assert.Equal("sthubprod", clients.Tables.AccountName);
        Assert.Equal(new Uri("https://sthubprod.blob.core.windows.net/"), clients.Blobs.Uri);
        Assert.Equal(new Uri("https://sthubprod.queue.core.windows.net/"), clients.Queues.Uri);
    }

    [Fact]
    public void Invalid_settings_fail_when_the_options_are_first_used()
    {
        using var provider = new ServiceCollection()
            .AddContinuityHubStorage(Configuration(("Storage:accountName", "Not_An_Account")))
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<StorageClients>());

        Assert.Contains("Storage:accountName", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddContinuityHubStorage_registers_working_stores_and_the_system_clock()
    {
        using var provider = new ServiceCollection()
            .AddContinuityHubStorage(Configuration(("Storage", azurite.ConnectionString)))
            .BuildServiceProvider();

        var catalog = provider.GetRequiredService<ICatalogStore>();
        var documents = provider.GetRequiredService<IDocumentStore>();

        Assert.IsType<TableCatalogStore>(catalog);
        Assert.IsType<BlobDocumentStore>(documents);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Same(provider.GetRequiredService<StorageClients>(), provider.GetRequiredService<StorageClients>());
        Assert.Null(await documents.GetSha256Async("no-such-plan", "1.0", "none.pdf", TestContext.Current.CancellationToken));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    private static List<string> Validate(StorageOptions options) =>
        [.. options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage ?? string.Empty)];

    private sealed class NoCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No token in tests.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No token in tests.");
    }
}
