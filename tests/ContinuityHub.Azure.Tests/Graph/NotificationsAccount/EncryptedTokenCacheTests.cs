using System.Text;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Testing;
using Microsoft.Identity.Client;
using static ContinuityHub.Azure.Tests.Graph.NotificationsAccount.TokenCacheSamples;

namespace ContinuityHub.Azure.Tests.Graph.NotificationsAccount;

public sealed class EncryptedTokenCacheTests(AzuriteFixture azurite)
{
    private readonly StorageClients _clients = Clients(azurite);
    private readonly string _container = AzuriteFixture.UniqueContainerName("tokens");
    private readonly string _key = NewKey();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task What_is_written_reads_back_as_the_same_bytes_for_the_same_account()
    {
        var cache = Cache();
        var content = MsalCache();

        var etag = await cache.WriteAsync(content, Account, ifMatch: null, Token);
        var stored = await cache.ReadAsync(Token);

        Assert.NotNull(stored);
        Assert.Equal(content, stored.Content.ToArray());
        Assert.Equal(Account, stored.Account);
        Assert.Equal(etag, stored.ETag);
        Assert.NotNull(stored.StoredAt);
        Assert.Equal($"{_container}/notifications-account.bin", cache.Path);
    }

    [Fact]
    public async Task The_blob_holds_version_nonce_tag_and_ciphertext_never_the_plaintext()
    {
        var content = MsalCache();
        await Cache().WriteAsync(content, Account, ifMatch: null, Token);

        var blob = await BlobAsync();
        var bytes = (await blob.DownloadContentAsync(Token)).Value.Content.ToArray();

        Assert.Equal(EncryptedTokenCache.FormatVersion, bytes[0]);
        Assert.Equal(1 + 12 + 16 + content.Length, bytes.Length);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain(RefreshTokenSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("home_account_id", text, StringComparison.Ordinal);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: Token)).Value;
        Assert.Equal(Uri.EscapeDataString(Upn), properties.Metadata[EncryptedTokenCache.AccountMetadata]);
    }

    [Fact]
    public async Task Nothing_stored_reads_as_null()
    {
        Assert.Null(await Cache().ReadAsync(Token));
    }

    [Fact]
    public async Task Another_key_cannot_read_the_cache_and_is_told_to_run_hub_graph_login()
    {
        await Cache().WriteAsync(MsalCache(), Account, ifMatch: null, Token);

        var e = await Assert.ThrowsAsync<TokenCacheUnreadableException>(() => Cache(NewKey()).ReadAsync(Token));

        Assert.Contains("Graph:TokenCacheKey changed", e.Message, StringComparison.Ordinal);
        Assert.Contains("`hub graph login`", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(40)]
    public async Task A_changed_byte_anywhere_makes_the_cache_unreadable(int position)
    {
        var cache = Cache();
        await cache.WriteAsync(MsalCache(), Account, ifMatch: null, Token);
        var blob = await BlobAsync();
        var download = (await blob.DownloadContentAsync(Token)).Value;
        var bytes = download.Content.ToArray();
        bytes[position] ^= 0x01;
        await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions { Metadata = download.Details.Metadata }, Token);

        await Assert.ThrowsAsync<TokenCacheUnreadableException>(() => cache.ReadAsync(Token));
    }

    [Fact]
    public async Task The_account_in_the_metadata_is_bound_to_the_ciphertext()
    {
        var cache = Cache();
        await cache.WriteAsync(MsalCache(), Account, ifMatch: null, Token);
        var blob = await BlobAsync();
        var metadata = (await blob.GetPropertiesAsync(cancellationToken: Token)).Value.Metadata;
        metadata[EncryptedTokenCache.AccountMetadata] = Uri.EscapeDataString("someone-else@contoso.example");
        await blob.SetMetadataAsync(metadata, cancellationToken: Token);

        await Assert.ThrowsAsync<TokenCacheUnreadableException>(() => cache.ReadAsync(Token));
    }

    [Fact]
    public async Task A_write_on_a_stale_ETag_is_a_conflict_and_the_first_writer_keeps_its_cache()
    {
        var first = Cache();
        var second = Cache();
        await first.WriteAsync(MsalCache(), Account, ifMatch: null, Token);
        var read = (await first.ReadAsync(Token))!.ETag;
        var winner = Encoding.UTF8.GetBytes("""{"winner": true}""");

        await first.WriteAsync(winner, Account, read, Token);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.WriteAsync(MsalCache(), Account, read, Token));

        Assert.Equal(winner, (await first.ReadAsync(Token))!.Content.ToArray());
    }

    [Fact]
    public async Task A_first_write_is_a_conflict_when_another_writer_created_the_blob_meanwhile()
    {
        await Cache().WriteAsync(MsalCache(), Account, ifMatch: null, Token);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Cache().WriteAsync(MsalCache(), Account, ifMatch: null, Token));
    }

    [Fact]
    public async Task Replace_stores_over_what_is_there()
    {
        var cache = Cache();
        await cache.WriteAsync(MsalCache(), Account, ifMatch: null, Token);
        var replacement = MsalCache(withRefreshToken: false);

        await cache.ReplaceAsync(replacement, Account, Token);

        Assert.Equal(replacement, (await cache.ReadAsync(Token))!.Content.ToArray());
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("", "is not set")]
    [InlineData("not base64 at all!", "is not base64")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "is 16 bytes long, not 32")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/token-cache-key/)", "unresolved Key Vault reference")]
    public async Task A_missing_or_malformed_key_is_a_problem_naming_Graph_TokenCacheKey(string? key, string expected)
    {
        var cache = Cache(key);

        var e = await Assert.ThrowsAsync<HubValidationException>(() => cache.ReadAsync(Token));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Graph:TokenCacheKey", problem.Path);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bound_MSAL_cache_reads_the_stored_account_and_writes_its_changes_back()
    {
        var cache = Cache();
        await cache.WriteAsync(MsalCache(), Account, ifMatch: null, Token);
        var app = App();
        cache.Bind(app.UserTokenCache);

        var account = Assert.Single(await app.GetAccountsAsync());
        Assert.Equal(Upn, account.Username);
        Assert.Equal(HomeAccountId, account.HomeAccountId.Identifier);

        await app.RemoveAsync(account);

        Assert.DoesNotContain(RefreshTokenSecret, Encoding.UTF8.GetString((await cache.ReadAsync(Token))!.Content.Span), StringComparison.Ordinal);
        Assert.Empty(await app.GetAccountsAsync());
    }

    [Fact]
    public async Task A_bound_MSAL_cache_whose_blob_another_writer_changed_meanwhile_reads_it_again_and_writes_once_more()
    {
        var interloper = new InterloperPolicy();
        var options = new BlobClientOptions();
        options.AddPolicy(interloper, HttpPipelinePosition.PerCall);
        var clients = new StorageClients(_clients.Tables, new BlobServiceClient(azurite.ConnectionString, options), _clients.Queues);
        var cache = new EncryptedTokenCache(clients, _key, containerName: _container);
        await cache.WriteAsync(MsalCache(), Account, ifMatch: null, Token);
        var app = App();
        cache.Bind(app.UserTokenCache);
        var account = Assert.Single(await app.GetAccountsAsync());
        interloper.BeforeNextConditionalUpload(() => Cache().ReplaceAsync(MsalCache(DateTimeOffset.UtcNow.AddHours(1)), Account, Token));

        await app.RemoveAsync(account);

        Assert.Equal(2, interloper.Uploads);
        var stored = (await cache.ReadAsync(Token))!;
        Assert.DoesNotContain(RefreshTokenSecret, Encoding.UTF8.GetString(stored.Content.Span), StringComparison.Ordinal);
    }

    private EncryptedTokenCache Cache() => Cache(_key);

    private EncryptedTokenCache Cache(string? key) => new(_clients, key, containerName: _container);

    private async Task<BlobClient> BlobAsync() =>
        (await _clients.GetContainerAsync(_container, Token)).GetBlobClient(EncryptedTokenCache.BlobName);

    private static IPublicClientApplication App() =>
        PublicClientApplicationBuilder.Create(ClientId).WithTenantId(TenantId).Build();
}
