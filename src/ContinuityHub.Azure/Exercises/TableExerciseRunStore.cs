using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;

namespace ContinuityHub.Azure.Exercises;

/// <summary>
/// The runs of exercises in the ExerciseRuns table: PartitionKey the exercise id, RowKey the run id
/// (<c>20261210T090000Z</c>); the injects played as UTF-8 JSON in a binary column (up to 64 KiB). While a run goes, a
/// row <c>~running</c> in its exercise's partition names it: adding that row is what makes a second start of the same
/// exercise fail, and a run's end deletes it.
/// </summary>
public sealed class TableExerciseRunStore : IExerciseRunStore
{
    public const string RunningRow = "~running";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StorageClients _clients;
    private readonly string _tableName;

    public TableExerciseRunStore(StorageClients clients, string tablePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _tableName = TablePrefix.Validate(tablePrefix, nameof(tablePrefix)) + StorageNames.ExerciseRunsTable;
    }

    public async Task<bool> StartAsync(ExerciseRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var partition = TableKeys.Escape(run.ExerciseId);
        try
        {
            await table.AddEntityAsync(new TableEntity(partition, RunningRow) { ["RunId"] = run.RunId }, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }

        try
        {
            await table.AddEntityAsync(ToRow(run), cancellationToken);
            return true;
        }
        catch
        {
            await table.DeleteEntityAsync(partition, RunningRow, ETag.All, CancellationToken.None);
            throw;
        }
    }

    public async Task<IReadOnlyList<ExerciseRun>> ListAsync(string exerciseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exerciseId);
        var runs = await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(exerciseId)} and RowKey ne {RunningRow}"), cancellationToken);
        return [.. runs.OrderByDescending(r => r.StartedAt)];
    }

    public Task<IReadOnlyList<ExerciseRun>> ListActiveAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"RowKey ne {RunningRow} and (State eq {nameof(ExerciseRunState.Running)} or Summary eq {nameof(ExerciseSummaryState.Pending)})"), cancellationToken);

    public async Task<IReadOnlyList<ExerciseRun>> ListEndedAsync(CancellationToken cancellationToken)
    {
        var ended = await QueryAsync(TableClient.CreateQueryFilter($"RowKey ne {RunningRow} and State eq {nameof(ExerciseRunState.Ended)} and Speed eq {1}"), cancellationToken);
        return [.. ended.Where(r => r.Result is not null).GroupBy(r => r.ExerciseId, StringComparer.Ordinal).Select(g => g.MaxBy(r => r.EndedAt)!)];
    }

    public async Task<IReadOnlyList<ExerciseRun>> ListEndedAsync(DateTimeOffset endedFrom, DateTimeOffset endedBefore, CancellationToken cancellationToken)
    {
        var ended = await QueryAsync(TableClient.CreateQueryFilter($"RowKey ne {RunningRow} and State eq {nameof(ExerciseRunState.Ended)} and EndedAt ge {endedFrom} and EndedAt lt {endedBefore}"), cancellationToken);
        return [.. ended.OrderBy(r => r.EndedAt)];
    }

    public async Task<ExerciseRun?> UpdateAsync(ExerciseRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.ETag is null)
        {
            throw new ArgumentException("Only a stored run (with its ETag) can be updated.", nameof(run));
        }

        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        Response response;
        try
        {
            response = await table.UpdateEntityAsync(ToRow(run), new ETag(run.ETag), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return null;
        }

        if (run.State == ExerciseRunState.Ended)
        {
            await table.DeleteEntityAsync(TableKeys.Escape(run.ExerciseId), RunningRow, ETag.All, cancellationToken);
        }

        return run with { ETag = response.Headers.ETag?.ToString() };
    }

    private async Task<IReadOnlyList<ExerciseRun>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await _clients.GetTableAsync(_tableName, cancellationToken);
        var runs = new List<ExerciseRun>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            runs.Add(ToRun(row));
        }

        return runs;
    }

    private static TableEntity ToRow(ExerciseRun run)
    {
        var row = new TableEntity(TableKeys.Escape(run.ExerciseId), run.RunId)
        {
            ["Plan"] = run.Plan,
            ["StartedAt"] = run.StartedAt,
            ["Speed"] = run.Speed,
            ["StartedBy"] = run.StartedBy,
            ["State"] = run.State.ToString(),
            ["Played"] = JsonSerializer.SerializeToUtf8Bytes(run.Played, Json),
            ["Summary"] = run.Summary.ToString(),
        };
        Set(row, "EndRequestedAt", run.EndRequestedAt);
        Set(row, "EndRequestedBy", run.EndRequestedBy);
        Set(row, "EndedAt", run.EndedAt);
        Set(row, "Result", run.Result?.ToString());
        Set(row, "AchievedRecovery", run.AchievedRecovery is { } achieved ? System.Xml.XmlConvert.ToString(achieved) : null);
        Set(row, "ReportFolder", run.ReportFolder);
        Set(row, "Figures", run.Figures is { } figures ? JsonSerializer.SerializeToUtf8Bytes(figures, Json) : null);
        return row;
    }

    private static void Set(TableEntity row, string name, object? value)
    {
        if (value is not null)
        {
            row[name] = value;
        }
    }

    private static ExerciseRun ToRun(TableEntity row) =>
        new(
            TableKeys.Unescape(row.PartitionKey),
            row.RowKey,
            row.GetString("Plan") ?? string.Empty,
            row.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
            row.GetInt32("Speed") ?? 1,
            row.GetString("StartedBy") ?? string.Empty)
        {
            State = Enum.TryParse<ExerciseRunState>(row.GetString("State"), out var state) ? state : ExerciseRunState.Running,
            Played = row.GetBinary("Played") is { Length: > 0 } played ? JsonSerializer.Deserialize<List<PlayedInject>>(played, Json) ?? [] : [],
            EndRequestedAt = row.GetDateTimeOffset("EndRequestedAt"),
            EndRequestedBy = row.GetString("EndRequestedBy"),
            EndedAt = row.GetDateTimeOffset("EndedAt"),
            Result = Enum.TryParse<ExerciseResult>(row.GetString("Result"), out var result) ? result : null,
            AchievedRecovery = row.GetString("AchievedRecovery") is { } achieved ? System.Xml.XmlConvert.ToTimeSpan(achieved) : null,
            ReportFolder = row.GetString("ReportFolder"),
            Figures = row.GetBinary("Figures") is { Length: > 0 } figures ? JsonSerializer.Deserialize<RunFigures>(figures, Json) : null,
            Summary = Enum.TryParse<ExerciseSummaryState>(row.GetString("Summary"), out var summary) ? summary : ExerciseSummaryState.None,
            ETag = row.ETag.ToString(),
        };
}
