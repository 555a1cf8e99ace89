using System.Globalization;
using System.Text;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Reactions;

/// <summary>The record an incident came from, as its source's API names it (a ServiceNow sys_id, a Jira key, a PagerDuty incident id, an Opsgenie alert id).</summary>
public sealed record SourceRecord(AliasSource Source, string Id);

/// <summary>
/// Writes a note back to the record an incident came from (a ServiceNow work note, a Jira internal comment, a
/// PagerDuty incident note, an Opsgenie alert note). Implemented over HTTP by <c>HttpWriteBackGateway</c>, and by
/// <c>hub serve</c>'s reactions sink.
/// </summary>
public interface IWriteBackGateway
{
    /// <summary>Whether write-back to <paramref name="source"/> is on; a source without its settings is off, never a delivery problem.</summary>
    bool IsOn(AliasSource source);

    /// <summary>
    /// Adds <paramref name="text"/> to the record; returns what the source calls the note, when it says. A refusal is a
    /// <c>TeamsDeliveryException</c> (transient for 408, 429 and 5xx, for good otherwise), as for Teams.
    /// </summary>
    /// <param name="fields">
    /// ServiceNow only: more incident fields set in the same request as the note (<see cref="WriteBackNote.Fields"/>);
    /// the other sources have none.
    /// </param>
    Task<string?> AddNoteAsync(SourceRecord record, string text, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? fields = null);
}

/// <summary>The note written back to the source record: short, and the same for every source.</summary>
public static class WriteBackNote
{
    /// <summary>
    /// Whether the entry writes back to <paramref name="record"/>: a note for every entry that <see cref="Writes(OutboxEntry)"/>;
    /// for an Azure Monitor alert (an alert resource id) only the acknowledgement, which sets its state to Acknowledged.
    /// </summary>
    public static bool Writes(OutboxEntry entry, SourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(record);
        return record.Source == AliasSource.AzureMonitor
            ? entry.Kind == OutboxKind.Acknowledged && IsAlertResource(record.Id)
            : Writes(entry);
    }

    /// <summary>An Azure Monitor alert's resource id (<c>/subscriptions/{id}/providers/Microsoft.AlertsManagement/alerts/{id}</c>), as the common alert schema's <c>alertId</c> gives it.</summary>
    public static bool IsAlertResource(string id) =>
        id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
        && id.Contains("/providers/Microsoft.AlertsManagement/alerts/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The outbox kinds that write a note back: a change of level at or above Alert, a decision, the stand-down.</summary>
    public static bool Writes(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Kind switch
        {
            OutboxKind.Alert or OutboxKind.LevelChange => entry.Level >= AssessmentLevel.Alert,
            OutboxKind.StandDown or OutboxKind.Acknowledged or OutboxKind.Invoked or OutboxKind.StoodDown => true,
            _ => false,
        };
    }

    /// <summary>
    /// The ServiceNow fields set beside the note (<see cref="Policy.ServiceNowFields"/>, each
    /// <see cref="Policy.LevelPlaceholder"/> the entry's level): for a ServiceNow record, on a change of level at or
    /// above Alert only; null for a decision, the stand-down, another source, or a policy that names none.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Fields(OutboxEntry entry, SourceRecord record, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(policy);
        if (record.Source != AliasSource.ServiceNow
            || entry.Kind is not (OutboxKind.Alert or OutboxKind.LevelChange)
            || entry.Level < AssessmentLevel.Alert
            || policy.ServiceNowFields.Count == 0)
        {
            return null;
        }

        var level = entry.Level.ToString();
        return policy.ServiceNowFields.ToDictionary(f => f.Key, f => f.Value.Replace(Policy.LevelPlaceholder, level, StringComparison.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// <c>ContinuityHub: Invoke — plans dr-payments, cmp-bank; latest safe invocation 2026-11-24 13:25 UTC. Invoked by
    /// James Whitfield at 2026-11-24 10:41 UTC. https://hub.example/api/incidents/…</c>
    /// </summary>
    /// <param name="entry">The outbox entry: its kind, level, plans and actor.</param>
    /// <param name="latestSafeInvocation">The earliest latest-safe-invocation time of the impacted services, when known.</param>
    /// <param name="link">The incident in the hub, when the hub knows its public address.</param>
    public static string Text(OutboxEntry entry, DateTimeOffset? latestSafeInvocation, Uri? link)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder("ContinuityHub: ");
        text.Append(entry.Kind switch
        {
            OutboxKind.StandDown => "stand-down (the incident is resolved)",
            OutboxKind.Acknowledged => "alert acknowledged",
            OutboxKind.Invoked => "continuity plan invoked",
            OutboxKind.StoodDown => "crisis team stood down",
            _ => "level " + entry.Level,
        });
        if (entry.Plans.Count > 0)
        {
            text.Append(entry.Plans.Count == 1 ? " — plan " : " — plans ").AppendJoin(", ", entry.Plans);
        }

        if (latestSafeInvocation is { } latest && entry.Kind is OutboxKind.Alert or OutboxKind.LevelChange or OutboxKind.Acknowledged)
        {
            text.Append(CultureInfo.InvariantCulture, $"; latest safe invocation {Utc(latest)}");
        }

        text.Append('.');
        if (entry.Kind is OutboxKind.Acknowledged or OutboxKind.Invoked or OutboxKind.StoodDown)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Decision(entry.Kind)} by {entry.Actor ?? "the hub"} at {Utc(entry.At)}.");
        }

        if (link is not null)
        {
            text.Append(' ').Append(link.AbsoluteUri);
        }

        return text.ToString();
    }

    private static string Decision(OutboxKind kind) => kind switch
    {
        OutboxKind.Acknowledged => "Acknowledged",
        OutboxKind.Invoked => "Invoked",
        _ => "Stood down",
    };

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
