namespace ContinuityHub.Reporting;

/// <summary>What became of one report file.</summary>
/// <param name="Path">Where it is: <c>reports/{yyyy-MM-dd}/{fileName}</c> in storage, or a file path for <c>hub report</c>.</param>
/// <param name="Written">True when it was uploaded; false when the same content was already stored (unchanged).</param>
/// <param name="Sha256">The hex SHA-256 of the content.</param>
public sealed record ReportWrite(string Path, bool Written, string Sha256);

/// <summary>
/// Where the continuity reports are kept (Blob Storage: <c>reports/{yyyy-MM-dd}/{fileName}</c>, by report date).
/// Writing the same content again changes nothing; different content replaces what is stored.
/// </summary>
public interface IReportStore
{
    /// <summary>Stores one file of the report for <paramref name="reportDate"/>, unless the same content is stored already.</summary>
    Task<ReportWrite> WriteAsync(DateOnly reportDate, string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}

/// <summary>The post-incident reviews as the report reads them (the hub's lessons learned).</summary>
public interface IReviewSource
{
    Task<IReadOnlyList<ReviewFact>> ListReviewsAsync(CancellationToken cancellationToken);
}
