using System.Globalization;
using System.Text.Json;
using System.Xml;
using Azure;
using Azure.Data.Tables;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Lessons;

namespace ContinuityHub.Azure.Lessons;

/// <summary>
/// The post-incident reviews in the Reviews table: PartitionKey the incident key (escaped), RowKey the review id; the
/// plans as UTF-8 JSON in a binary column. Adding a row that exists fails, so each outage gets one review however
/// many timers race to draft it.
/// </summary>
public sealed class TableReviewStore : IReviewStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StorageClients _clients;
    private readonly string _tableName;

    public TableReviewStore(StorageClients clients, string tablePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _tableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.ReviewsTable;
    }

    public async Task<bool> AddAsync(PostIncidentReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToRow(review), cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    public async Task<PostIncidentReview?> FindAsync(string incidentKey, string reviewId, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(incidentKey), reviewId, cancellationToken: cancellationToken);
        return row.HasValue ? ToReview(row.Value!) : null;
    }

    public async Task<IReadOnlyList<PostIncidentReview>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var found = new List<PostIncidentReview>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            found.Add(ToReview(row));
        }

        return [.. found.OrderByDescending(r => r.ResolvedAt).ThenBy(r => r.ReviewId, StringComparer.Ordinal)];
    }

    public async Task<PostIncidentReview?> UpdateAsync(PostIncidentReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(ToRow(review), review.ETag is null ? ETag.All : new ETag(review.ETag), TableUpdateMode.Replace, cancellationToken);
            return review with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return null;
        }
    }

    private static TableEntity ToRow(PostIncidentReview r)
    {
        var row = new TableEntity(TableKeys.Escape(r.IncidentKey), r.ReviewId)
        {
            ["IncidentKey"] = r.IncidentKey,
            ["Title"] = r.Title,
            ["StartedAt"] = r.StartedAt,
            ["ResolvedAt"] = r.ResolvedAt,
            ["HighestLevel"] = r.HighestLevel.ToString(),
            ["AchievedRecovery"] = XmlConvert.ToString(r.AchievedRecovery),
            ["Plans"] = JsonSerializer.SerializeToUtf8Bytes(r.Plans, Json),
            ["AssignedTo"] = JsonSerializer.Serialize(r.AssignedTo, Json),
            ["Due"] = r.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["DraftedAt"] = r.DraftedAt,
            ["Status"] = r.Status.ToString(),
            ["Notice"] = r.Notice.ToString(),
        };
        if (r.Rto is { } rto)
        {
            row["Rto"] = XmlConvert.ToString(rto);
        }

        if (r.Mtpd is { } mtpd)
        {
            row["Mtpd"] = XmlConvert.ToString(mtpd);
        }

        if (r.CompletedAt is { } completed)
        {
            row["CompletedAt"] = completed;
        }

        if (r.CompletedBy is { } by)
        {
            row["CompletedBy"] = by;
        }

        return row;
    }

    private static PostIncidentReview ToReview(TableEntity row) =>
        new(
            row.RowKey,
            row.GetString("IncidentKey") ?? TableKeys.Unescape(row.PartitionKey),
            row.GetString("Title") ?? string.Empty,
            row.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("ResolvedAt") ?? DateTimeOffset.MinValue,
            Enum.TryParse<AssessmentLevel>(row.GetString("HighestLevel"), out var level) ? level : AssessmentLevel.Alert,
            row.GetString("AchievedRecovery") is { } achieved ? XmlConvert.ToTimeSpan(achieved) : TimeSpan.Zero,
            row.GetString("Rto") is { } rto ? XmlConvert.ToTimeSpan(rto) : null,
            row.GetString("Mtpd") is { } mtpd ? XmlConvert.ToTimeSpan(mtpd) : null,
            row.GetBinary("Plans") is { Length: > 0 } plans ? JsonSerializer.Deserialize<List<ReviewPlan>>(plans, Json) ?? [] : [],
            row.GetString("AssignedTo") is { } owners ? JsonSerializer.Deserialize<List<string>>(owners, Json) ?? [] : [],
            DateOnly.ParseExact(row.GetString("Due") ?? "0001-01-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
            row.GetDateTimeOffset("DraftedAt") ?? DateTimeOffset.MinValue)
        {
            Status = Enum.TryParse<ReviewStatus>(row.GetString("Status"), out var status) ? status : ReviewStatus.Draft,
            Notice = Enum.TryParse<ReviewNotice>(row.GetString("Notice"), out var notice) ? notice : ReviewNotice.Pending,
            CompletedAt = row.GetDateTimeOffset("CompletedAt"),
            CompletedBy = row.GetString("CompletedBy"),
            ETag = row.ETag.ToString(),
        };
}

/// <summary>The reviews' documents in Blob Storage, <c>incident-reviews/{reviewId}/{fileName}</c>, written as the reports are.</summary>
public sealed class BlobReviewDocumentStore(StorageClients clients, string containerName = StorageNames.IncidentReviewsContainer, Microsoft.Extensions.Logging.ILogger<Reporting.BlobReportStore>? logger = null)
    : IReviewDocumentStore
{
    private readonly Reporting.BlobReportStore _blobs = new(clients, containerName, logger);

    public static string BlobName(string reviewId, string fileName)
    {
        Reporting.BlobReportStore.CheckSegment(reviewId, nameof(reviewId));
        Reporting.BlobReportStore.CheckSegment(fileName, nameof(fileName));
        return reviewId + "/" + fileName;
    }

    public async Task WriteAsync(string reviewId, ContinuityHub.Reporting.ReportFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        await _blobs.WriteBlobAsync(BlobName(reviewId, file.FileName), file.ContentType, file.Content, cancellationToken);
    }
}
