using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ArchiveStatus = ContinuityHub.Intake.ArchiveStatus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Intake;

/// <summary>
/// The raw-payload archive in Blob Storage: <c>intake-archive/{yyyy}/{MM}/{dd}/{source}/{HHmmssfff}-{guid}.json</c>
/// (the UTC time received, so names sort by time within a source and day), written once with the delivery's fate
/// in its metadata when it is known by then (a delivery applied, a duplicate, a refusal), else Received and marked
/// later (a re-drive): <c>status</c> (Received, Applied, Duplicate, Rejected), <c>channel</c>, <c>source</c>, <c>receivedAt</c>
/// (ISO 8601) and, once processed, <c>note</c> (the incident key, or why it was rejected).
/// </summary>
public sealed class BlobPayloadArchive : IPayloadArchive
{
    public const string StatusMetadata = "status";
    public const string ChannelMetadata = "channel";
    public const string SourceMetadata = "source";
    public const string ReceivedAtMetadata = "receivedAt";
    public const string NoteMetadata = "note";

    /// <summary>The SHA-256 of the body (lowercase hex): a write the SDK retried after it succeeded is recognised by it.</summary>
    public const string ContentHashMetadata = "sha256";

    // What this process wrote of each delivery it archived and has not marked yet, so a mark is one call, not a read
    // and a write. Bounded: past it (marks that never came), a mark reads first as for a re-drive.
    private const int MaxPendingMarks = 100_000;

    /// <summary>The longest note kept in metadata, in characters (ASCII).</summary>
    public const int MaxNoteLength = 1024;

    // Setting metadata races only with another mark of the same delivery; a few rounds settle it.
    private const int MaxMarkAttempts = 5;

    // Wider ranges are listed a month at a time rather than a day at a time.
    private static readonly TimeSpan _dailyListingUpTo = TimeSpan.FromDays(62);

    private readonly StorageClients _clients;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string>> _pendingMarks = new(StringComparer.Ordinal);

    /// <param name="clients">The storage account.</param>
    /// <param name="containerName">The container: <c>intake-archive</c>, or one of a test's own.</param>
    /// <param name="logger">Where archive writes and marks are logged.</param>
    public BlobPayloadArchive(StorageClients clients, string containerName = StorageNames.IntakeArchiveContainer, ILogger<BlobPayloadArchive>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);
        _clients = clients;
        ContainerName = containerName;
        _logger = logger ?? NullLogger<BlobPayloadArchive>.Instance;
    }

    public string ContainerName { get; }

    /// <summary>The blob name of a delivery: <c>{yyyy}/{MM}/{dd}/{source}/{HHmmssfff}-{id:N}.json</c> of its UTC receive time.</summary>
    public static string BlobName(AliasSource source, DateTimeOffset receivedAt, Guid id)
    {
        var utc = receivedAt.UtcDateTime;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{DayPrefix(utc)}{CatalogNames.Name(source)}/{utc:HHmmssfff}-{id:N}.json");
    }

    /// <summary>Makes <paramref name="note"/> fit for blob metadata: printable ASCII (other characters as %XX of their UTF-8), trimmed, at most <see cref="MaxNoteLength"/> characters.</summary>
    public static string MetadataSafe(string? note)
    {
        var text = (note ?? string.Empty).Trim();
        var builder = new StringBuilder(Math.Min(text.Length, MaxNoteLength));
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            // A character is kept whole (never half of its %XX escapes), or the note ends before it.
            var count = rune.Value is >= 0x20 and < 0x7F or '\r' or '\n' or '\t' ? 0 : rune.EncodeToUtf8(utf8);
            if (builder.Length + Math.Max(1, 3 * count) > MaxNoteLength)
            {
                break;
            }

            if (count == 0)
            {
                builder.Append(rune.Value is '\r' or '\n' or '\t' ? ' ' : (char)rune.Value);
                continue;
            }

            foreach (var b in utf8[..count])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString().TrimEnd();
    }

    public Task<string> ArchiveAsync(AliasSource source, DateTimeOffset receivedAt, ReadOnlyMemory<byte> body, IntakeChannel channel, CancellationToken cancellationToken) =>
        WriteAsync(BlobName(source, receivedAt, Guid.NewGuid()), source, receivedAt, body, channel, ArchiveStatus.Received, null, cancellationToken);

    public string NewPath(AliasSource source, DateTimeOffset receivedAt) => $"{ContainerName}/{BlobName(source, receivedAt, Guid.NewGuid())}";

    public Task ArchiveAtAsync(string path, AliasSource source, DateTimeOffset receivedAt, ReadOnlyMemory<byte> body, IntakeChannel channel, ArchiveStatus status, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var prefix = ContainerName + "/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || path.Length == prefix.Length)
        {
            throw new ArgumentException($"'{path}' is not a path in the {ContainerName} container.", nameof(path));
        }

        return WriteAsync(path[prefix.Length..], source, receivedAt, body, channel, status, note, cancellationToken);
    }

    public async Task MarkAsync(string path, ArchiveStatus status, string note, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(path, cancellationToken);
        if (_pendingMarks.TryGetValue(path, out var written))
        {
            // Only this process has written this delivery's metadata: set it whole, in one call.
            await blob.SetMetadataAsync(Marked(written, status, note), cancellationToken: cancellationToken);
            _pendingMarks.TryRemove(path, out _);
            Log.PayloadMarked(_logger, path, status);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            try
            {
                await blob.SetMetadataAsync(Marked(properties.Value.Metadata, status, note), new BlobRequestConditions { IfMatch = properties.Value.ETag }, cancellationToken);
                Log.PayloadMarked(_logger, path, status);
                return;
            }
            catch (RequestFailedException exception) when (exception.Status == 412 && attempt < MaxMarkAttempts)
            {
                // Marked by someone else between the read and the write; read again so no metadata is lost.
            }
        }
    }

    private static Dictionary<string, string> Marked(IDictionary<string, string> metadata, ArchiveStatus status, string? note) =>
        new(metadata, StringComparer.OrdinalIgnoreCase)
        {
            [StatusMetadata] = status.ToString(),
            [NoteMetadata] = MetadataSafe(note),
        };

    private async Task<string> WriteAsync(
        string name, AliasSource source, DateTimeOffset receivedAt, ReadOnlyMemory<byte> body, IntakeChannel channel, ArchiveStatus status, string? note, CancellationToken cancellationToken)
    {
        var container = await _clients.GetContainerAsync(ContainerName, cancellationToken);
        var sourceName = CatalogNames.Name(source);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [StatusMetadata] = status.ToString(),
            [ChannelMetadata] = channel.ToString(),
            [SourceMetadata] = sourceName,
            [ReceivedAtMetadata] = receivedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            [ContentHashMetadata] = Convert.ToHexStringLower(SHA256.HashData(body.Span)),
        };
        if (note is not null)
        {
            metadata[NoteMetadata] = MetadataSafe(note);
        }

        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = metadata,
        };
        var blob = container.GetBlobClient(name);
        var path = $"{ContainerName}/{name}";
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(body), options, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // The name is new (a fresh GUID): a blob there is this very write, retried by the SDK after it succeeded
            // (its answer lost). The same content hash says so; anything else is not ours to go on with.
            var stored = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (!stored.Value.Metadata.TryGetValue(ContentHashMetadata, out var hash) || hash != metadata[ContentHashMetadata])
            {
                throw;
            }

            Log.RetriedWriteRecognised(_logger, path);
        }

        if (status == ArchiveStatus.Received && _pendingMarks.Count < MaxPendingMarks)
        {
            _pendingMarks[path] = metadata;
        }

        Log.PayloadArchived(_logger, sourceName, path, body.Length, channel);
        return path;
    }

    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(path, cancellationToken);
        var content = await blob.DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToArray();
    }

    public async IAsyncEnumerable<ArchivedPayload> ListUnprocessedAsync(
        DateTimeOffset since, DateTimeOffset until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (since > until)
        {
            yield break;
        }

        var container = await _clients.GetContainerAsync(ContainerName, cancellationToken);
        foreach (var prefix in Prefixes(since.UtcDateTime, until.UtcDateTime))
        {
            var options = new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata };
            await foreach (var item in container.GetBlobsAsync(options, cancellationToken))
            {
                if (Unprocessed(item, since, until) is { } payload)
                {
                    yield return payload;
                }
            }
        }
    }

    /// <summary>The name prefixes to list for a range: each day's (<c>yyyy/MM/dd/</c>), or each month's for a wide range.</summary>
    private static IEnumerable<string> Prefixes(DateTime since, DateTime until)
    {
        if (until - since <= _dailyListingUpTo)
        {
            for (var day = since.Date; day <= until.Date; day = day.AddDays(1))
            {
                yield return DayPrefix(day);
            }

            yield break;
        }

        for (var month = new DateTime(since.Year, since.Month, 1, 0, 0, 0, DateTimeKind.Utc); month <= until; month = month.AddMonths(1))
        {
            yield return month.ToString("yyyy'/'MM'/'", CultureInfo.InvariantCulture);
        }
    }

    private ArchivedPayload? Unprocessed(BlobItem item, DateTimeOffset since, DateTimeOffset until)
    {
        var metadata = new Dictionary<string, string>(item.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        if (!metadata.TryGetValue(StatusMetadata, out var status) || !string.Equals(status, nameof(ArchiveStatus.Received), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = $"{ContainerName}/{item.Name}";
        if (!metadata.TryGetValue(ReceivedAtMetadata, out var receivedText)
            || !DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var receivedAt))
        {
            Log.UnreadableArchiveMetadata(_logger, path, ReceivedAtMetadata);
            return null;
        }

        // The source is in the name too ({yyyy}/{MM}/{dd}/{source}/…), should the metadata ever lack it.
        var segments = item.Name.Split('/');
        var sourceText = metadata.GetValueOrDefault(SourceMetadata) ?? (segments.Length == 5 ? segments[3] : null);
        if (!CatalogNames.TryParseSource(sourceText, out var source))
        {
            Log.UnreadableArchiveMetadata(_logger, path, SourceMetadata);
            return null;
        }

        var channel = metadata.TryGetValue(ChannelMetadata, out var channelText)
            && Enum.TryParse<IntakeChannel>(channelText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : IntakeChannel.Http;
        return receivedAt >= since && receivedAt <= until
            ? new ArchivedPayload(path, source, receivedAt, channel, ArchiveStatus.Received)
            : null;
    }

    private async Task<BlobClient> BlobAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var prefix = ContainerName + "/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || path.Length == prefix.Length)
        {
            throw new ArgumentException($"'{path}' is not a path in the {ContainerName} container ({prefix}…).", nameof(path));
        }

        var container = await _clients.GetContainerAsync(ContainerName, cancellationToken);
        return container.GetBlobClient(path[prefix.Length..]);
    }

    private static string DayPrefix(DateTime utc) => utc.ToString("yyyy'/'MM'/'dd'/'", CultureInfo.InvariantCulture);
}
