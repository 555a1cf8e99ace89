using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// Plan documents in Blob Storage: <c>plan-documents/{planId}/{version}/{fileName}</c>, written once and never
/// overwritten, with the hex SHA-256 of the content in the blob's <c>sha256</c> metadata.
/// </summary>
public sealed class BlobDocumentStore : IDocumentStore
{
    public const string Sha256Metadata = "sha256";

    private readonly StorageClients _clients;
    private readonly ILogger _logger;

    public BlobDocumentStore(StorageClients clients, ILogger<BlobDocumentStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _logger = logger ?? NullLogger<BlobDocumentStore>.Instance;
    }

    /// <summary>The blob name of a plan document inside the <c>plan-documents</c> container.</summary>
    public static string BlobName(string planId, string version, string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(planId);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        return $"{Segment(planId, nameof(planId))}/{Segment(version, nameof(version))}/{Segment(fileName, nameof(fileName))}";
    }

    /// <summary>The content type a document is served with, by its extension.</summary>
    public static string ContentType(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() switch
        {
            ".PDF" => "application/pdf",
            ".MD" or ".MARKDOWN" => "text/markdown",
            ".DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ => "application/octet-stream",
        };

    public async Task<string?> GetSha256Async(string planId, string version, string fileName, CancellationToken cancellationToken)
    {
        var blob = await GetBlobAsync(planId, version, fileName, cancellationToken);
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return Sha256Of(properties.Value);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async Task UploadAsync(string planId, string version, string fileName, Stream content, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        var digest = sha256.Trim().ToLowerInvariant();
        var blob = await GetBlobAsync(planId, version, fileName, cancellationToken);
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [Sha256Metadata] = digest },
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(fileName) },
        };

        try
        {
            await blob.UploadAsync(content, options, cancellationToken);
            Log.DocumentStored(_logger, blob.Name, digest);
        }
        catch (RequestFailedException exception) when (
            exception.Status == 409 && exception.ErrorCode == BlobErrorCode.BlobAlreadyExists
            || exception.Status == 412)
        {
            // Someone stored this name first. The same content is fine; different content is never overwritten.
            var stored = await GetSha256Async(planId, version, fileName, cancellationToken);
            if (!string.Equals(stored, digest, StringComparison.OrdinalIgnoreCase))
            {
                throw new HubValidationException(
                    $"plans.{planId}.documents.{fileName}",
                    $"{StorageNames.PlanDocumentsContainer}/{blob.Name} is already stored with different content "
                    + $"(sha256 {stored ?? "unknown"}, this file {digest}); stored documents are never overwritten, so give the plan a new version.");
            }

            Log.DocumentAlreadyStored(_logger, blob.Name);
        }
    }

    private async Task<BlobClient> GetBlobAsync(string planId, string version, string fileName, CancellationToken cancellationToken)
    {
        var name = BlobName(planId, version, fileName);
        var container = await _clients.GetContainerAsync(StorageNames.PlanDocumentsContainer, cancellationToken);
        return container.GetBlobClient(name);
    }

    private static string? Sha256Of(BlobProperties properties) =>
        properties.Metadata.FirstOrDefault(pair => string.Equals(pair.Key, Sha256Metadata, StringComparison.OrdinalIgnoreCase)).Value;

    private static string Segment(string value, string parameter) =>
        value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value is "." or ".."
            ? throw new ArgumentException($"'{value}' cannot be a single blob path segment.", parameter)
            : value;
}
