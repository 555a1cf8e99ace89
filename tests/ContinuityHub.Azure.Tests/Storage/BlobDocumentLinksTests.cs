using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Notifications;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace ContinuityHub.Azure.Tests.Storage;

/// <summary>
/// Read links to plan documents: against Azurite with the account key (what a connection string gives), downloaded
/// with a plain HttpClient; and the user-delegation path with a substituted <see cref="BlobServiceClient"/>, since
/// Azurite takes no bearer tokens over http.
/// </summary>
public sealed class BlobDocumentLinksTests : IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly StorageClients _clients;
    private readonly BlobDocumentStore _store;
    private readonly BlobDocumentLinks _links;
    private readonly HttpClient _http = new();

    // Each test uses a plan id of its own in the real plan-documents container.
    private readonly string _planId = AzuriteFixture.UniqueContainerName("plan");

    public BlobDocumentLinksTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        _store = new BlobDocumentStore(_clients);
        _links = new BlobDocumentLinks(_clients, TimeProvider.System);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DateTimeOffset InOneHour => TimeProvider.System.GetUtcNow().AddHours(1);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_link_downloads_the_document_with_a_plain_HttpClient()
    {
        var content = await UploadAsync("runbook.md", "# Payments DR runbook\nStep 1: fail over.");

        var link = await _links.ReadLinkAsync(_planId, "1.0", "runbook.md", InOneHour, Token);
        using var response = await _http.GetAsync(link, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task The_link_grants_read_only_on_that_one_blob()
    {
        var link = await _links.ReadLinkAsync(_planId, "1.0", "plan.pdf", InOneHour, Token);

        var query = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal("r", query["sp"].ToString());
        Assert.Equal("b", query["sr"].ToString());
        Assert.EndsWith($"/plan-documents/{_planId}/1.0/plan.pdf", link.AbsolutePath, StringComparison.Ordinal);
        Assert.True(query.ContainsKey("st"), "the link starts a little in the past for clock skew");
        Assert.Equal("https,http", query["spr"].ToString()); // Azurite is http; an https account gets https only.
    }

    [Fact]
    public async Task The_link_cannot_overwrite_or_delete_the_document()
    {
        var content = await UploadAsync("plan.pdf", "approved plan");
        var link = await _links.ReadLinkAsync(_planId, "1.0", "plan.pdf", InOneHour, Token);

        using var put = new HttpRequestMessage(HttpMethod.Put, link) { Content = new ByteArrayContent("forged"u8.ToArray()) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var written = await _http.SendAsync(put, Token);
        using var deleted = await _http.DeleteAsync(link, Token);

        Assert.Equal(HttpStatusCode.Forbidden, written.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);
        using var response = await _http.GetAsync(link, Token);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        await UploadAsync("runbook.md", "# runbook");

        var link = await _links.ReadLinkAsync(_planId, "1.0", "runbook.md", TimeProvider.System.GetUtcNow().AddMinutes(-1), Token);
        using var response = await _http.GetAsync(link, Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_link_issued_by_a_clock_an_hour_ago_for_ten_minutes_has_run_out()
    {
        await UploadAsync("runbook.md", "# runbook");
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddHours(-1));
        var links = new BlobDocumentLinks(_clients, clock);

        var link = await links.ReadLinkAsync(_planId, "1.0", "runbook.md", clock.GetUtcNow().AddMinutes(10), Token);
        using var response = await _http.GetAsync(link, Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_link_does_not_open_another_document()
    {
        await UploadAsync("runbook.md", "# runbook");
        await UploadAsync("contacts.md", "# crisis team phone numbers");
        var link = await _links.ReadLinkAsync(_planId, "1.0", "runbook.md", InOneHour, Token);

        var other = new UriBuilder(link) { Path = link.AbsolutePath.Replace("runbook.md", "contacts.md", StringComparison.Ordinal) }.Uri;
        using var response = await _http.GetAsync(other, Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_link_longer_than_a_delegation_key_can_sign_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => _links.ReadLinkAsync(_planId, "1.0", "runbook.md", TimeProvider.System.GetUtcNow().AddDays(8), Token));
    }

    [Fact]
    public async Task A_file_name_with_a_path_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => _links.ReadLinkAsync(_planId, "1.0", "../other-plan/secret.pdf", InOneHour, Token));
    }

    [Fact]
    public async Task With_a_token_credential_the_link_is_an_https_user_delegation_SAS_signed_with_one_cached_key()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var (blobs, requests) = IdentityBlobService();
        var links = new BlobDocumentLinks(new StorageClients(_clients.Tables, blobs, _clients.Queues), clock);

        var first = await links.ReadLinkAsync("dr-payments", "2.1", "runbook.pdf", clock.GetUtcNow().AddHours(1), Token);
        clock.Advance(TimeSpan.FromHours(3));
        var second = await links.ReadLinkAsync("dr-payments", "2.1", "contacts.pdf", clock.GetUtcNow().AddHours(24), Token);

        var request = Assert.Single(requests);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 55, 0, TimeSpan.Zero), request.StartsOn);
        Assert.True(request.ExpiresOn <= new DateTimeOffset(2025, 3, 8, 9, 0, 0, TimeSpan.Zero), "a delegation key lasts at most seven days");
        Assert.Equal("https://sthubprod.blob.core.windows.net/plan-documents/dr-payments/2.1/runbook.pdf", first.GetLeftPart(UriPartial.Path));
        foreach (var link in new[] { first, second })
        {
            var query = QueryHelpers.ParseQuery(link.Query);
            Assert.Equal("r", query["sp"].ToString());
            Assert.Equal("b", query["sr"].ToString());
            Assert.Equal("https", query["spr"].ToString());
            Assert.Equal("00000000-0000-0000-0000-0000000000aa", query["skoid"].ToString());
            Assert.True(query.ContainsKey("sig"));
        }
    }

    [Fact]
    public async Task The_delegation_key_is_fetched_again_once_it_would_expire_before_the_link()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var (blobs, requests) = IdentityBlobService();
        var links = new BlobDocumentLinks(new StorageClients(_clients.Tables, blobs, _clients.Queues), clock);

        await links.ReadLinkAsync("dr-payments", "2.1", "runbook.pdf", clock.GetUtcNow().AddHours(1), Token);
        clock.Advance(TimeSpan.FromDays(6.5));
        await links.ReadLinkAsync("dr-payments", "2.1", "runbook.pdf", clock.GetUtcNow().AddDays(1), Token);

        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task AddDocumentLinks_registers_blob_document_links_on_the_hub_storage()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>("Storage", _azurite.ConnectionString)])
            .Build();
        await using var services = new ServiceCollection().AddContinuityHub(configuration).AddDocumentLinks().BuildServiceProvider();

        var links = services.GetRequiredService<IDocumentLinks>();

        Assert.IsType<BlobDocumentLinks>(links);
        Assert.Same(links, services.GetRequiredService<IDocumentLinks>());
    }

    private async Task<byte[]> UploadAsync(string fileName, string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        using var stream = new MemoryStream(content);
        await _store.UploadAsync(_planId, "1.0", fileName, stream, Convert.ToHexStringLower(SHA256.HashData(content)), Token);
        return content;
    }

    /// <summary>
    /// A Blob service reached by identity (https, no shared key): containers are real clients without a credential, so
    /// the SAS is really signed; the user delegation key comes from <see cref="BlobsModelFactory"/>.
    /// </summary>
    private static (BlobServiceClient Blobs, List<BlobGetUserDelegationKeyOptions> Requests) IdentityBlobService()
    {
        var requests = new List<BlobGetUserDelegationKeyOptions>();
        var blobs = Substitute.For<BlobServiceClient>();
        blobs.AccountName.Returns("sthubprod");
        blobs.GetBlobContainerClient(Arg.Any<string>())
            .Returns(call => new BlobContainerClient(new Uri("https://sthubprod.blob.core.windows.net/" + call.ArgAt<string>(0))));
        blobs.GetUserDelegationKeyAsync(Arg.Any<BlobGetUserDelegationKeyOptions>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                var options = call.ArgAt<BlobGetUserDelegationKeyOptions>(0);
                requests.Add(options);
                var key = BlobsModelFactory.UserDelegationKey(
                    "00000000-0000-0000-0000-0000000000aa",
                    "00000000-0000-0000-0000-0000000000bb",
                    options.StartsOn ?? default,
                    options.ExpiresOn,
                    "b",
                    "2025-01-05",
                    Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                return Task.FromResult(Response.FromValue(key, Substitute.For<Response>()));
            });
        return (blobs, requests);
    }
}
