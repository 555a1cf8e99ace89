namespace ContinuityHub.Notifications;

// Plan documents and reports: implemented by ContinuityHub.Azure.Storage.BlobDocumentLinks.

public interface IDocumentLinks
{
    /// <summary>
    /// A read-only link to <c>plan-documents/{plan}/{version}/{fileName}</c> valid until <paramref name="expiresAt"/>
    /// (a user-delegation SAS with the managed identity in Azure).
    /// </summary>
    Task<Uri> ReadLinkAsync(string plan, string version, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>A read-only link to a continuity report file, <c>reports/{yyyy-MM-dd}/{fileName}</c>, valid until <paramref name="expiresAt"/>.</summary>
    Task<Uri> ReportLinkAsync(DateOnly reportDate, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>A read-only link to an exercise's after-action report file, <c>exercise-reports/{planId}/{exerciseId}/{fileName}</c>, valid until <paramref name="expiresAt"/>.</summary>
    Task<Uri> ExerciseReportLinkAsync(string planId, string exerciseId, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>A read-only link to a post-incident review's document, <c>incident-reviews/{reviewId}/{fileName}</c>, valid until <paramref name="expiresAt"/>.</summary>
    Task<Uri> ReviewLinkAsync(string reviewId, string fileName, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
