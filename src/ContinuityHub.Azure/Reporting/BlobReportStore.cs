using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Reporting;

/// <summary>
/// The continuity reports in Blob Storage: <c>reports/{yyyy-MM-dd}/{fileName}</c> by report date, with the content
/// type set and the hex SHA-256 of the content in the blob's <c>sha256</c> metadata. A file whose stored SHA-256 and
/// content type already match is not uploaded again (its ETag stays), so a timer run twice for one period writes
/// once; different content replaces the stored file, conditional on the ETag read.
/// </summary>
public sealed class BlobReportStore : IReportStore
{
    public const string Sha256Metadata = "sha256";

    // Another writer of the same file between the read and the upload is rare; a few rounds settle it.
    private const int MaxWriteAttempts = 3;

    private readonly StorageClients _clients;
    private readonly ILogger _logger;

    /// <param name="clients">The storage account.</param>
    /// <param name="containerName">The container: <c>reports</c>, or one of a test's own.</param>
    /// <param name="logger">Where writes are logged.</param>
    public BlobReportStore(StorageClients clients, string containerName = StorageNames.ReportsContainer, ILogger<BlobReportStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);
        _clients = clients;
        ContainerName = containerName;
        _logger = logger ?? NullLogger<BlobReportStore>.Instance;
    }

    public string ContainerName { get; }

    /// <summary>The blob name of a report file: <c>{yyyy-MM-dd}/{fileName}</c>.</summary>
    public static string BlobName(DateOnly reportDate, string fileName)
    {
        CheckSegment(fileName, nameof(fileName));
        return reportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/" + fileName;
    }

    /// <summary>Refuses what cannot be one segment of a blob path (empty, '/', '\\', '.' or '..').</summary>
    internal static void CheckSegment(string segment, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(segment, parameter);
        if (segment.Contains('/', StringComparison.Ordinal) || segment.Contains('\\', StringComparison.Ordinal) || segment is "." or "..")
        {
            throw new ArgumentException($"'{segment}' cannot be a single blob path segment.", parameter);
        }
    }

    public Task<ReportWrite> WriteAsync(
        DateOnly reportDate, string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteBlobAsync(BlobName(reportDate, fileName), contentType, content, cancellationToken);

    /// <summary>Stores <paramref name="content"/> as the blob <paramref name="name"/> of the container, unless the same content is stored already.</summary>
    public async Task<ReportWrite> WriteBlobAsync(string name, string contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var path = $"{ContainerName}/{name}";
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var container = await _clients.GetContainerAsync(ContainerName, cancellationToken);
        var blob = container.GetBlobClient(name);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await PropertiesAsync(blob, cancellationToken);
            if (stored is not null
                && string.Equals(Sha256Of(stored), sha256, StringComparison.OrdinalIgnoreCase)
                && string.Equals(stored.ContentType, contentType, StringComparison.OrdinalIgnoreCase))
            {
                Log.ReportUnchanged(_logger, path);
                return new ReportWrite(path, false, sha256);
            }

            var options = new BlobUploadOptions
            {
                // Added only while absent, replaced only while still as read: a concurrent writer makes this round fail.
                Conditions = stored is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = stored.ETag },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [Sha256Metadata] = sha256 },
            };
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
                Log.ReportStored(_logger, path, content.Length, sha256, stored is not null);
                return new ReportWrite(path, true, sha256);
            }
            catch (RequestFailedException exception) when (
                (exception.Status == 412 || (exception.Status == 409 && exception.ErrorCode == BlobErrorCode.BlobAlreadyExists))
                && attempt < MaxWriteAttempts)
            {
                // Written by someone else between the read and the upload: read again and compare with that.
            }
        }
    }

    private static async Task<BlobProperties?> PropertiesAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    private static string? Sha256Of(BlobProperties properties) =>
        properties.Metadata.FirstOrDefault(pair => string.Equals(pair.Key, Sha256Metadata, StringComparison.OrdinalIgnoreCase)).Value;
}
