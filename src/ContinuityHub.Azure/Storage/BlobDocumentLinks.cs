using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// Short-lived read links to plan documents: a SAS granting read, and nothing else, on the one blob
/// <c>plan-documents/{plan}/{version}/{fileName}</c>. With the managed identity (storage reached by a token credential,
/// shared keys off) the SAS is a user-delegation SAS, signed with a user delegation key that is fetched once and
/// reused until shortly before it expires; with a connection string carrying the account key (Azurite, local use) it is
/// a service SAS signed with that key. The link is HTTPS-only when the account is reached over HTTPS.
/// </summary>
public sealed partial class BlobDocumentLinks : IDocumentLinks
{
    /// <summary>The longest a link may live: a user delegation key, and so any SAS it signs, lasts at most seven days.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(15);

    /// <summary>How far back a link (and a delegation key) starts, so a server clock a little behind ours accepts it.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly StorageClients _clients;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private UserDelegationKey? _key;

    public BlobDocumentLinks(StorageClients clients, TimeProvider timeProvider, ILogger<BlobDocumentLinks>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _clients = clients;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<BlobDocumentLinks>.Instance;
    }

    /// <summary>
    /// A read-only link to the document valid until <paramref name="expiresAt"/> (at most <see cref="MaxLifetime"/>
    /// from now). A time already past gives a link the service refuses. The blob need not exist yet.
    /// </summary>
    public Task<Uri> ReadLinkAsync(string plan, string version, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        LinkAsync(StorageNames.PlanDocumentsContainer, BlobDocumentStore.BlobName(plan, version, fileName), expiresAt, cancellationToken);

    /// <summary>A read-only link to a report file (<c>reports/{yyyy-MM-dd}/{fileName}</c>), on the same terms as a document link.</summary>
    public Task<Uri> ReportLinkAsync(DateOnly reportDate, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        LinkAsync(StorageNames.ReportsContainer, Reporting.BlobReportStore.BlobName(reportDate, fileName), expiresAt, cancellationToken);

    /// <summary>A read-only link to an after-action report file (<c>exercise-reports/{planId}/{exerciseId}/{fileName}</c>), on the same terms.</summary>
    public Task<Uri> ExerciseReportLinkAsync(string planId, string exerciseId, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        LinkAsync(StorageNames.ExerciseReportsContainer, Exercises.BlobExerciseReportStore.BlobName(planId, exerciseId, fileName), expiresAt, cancellationToken);

    /// <summary>A read-only link to a post-incident review's document (<c>incident-reviews/{reviewId}/{fileName}</c>), on the same terms.</summary>
    public Task<Uri> ReviewLinkAsync(string reviewId, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        LinkAsync(StorageNames.IncidentReviewsContainer, Lessons.BlobReviewDocumentStore.BlobName(reviewId, fileName), expiresAt, cancellationToken);

    private async Task<Uri> LinkAsync(string containerName, string blobName, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (expiresAt - now > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(
                nameof(expiresAt),
                expiresAt,
                $"A document link lives at most {MaxLifetime.TotalHours:0.##} hours (the limit of a user delegation key).");
        }

        var blob = _clients.Blobs.GetBlobContainerClient(containerName).GetBlobClient(blobName);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await DelegationKeyAsync(now, expiresAt, cancellationToken);
        return blob.GenerateUserDelegationSasUri(sas, key);
    }

    /// <summary>The cached user delegation key when it outlives the link, else a fresh one valid for <see cref="MaxLifetime"/>.</summary>
    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        // Two callers racing for a new key both fetch one; either is good, so no lock.
        var cached = Volatile.Read(ref _key);
        if (cached is not null && cached.SignedExpiresOn >= expiresAt && cached.SignedStartsOn <= now - ClockSkew)
        {
            return cached;
        }

        var options = new BlobGetUserDelegationKeyOptions(now + MaxLifetime) { StartsOn = now - ClockSkew };
        var key = (await _clients.Blobs.GetUserDelegationKeyAsync(options, cancellationToken)).Value;
        Volatile.Write(ref _key, key);
        DelegationKeyObtained(_logger, _clients.Blobs.AccountName, key.SignedExpiresOn);
        return key;
    }

    [LoggerMessage(EventId = 2050, Level = LogLevel.Information,
        Message = "User delegation key for storage account {AccountName} obtained; document links are signed with it until {ExpiresOn}")]
    private static partial void DelegationKeyObtained(ILogger logger, string accountName, DateTimeOffset expiresOn);
}
