using System.Security.Cryptography;
using System.Text;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests;

public sealed class BlobDocumentStoreTests
{
    private readonly StorageClients _clients;
    private readonly BlobDocumentStore _store;

    // Each test uses a plan id of its own in the shared plan-documents container.
    private readonly string _planId = AzuriteFixture.UniqueContainerName("plan");

    public BlobDocumentStoreTests(AzuriteFixture azurite)
    {
        _clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        _store = new BlobDocumentStore(_clients);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_then_GetSha256_returns_the_stored_digest()
    {
        var (content, sha256) = Document("# Payments DR runbook");

        await _store.UploadAsync(_planId, "1.0", "runbook.md", content, sha256, Token);

        Assert.Equal(sha256, await _store.GetSha256Async(_planId, "1.0", "runbook.md", Token));
    }

    [Fact]
    public async Task A_missing_document_has_no_sha256()
    {
        Assert.Null(await _store.GetSha256Async(_planId, "1.0", "missing.pdf", Token));
    }

    [Fact]
    public async Task The_same_name_in_another_version_is_another_document()
    {
        var (content, sha256) = Document("v1");
        await _store.UploadAsync(_planId, "1.0", "plan.pdf", content, sha256, Token);

        Assert.Null(await _store.GetSha256Async(_planId, "2.0", "plan.pdf", Token));
    }

    [Fact]
    public async Task Uploading_other_content_under_a_stored_name_throws_and_keeps_the_stored_document()
    {
        var (first, firstSha) = Document("approved text");
        var (second, secondSha) = Document("edited text");
        await _store.UploadAsync(_planId, "1.0", "plan.docx", first, firstSha, Token);

        var problem = await Assert.ThrowsAsync<HubValidationException>(
            () => _store.UploadAsync(_planId, "1.0", "plan.docx", second, secondSha, Token));

        Assert.Contains($"plan-documents/{_planId}/1.0/plan.docx", problem.Message, StringComparison.Ordinal);
        Assert.Contains("never overwritten", problem.Message, StringComparison.Ordinal);
        Assert.Equal(firstSha, await _store.GetSha256Async(_planId, "1.0", "plan.docx", Token));
        var stored = await _clients.Blobs.GetBlobContainerClient(StorageNames.PlanDocumentsContainer)
            .GetBlobClient($"{_planId}/1.0/plan.docx")
            .DownloadContentAsync(Token);
        Assert.Equal("approved text", stored.Value.Content.ToString());
    }

    [Fact]
    public async Task Uploading_the_same_content_again_is_accepted()
    {
        var (first, sha256) = Document("same bytes");
        var (again, _) = Document("same bytes");
        await _store.UploadAsync(_planId, "1.0", "plan.pdf", first, sha256, Token);

        await _store.UploadAsync(_planId, "1.0", "plan.pdf", again, sha256.ToUpperInvariant(), Token);

        Assert.Equal(sha256, await _store.GetSha256Async(_planId, "1.0", "plan.pdf", Token));
    }

    [Theory]
    [InlineData("plan.pdf", "application/pdf")]
    [InlineData("runbook.md", "text/markdown")]
    [InlineData("Plan.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("diagram.vsdx", "application/octet-stream")]
    public async Task Documents_are_stored_with_a_content_type_by_extension(string fileName, string contentType)
    {
        var (content, sha256) = Document(fileName);

        await _store.UploadAsync(_planId, "1.0", fileName, content, sha256, Token);

        var properties = await _clients.Blobs.GetBlobContainerClient(StorageNames.PlanDocumentsContainer)
            .GetBlobClient($"{_planId}/1.0/{fileName}")
            .GetPropertiesAsync(cancellationToken: Token);
        Assert.Equal(contentType, properties.Value.ContentType);
        Assert.Equal(sha256, properties.Value.Metadata["sha256"]);
    }

    [Fact]
    public void A_file_name_with_a_path_separator_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BlobDocumentStore.BlobName("plan", "1.0", "../other/plan.pdf"));
    }

    private static (MemoryStream Content, string Sha256) Document(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return (new MemoryStream(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
