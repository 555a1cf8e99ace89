using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure.Reporting;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Reporting;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Azure.Tests.Reporting;

public sealed class BlobReportStoreTests(AzuriteFixture azurite)
{
    private static readonly DateOnly _reportDate = new(2026, 11, 30);

    private readonly StorageClients _clients = StorageClients.FromConnectionString(azurite.ConnectionString);
    private readonly string _container = AzuriteFixture.UniqueContainerName("reports");

    private BlobReportStore Store => new(_clients, _container);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Write_stores_the_file_under_the_report_date_with_its_content_type_and_sha256()
    {
        var content = Encoding.UTF8.GetBytes("""{"reportDate": "2026-11-30"}""");

        var write = await Store.WriteAsync(_reportDate, "continuity-report.json", "application/json; charset=utf-8", content, Token);

        Assert.Equal(new ReportWrite($"{_container}/2026-11-30/continuity-report.json", true, Sha256(content)), write);
        var blob = await BlobAsync("2026-11-30/continuity-report.json");
        Assert.Equal("application/json; charset=utf-8", blob.Properties.ContentType);
        Assert.Equal(Sha256(content), blob.Metadata["sha256"]);
        Assert.Equal(content, await DownloadAsync("2026-11-30/continuity-report.json"));
    }

    [Fact]
    public async Task Writing_the_same_content_again_uploads_nothing()
    {
        var content = Encoding.UTF8.GetBytes("<!doctype html><title>Report</title>");
        await Store.WriteAsync(_reportDate, "continuity-report.html", "text/html; charset=utf-8", content, Token);
        var before = await BlobAsync("2026-11-30/continuity-report.html");

        var write = await Store.WriteAsync(_reportDate, "continuity-report.html", "text/html; charset=utf-8", content.ToArray(), Token);

        Assert.False(write.Written);
        Assert.Equal($"{_container}/2026-11-30/continuity-report.html", write.Path);
        var after = await BlobAsync("2026-11-30/continuity-report.html");
        Assert.Equal(before.Properties.ETag, after.Properties.ETag);
        Assert.Equal(before.Properties.LastModified, after.Properties.LastModified);
    }

    [Fact]
    public async Task Writing_different_content_replaces_the_stored_file()
    {
        await Store.WriteAsync(_reportDate, "continuity-report.csv", "text/csv; charset=utf-8", "id\r\nold\r\n"u8.ToArray(), Token);
        var before = await BlobAsync("2026-11-30/continuity-report.csv");
        var changed = "id\r\nnew\r\n"u8.ToArray();

        var write = await Store.WriteAsync(_reportDate, "continuity-report.csv", "text/csv; charset=utf-8", changed, Token);

        Assert.True(write.Written);
        var after = await BlobAsync("2026-11-30/continuity-report.csv");
        Assert.NotEqual(before.Properties.ETag, after.Properties.ETag);
        Assert.Equal(Sha256(changed), after.Metadata["sha256"]);
        Assert.Equal(changed, await DownloadAsync("2026-11-30/continuity-report.csv"));
    }

    [Fact]
    public async Task Another_report_date_is_another_file()
    {
        var content = "{}"u8.ToArray();
        await Store.WriteAsync(_reportDate, "continuity-report.json", "application/json", content, Token);

        var write = await Store.WriteAsync(_reportDate.AddDays(7), "continuity-report.json", "application/json", content, Token);

        Assert.True(write.Written);
        Assert.Equal($"{_container}/2026-12-07/continuity-report.json", write.Path);
    }

    [Theory]
    [InlineData("a/b.json")]
    [InlineData("..")]
    [InlineData(" ")]
    public void A_file_name_must_be_one_path_segment(string fileName) =>
        Assert.ThrowsAny<ArgumentException>(() => BlobReportStore.BlobName(_reportDate, fileName));

    [Fact]
    public void The_hub_registration_writes_reports_to_the_reports_container()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        var store = Assert.IsType<BlobReportStore>(services.GetRequiredService<IReportStore>());

        Assert.Equal(StorageNames.ReportsContainer, store.ContainerName);
        Assert.NotNull(services.GetRequiredService<ReportService>());
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<BlobItem> BlobAsync(string name)
    {
        var container = await _clients.GetContainerAsync(_container, Token);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = name }, Token))
        {
            if (blob.Name == name)
            {
                return blob;
            }
        }

        throw new InvalidOperationException($"{name} is not stored");
    }

    private async Task<byte[]> DownloadAsync(string name)
    {
        var container = await _clients.GetContainerAsync(_container, Token);
        return (await container.GetBlobClient(name).DownloadContentAsync(Token)).Value.Content.ToArray();
    }
}
