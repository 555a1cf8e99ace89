using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// The notification rows of an incident's partition in the Incidents table and back: one per plan alerted
/// (<c>alert~{plan}</c>), the outbox (<c>outbox~{ticks:D19}</c>, suffixed <c>~{n:D6}</c> when ticks are shared) and
/// the decision tokens used (<c>token~{nonce}</c>). Times are DateTime properties, enumerations their names, lists
/// compact camelCase JSON, text that may grow long split across properties (<see cref="RowText"/>).
/// </summary>
internal static class AlertRows
{
    public const string AlertPrefix = "alert~";
    public const string OutboxPrefix = "outbox~";
    public const string TokenPrefix = "token~";
    public const string RunPrefix = "automation~";

    /// <summary>A run's <see cref="AutomationRun.CallbackDue"/>, present only while the hub waits for a callback, so the overdue query reads only what may be due.</summary>
    public const string CallbackDueProperty = "CallbackDue";

    /// <summary>An alert's <see cref="PlanAlert.NextEscalationAt"/>, present only when set, so the due query reads only what may be due.</summary>
    public const string EscalationDueProperty = "EscalationDue";

    public const string DoneProperty = "Done";

    /// <summary>How many times a sender claimed an outbox entry (absent on rows stored before claims were counted).</summary>
    public const string ClaimsProperty = "Claims";

    // Key parts are escaped to [A-Za-z0-9-._%], all below '~': every key of a kind sorts in [prefix, prefix + "~").
    private const string RangeEnd = "~";

    // A RowKey holds at most 1 KiB; longer parts are cut and made unique with a hash.
    private const int MaxKeyPartChars = 400;

    /// <summary>
    /// <paramref name="value"/> as part of a key: percent-encoded (UTF-8) except ASCII letters, digits, '-', '.' and
    /// '_', so it holds nothing Table keys forbid and sorts below '~'; cut and suffixed with a hash when too long.
    /// </summary>
    public static string KeyPart(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var escaped = Uri.EscapeDataString(value).Replace("~", "%7E", StringComparison.Ordinal);
        return escaped.Length <= MaxKeyPartChars ? escaped : escaped[..(MaxKeyPartChars - 33)] + "-" + IncidentRows.Hash(value);
    }

    /// <summary>The filter of a kind's rows: RowKey from <paramref name="prefix"/> (inclusive) to <paramref name="prefix"/> + '~' (exclusive).</summary>
    public static string RangeFilter(string prefix) =>
        TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {prefix + RangeEnd}");

    public static string AlertRowKey(string plan) => AlertPrefix + KeyPart(plan);

    public static string TokenRowKey(string nonce) => TokenPrefix + KeyPart(nonce);

    /// <summary>The RowKey of a plan's automation run: <c>automation~{plan}~{id}</c>, both escaped (so the '~' between them is unambiguous).</summary>
    public static string RunRowKey(string plan, string automation) => RunPrefix + KeyPart(plan) + "~" + KeyPart(automation);

    public static TableEntity RunRow(string partitionKey, AutomationRun run)
    {
        var row = new TableEntity(partitionKey, RunRowKey(run.Plan, run.Automation))
        {
            ["IncidentKey"] = run.IncidentKey,
            ["Plan"] = run.Plan,
            ["Automation"] = run.Automation,
            ["On"] = run.On.ToString(),
            ["EntryId"] = run.EntryId,
            ["EventId"] = run.EventId,
            ["RequestedAt"] = run.RequestedAt,
            ["Overdue"] = run.Overdue,
        };
        SetTime(row, "SentAt", run.SentAt);
        SetTime(row, CallbackDueProperty, run.CallbackDue);
        RowText.Set(row, "Reports", JsonSerializer.Serialize(run.Reports.Select(r => new ReportJson(r.Status, r.At, r.Message, r.Link?.AbsoluteUri)), IncidentRows.RowJson));
        return row;
    }

    public static AutomationRun ToRun(TableEntity row) =>
        new(
            IncidentKey: RequiredString(row, "IncidentKey"),
            Plan: RequiredString(row, "Plan"),
            Automation: RequiredString(row, "Automation"),
            On: RequiredEnum<AutomationTrigger>(row, "On"),
            EntryId: RequiredString(row, "EntryId"),
            EventId: RequiredString(row, "EventId"),
            RequestedAt: RequiredTime(row, "RequestedAt"),
            SentAt: row.GetDateTimeOffset("SentAt"),
            CallbackDue: row.GetDateTimeOffset(CallbackDueProperty),
            Reports: [.. (FromJson<List<ReportJson>>(row, "Reports") ?? []).Select(r => new AutomationReport(r.Status, r.At, r.Message, r.Link is null ? null : new Uri(r.Link)))],
            Overdue: row.GetBoolean("Overdue") ?? false,
            ETag: row.ETag.ToString());

    /// <summary>The row key of the <paramref name="n"/>-th entry sharing the id <paramref name="id"/> (0: the id itself).</summary>
    public static string OutboxRowKey(string id, int n) =>
        n == 0 ? id : string.Create(CultureInfo.InvariantCulture, $"{id}~{n:D6}");

    /// <summary>The suffix number of <paramref name="rowKey"/> as <see cref="OutboxRowKey"/> made it from <paramref name="id"/>; null when it did not.</summary>
    public static int? OutboxSuffix(string id, string rowKey)
    {
        if (rowKey == id)
        {
            return 0;
        }

        return rowKey.StartsWith(id + "~", StringComparison.Ordinal)
            && int.TryParse(rowKey.AsSpan(id.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
    }

    public static TableEntity AlertRow(string partitionKey, PlanAlert alert)
    {
        var row = new TableEntity(partitionKey, AlertRowKey(alert.Plan))
        {
            ["IncidentKey"] = alert.IncidentKey,
            ["Plan"] = alert.Plan,
            ["Level"] = alert.Level.ToString(),
            ["Status"] = alert.Status.ToString(),
        };
        RowText.Set(row, "MessageId", alert.MessageId);
        RowText.Set(row, "MessageUrl", alert.MessageUrl);
        RowText.Set(row, "BridgeUrl", alert.BridgeUrl);
        RowText.Set(row, "WarRoomUrl", alert.WarRoomUrl);
        RowText.Set(row, "Paged", JsonSerializer.Serialize(alert.Paged, IncidentRows.RowJson));
        SetTime(row, EscalationDueProperty, alert.NextEscalationAt);
        RowText.Set(row, "AcknowledgedBy", alert.AcknowledgedBy);
        SetTime(row, "AcknowledgedAt", alert.AcknowledgedAt);
        RowText.Set(row, "DecidedBy", alert.DecidedBy);
        SetTime(row, "DecidedAt", alert.DecidedAt);
        RowText.Set(row, "DeliveryProblem", alert.DeliveryProblem);
        return row;
    }

    public static PlanAlert ToAlert(TableEntity row) =>
        new(
            IncidentKey: RequiredString(row, "IncidentKey"),
            Plan: RequiredString(row, "Plan"),
            Level: RequiredEnum<AssessmentLevel>(row, "Level"),
            Status: RequiredEnum<AlertStatus>(row, "Status"),
            MessageId: RowText.Get(row, "MessageId"),
            MessageUrl: RowText.Get(row, "MessageUrl"),
            BridgeUrl: RowText.Get(row, "BridgeUrl"),
            WarRoomUrl: RowText.Get(row, "WarRoomUrl"),
            Paged: FromJson<List<PagedTier>>(row, "Paged") ?? [],
            NextEscalationAt: row.GetDateTimeOffset(EscalationDueProperty),
            AcknowledgedBy: RowText.Get(row, "AcknowledgedBy"),
            AcknowledgedAt: row.GetDateTimeOffset("AcknowledgedAt"),
            DecidedBy: RowText.Get(row, "DecidedBy"),
            DecidedAt: row.GetDateTimeOffset("DecidedAt"),
            DeliveryProblem: RowText.Get(row, "DeliveryProblem"),
            ETag: row.ETag.ToString());

    /// <param name="partitionKey">The incident's partition.</param>
    /// <param name="rowKey">The entry's row key: its <see cref="OutboxEntry.Id"/>, or that id suffixed when the id is taken.</param>
    /// <param name="entry">The entry.</param>
    public static TableEntity OutboxRow(string partitionKey, string rowKey, OutboxEntry entry)
    {
        var row = new TableEntity(partitionKey, rowKey)
        {
            ["IncidentKey"] = entry.IncidentKey,
            ["At"] = entry.At,
            ["Kind"] = entry.Kind.ToString(),
            ["Level"] = entry.Level.ToString(),
            ["Tier"] = entry.Tier,
            ["Attempts"] = entry.Attempts,
            [DoneProperty] = entry.Done,
        };
        RowText.Set(row, "Plans", JsonSerializer.Serialize(entry.Plans, IncidentRows.RowJson));
        RowText.Set(row, "Actor", entry.Actor);
        RowText.Set(row, "LastError", entry.LastError);
        SetTime(row, "ClaimedUntil", entry.ClaimedUntil);
        RowText.Set(row, "Automation", entry.Automation);
        if (entry.Status is { } status)
        {
            row["Status"] = status.ToString();
        }

        // A new entry (no ETag: it is added) starts unclaimed; an entry stored before claims were counted stays unknown.
        if ((entry.Claims ?? (entry.ETag is null ? 0 : null)) is { } claims)
        {
            row[ClaimsProperty] = claims;
        }

        return row;
    }

    public static OutboxEntry ToOutboxEntry(TableEntity row) =>
        new(
            IncidentKey: RequiredString(row, "IncidentKey"),
            Id: row.RowKey,
            At: RequiredTime(row, "At"),
            Kind: RequiredEnum<OutboxKind>(row, "Kind"),
            Level: RequiredEnum<AssessmentLevel>(row, "Level"),
            Plans: FromJson<List<string>>(row, "Plans") ?? [],
            Actor: RowText.Get(row, "Actor"),
            Tier: row.GetInt32("Tier") ?? 0,
            ETag: row.ETag.ToString())
        {
            Attempts = row.GetInt32("Attempts") ?? 0,
            LastError = RowText.Get(row, "LastError"),
            ClaimedUntil = row.GetDateTimeOffset("ClaimedUntil"),
            Done = row.GetBoolean(DoneProperty) ?? false,
            Claims = row.GetInt32(ClaimsProperty),
            Automation = RowText.Get(row, "Automation"),
            Status = row.GetString("Status") is { } status ? RequiredEnum<AutomationStatus>(row, "Status") : null,
        };

    public static TableEntity TokenRow(string partitionKey, ConsumedToken token)
    {
        var row = new TableEntity(partitionKey, TokenRowKey(token.Nonce))
        {
            ["Nonce"] = token.Nonce,
            ["Plan"] = token.Plan,
            ["Action"] = token.Action.ToString(),
            ["UsedAt"] = token.UsedAt,
        };
        RowText.Set(row, "UsedBy", token.UsedBy);
        return row;
    }

    public static ConsumedToken ToToken(TableEntity row) =>
        new(
            Nonce: RequiredString(row, "Nonce"),
            Plan: RequiredString(row, "Plan"),
            Action: RequiredEnum<DecisionAction>(row, "Action"),
            UsedBy: RowText.Get(row, "UsedBy") ?? string.Empty,
            UsedAt: RequiredTime(row, "UsedAt"));

    public static string RequiredString(TableEntity row, string name) => row.GetString(name) ?? throw Unreadable(row, name, null);

    public static DateTimeOffset RequiredTime(TableEntity row, string name) => row.GetDateTimeOffset(name) ?? throw Unreadable(row, name, null);

    public static T RequiredEnum<T>(TableEntity row, string name)
        where T : struct, Enum
    {
        var text = RequiredString(row, name);
        return Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : throw Unreadable(row, name, text);
    }

    public static void SetTime(TableEntity row, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            row[name] = time;
        }
    }

    private static T? FromJson<T>(TableEntity row, string name)
        where T : class
    {
        if (RowText.Get(row, name) is not { } json)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, IncidentRows.RowJson);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Row '{row.PartitionKey}'/'{row.RowKey}': {name} is not the JSON expected.", exception);
        }
    }


    private sealed record ReportJson(AutomationStatus Status, DateTimeOffset At, string? Message, string? Link);

    private static InvalidDataException Unreadable(TableEntity row, string name, string? value) =>
        new(value is null
            ? $"Row '{row.PartitionKey}'/'{row.RowKey}' has no {name}."
            : $"Row '{row.PartitionKey}'/'{row.RowKey}': {name} '{value}' is not readable.");
}
