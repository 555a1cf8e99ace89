using ContinuityHub.Azure.Reporting;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Exercises;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Exercises;

/// <summary>
/// The after-action reports in Blob Storage: <c>exercise-reports/{planId}/{exerciseId}/{fileName}</c>, written as the
/// continuity reports are (content type, <c>sha256</c> metadata, unchanged content not uploaded again); a later run of
/// the same exercise replaces the earlier run's files.
/// </summary>
public sealed class BlobExerciseReportStore(StorageClients clients, string containerName = StorageNames.ExerciseReportsContainer, ILogger<BlobReportStore>? logger = null)
    : IExerciseReportStore
{
    private readonly BlobReportStore _blobs = new(clients, containerName, logger);

    /// <summary>The blob name of a file of an exercise's report: <c>{planId}/{exerciseId}/{fileName}</c>.</summary>
    public static string BlobName(string planId, string exerciseId, string fileName)
    {
        foreach (var (segment, name) in new[] { (planId, nameof(planId)), (exerciseId, nameof(exerciseId)), (fileName, nameof(fileName)) })
        {
            BlobReportStore.CheckSegment(segment, name);
        }

        return $"{planId}/{exerciseId}/{fileName}";
    }

    public async Task<string> WriteAsync(string planId, string exerciseId, ReportFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var written = await _blobs.WriteBlobAsync(BlobName(planId, exerciseId, file.FileName), file.ContentType, file.Content, cancellationToken);
        return written.Path;
    }

    public async Task<byte[]?> ReadAsync(string planId, string exerciseId, string fileName, CancellationToken cancellationToken)
    {
        var container = await clients.GetContainerAsync(_blobs.ContainerName, cancellationToken);
        try
        {
            return (await container.GetBlobClient(BlobName(planId, exerciseId, fileName)).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (global::Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }
}
