using Azure.Data.Tables;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// The new outbox entries of one entity-group transaction, at row keys that keep them in order. Each goes under its
/// <see cref="OutboxEntry.Id"/> (<c>outbox~{ticks:D19}</c>); entries sharing an id get <c>{id}~{n:D6}</c>, n counting
/// up in the order given. When the transaction finds an id taken (another write at the same tick), the partition is
/// read for the numbers in use and the entries move past them, so they still sort after what is already there.
/// </summary>
internal sealed class OutboxAdds
{
    // Writes at one tick racing each other are rare; beyond this many rounds the failure is not swallowed.
    private const int MaxCollisions = 5;

    private readonly string _incidentKey;
    private readonly string _partition;
    private readonly IReadOnlyList<OutboxEntry> _entries;
    private readonly ILogger _logger;
    private readonly Dictionary<string, int> _firstFree = new(StringComparer.Ordinal);
    private int _firstIndex = -1;
    private int _collisions;

    /// <param name="incidentKey">The incident the entries belong to.</param>
    /// <param name="partition">Its partition.</param>
    /// <param name="entries">The new entries (ETag null), in the order they are to be delivered.</param>
    /// <param name="logger">Where same-tick collisions are logged.</param>
    public OutboxAdds(string incidentKey, string partition, IReadOnlyList<OutboxEntry> entries, ILogger logger)
    {
        _incidentKey = incidentKey;
        _partition = partition;
        _entries = entries;
        _logger = logger;
    }

    public int Count => _entries.Count;

    /// <summary>Throws unless every entry is new and belongs to <paramref name="incidentKey"/>.</summary>
    public static void Validate(string incidentKey, IEnumerable<OutboxEntry> entries, bool newOnly, string parameterName)
    {
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, parameterName);
            if (!string.Equals(entry.IncidentKey, incidentKey, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Outbox entry {entry.Id} belongs to incident '{entry.IncidentKey}', not '{incidentKey}'.", parameterName);
            }

            if (!entry.Id.StartsWith(AlertRows.OutboxPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Outbox entry id '{entry.Id}' does not start with '{AlertRows.OutboxPrefix}'.", parameterName);
            }

            if (newOnly && entry.ETag is not null)
            {
                throw new ArgumentException($"Outbox entry {entry.Id} has an ETag: only new entries are added here.", parameterName);
            }
        }
    }

    /// <summary>Appends an Add per entry to <paramref name="actions"/>.</summary>
    public void AppendTo(List<TableTransactionAction> actions)
    {
        _firstIndex = actions.Count;
        foreach (var (entry, rowKey) in _entries.Zip(RowKeys()))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, AlertRows.OutboxRow(_partition, rowKey, entry)));
        }
    }

    /// <summary>Whether the action at <paramref name="index"/> adds one of these entries.</summary>
    public bool Contains(int index) => _firstIndex >= 0 && index >= _firstIndex && index < _firstIndex + _entries.Count;

    /// <summary>
    /// After the Add at <paramref name="failedIndex"/> found its row key taken: reads which keys of that id are in use
    /// and moves the entries of that id past them. False when writes at that tick keep racing: give up.
    /// </summary>
    public async Task<bool> MovePastTakenAsync(
        TableClient table, List<TableTransactionAction> actions, int failedIndex, CancellationToken cancellationToken)
    {
        if (!Contains(failedIndex) || ++_collisions > MaxCollisions)
        {
            return false;
        }

        var id = _entries[failedIndex - _firstIndex].Id;
        var highest = -1;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {_partition} and RowKey ge {id} and RowKey lt {id + "~~"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (AlertRows.OutboxSuffix(id, row.RowKey) is { } n)
            {
                highest = Math.Max(highest, n);
            }
        }

        var firstFree = Math.Max(highest + 1, _firstFree.GetValueOrDefault(id) + 1);
        _firstFree[id] = firstFree;
        var firstKey = AlertRows.OutboxRowKey(id, firstFree);
        Log.OutboxEntryAtSameInstant(_logger, _incidentKey, id, firstKey);

        foreach (var (i, rowKey) in RowKeys().Index())
        {
            if (_entries[i].Id == id)
            {
                actions[_firstIndex + i] = new TableTransactionAction(
                    TableTransactionActionType.Add, AlertRows.OutboxRow(_partition, rowKey, _entries[i]));
            }
        }

        return true;
    }

    private IEnumerable<string> RowKeys()
    {
        var next = new Dictionary<string, int>(_firstFree, StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            var n = next.GetValueOrDefault(entry.Id);
            next[entry.Id] = n + 1;
            yield return AlertRows.OutboxRowKey(entry.Id, n);
        }
    }
}
