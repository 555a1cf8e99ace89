using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Azure.Intake;

/// <summary>
/// The rows of an incident's partition in the Incidents table (DESIGN section 4) and back: the incident row
/// (<c>incident</c>), one row per delivery (<c>event~{first 32 hex of SHA-256 of the delivery key}</c>) and one per
/// recorded assessment (<c>assessment~{ticks:D19}</c>); the notification rows (<c>outbox~…</c>, <c>alert~…</c>,
/// <c>token~…</c>) share the partition (<c>Notifications.AlertRows</c>). Times are DateTime properties, enumerations
/// their names, lists and documents compact camelCase JSON, long text split across properties (<see cref="RowText"/>).
/// </summary>
internal static class IncidentRows
{
    public const string IncidentRowKey = "incident";
    public const string EventPrefix = "event~";
    public const string AssessmentPrefix = "assessment~";

    /// <summary>The row property that tells <see cref="IIncidentStore.ListOpenAsync"/> an incident is Open or Mitigated.</summary>
    public const string OpenProperty = "Open";

    /// <summary>The level crisis teams were last alerted at (<see cref="StoredIncident.AlertedLevel"/>); absent in rows older than it: None.</summary>
    public const string AlertedLevelProperty = "AlertedLevel";

    public const string LatestAssessmentOmitted = "LatestAssessmentOmitted";
    public const string AssessmentOmitted = "AssessmentOmitted";

    // A PartitionKey holds at most 1 KiB; longer incident keys are cut and made unique with a hash.
    private const int MaxPartitionKeyChars = 400;

    /// <summary>How lists and documents are written into row properties: compact camelCase JSON, nulls kept (the notification rows use it too).</summary>
    internal static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// The PartitionKey of an incident key. <see cref="IncidentKey"/> already escapes what Table keys forbid, so this
    /// is the key itself; a key that still holds a forbidden character has it escaped, and one too long for a
    /// PartitionKey is cut and suffixed with a hash of the whole key. The incident row keeps the key as it was.
    /// </summary>
    public static string PartitionKey(string incidentKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(incidentKey);
        var key = incidentKey.Any(Forbidden) ? EscapeForbidden(incidentKey) : incidentKey;
        if (key.Length <= MaxPartitionKeyChars)
        {
            return key;
        }

        var cut = char.IsHighSurrogate(key[MaxPartitionKeyChars - 1]) ? MaxPartitionKeyChars - 1 : MaxPartitionKeyChars;
        return key[..cut] + "~" + Hash(incidentKey);
    }

    public static string EventRowKey(string deliveryKey) => EventPrefix + Hash(deliveryKey);

    public static string AssessmentRowKey(DateTimeOffset at) => AssessmentPrefix + at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static TableEntity IncidentRow(string partitionKey, StoredIncident stored)
    {
        var incident = stored.Incident;
        var row = new TableEntity(partitionKey, IncidentRowKey)
        {
            ["Key"] = incident.Key,
            ["Source"] = CatalogNames.Name(incident.Source),
            ["Priority"] = incident.Priority.ToString(),
            ["Major"] = incident.Major,
            ["State"] = incident.State.ToString(),
            ["StartedAt"] = incident.StartedAt,
            ["Level"] = stored.Level.ToString(),
            [AlertedLevelProperty] = stored.AlertedLevel.ToString(),
            ["FirstSeen"] = stored.FirstSeen,
            ["LastUpdated"] = stored.LastUpdated,
            [OpenProperty] = incident.IsOpen,
        };
        if (stored.LastReceivedAt is { } lastReceived)
        {
            row["LastReceivedAt"] = lastReceived;
        }

        RowText.Set(row, "ExternalId", incident.ExternalId);
        RowText.Set(row, "Title", incident.Title);
        if (incident.EstimatedRestoreAt is { } eta)
        {
            row["EstimatedRestoreAt"] = eta;
        }

        RowText.Set(row, "Aliases", JsonSerializer.Serialize(incident.Aliases, RowJson));
        if (incident.OtherNames is { } otherNames)
        {
            RowText.Set(row, "OtherNames", JsonSerializer.Serialize(otherNames, RowJson));
        }

        RowText.Set(row, "Link", incident.Link);
        RowText.Set(row, "EventId", incident.EventId);
        RowText.Set(row, "SourcePriority", incident.SourcePriority);
        if (incident.Markers.Count > 0)
        {
            RowText.Set(row, "Markers", JsonSerializer.Serialize(incident.Markers, RowJson));
        }

        if (incident.ResolvedAt is { } resolvedAt)
        {
            row["ResolvedAt"] = resolvedAt;
        }

        if (incident.EarlierOutages.Count > 0)
        {
            RowText.Set(row, "EarlierOutages", JsonSerializer.Serialize(incident.EarlierOutages, RowJson));
        }

        if (incident.Exercise is { } exercise)
        {
            RowText.Set(row, "Exercise", JsonSerializer.Serialize(exercise, RowJson));
        }

        RowText.Set(row, "ArchivePaths", JsonSerializer.Serialize(stored.ArchivePaths, RowJson));
        EnsureFits(row, "The incident");

        if (stored.LatestAssessment is { } latest)
        {
            var json = JsonSerializer.Serialize(latest, RowJson);
            RowText.Set(row, "LatestAssessment", json);
            if (RowText.Size(row) > RowText.MaxEntityBytes)
            {
                RowText.Remove(row, "LatestAssessment");
                row[LatestAssessmentOmitted] =
                    $"The latest assessment ({json.Length} characters of JSON) does not fit in the incident row beside the incident; only its level is kept here.";
            }
        }

        return row;
    }

    public static StoredIncident ToStoredIncident(TableEntity row)
    {
        var source = RequiredString(row, "Source");
        var otherNames = FromJson<Dictionary<string, string>>(row, "OtherNames");
        var incident = new Incident(
            Key: row.GetString("Key") ?? row.PartitionKey,
            Source: CatalogNames.TryParseSource(source, out var s) ? s : throw Unreadable(row, "Source", source),
            ExternalId: RowText.Get(row, "ExternalId") ?? throw Unreadable(row, "ExternalId", null),
            Title: RowText.Get(row, "Title") ?? string.Empty,
            Priority: RequiredEnum<Priority>(row, "Priority"),
            Major: row.GetBoolean("Major") ?? false,
            State: RequiredEnum<IncidentState>(row, "State"),
            StartedAt: RequiredTime(row, "StartedAt"),
            EstimatedRestoreAt: row.GetDateTimeOffset("EstimatedRestoreAt"),
            Aliases: FromJson<List<string>>(row, "Aliases") ?? [],
            Link: RowText.Get(row, "Link"),
            EventId: RowText.Get(row, "EventId"),
            OtherNames: otherNames is null ? null : new Dictionary<string, string>(otherNames, StringComparer.OrdinalIgnoreCase))
        {
            SourcePriority = RowText.Get(row, "SourcePriority"),
            Markers = FromJson<List<string>>(row, "Markers") ?? [],
            EarlierOutages = FromJson<List<Outage>>(row, "EarlierOutages") ?? [],
            Exercise = FromJson<ExerciseMark>(row, "Exercise"),
        };
        if (!incident.IsOpen)
        {
            // Rows written before ResolvedAt was kept: a closed incident was resolved by its last delivery at the latest.
            incident = incident with { ResolvedAt = row.GetDateTimeOffset("ResolvedAt") ?? row.GetDateTimeOffset("LastReceivedAt") ?? RequiredTime(row, "LastUpdated") };
        }
        return new StoredIncident(
            incident,
            RequiredEnum<AssessmentLevel>(row, "Level"),
            FromJson<AssessmentDocument>(row, "LatestAssessment"),
            RequiredTime(row, "FirstSeen"),
            RequiredTime(row, "LastUpdated"),
            FromJson<List<string>>(row, "ArchivePaths") ?? [],
            row.ETag.ToString())
        {
            LastReceivedAt = row.GetDateTimeOffset("LastReceivedAt"),
            AlertedLevel = row.ContainsKey(AlertedLevelProperty) ? RequiredEnum<AssessmentLevel>(row, AlertedLevelProperty) : AssessmentLevel.None,
        };
    }

    /// <param name="partitionKey">The incident's partition.</param>
    /// <param name="delivery">The delivery.</param>
    /// <param name="appliedAt">When it was applied: the incident row's LastUpdated of the same write, so the log reads in the order it was applied.</param>
    public static TableEntity EventRow(string partitionKey, IncidentEvent delivery, DateTimeOffset appliedAt)
    {
        var row = new TableEntity(partitionKey, EventRowKey(delivery.DeliveryKey))
        {
            ["ReceivedAt"] = delivery.ReceivedAt,
            ["AppliedAt"] = appliedAt,
            ["Channel"] = delivery.Channel.ToString(),
            ["State"] = delivery.State.ToString(),
            ["Priority"] = delivery.Priority.ToString(),
        };
        RowText.Set(row, "DeliveryKey", delivery.DeliveryKey);
        RowText.Set(row, "ArchivePath", delivery.ArchivePath);
        RowText.Set(row, "Title", delivery.Title);
        EnsureFits(row, "The delivery's event");
        return row;
    }

    public static IncidentEvent ToEvent(TableEntity row) =>
        new(
            DeliveryKey: RowText.Get(row, "DeliveryKey") ?? throw Unreadable(row, "DeliveryKey", null),
            ReceivedAt: RequiredTime(row, "ReceivedAt"),
            Channel: RequiredEnum<IntakeChannel>(row, "Channel"),
            ArchivePath: RowText.Get(row, "ArchivePath") ?? string.Empty,
            State: RequiredEnum<IncidentState>(row, "State"),
            Priority: RequiredEnum<Priority>(row, "Priority"),
            Title: RowText.Get(row, "Title") ?? string.Empty);

    /// <summary>When an event row's delivery was applied to the incident.</summary>
    public static DateTimeOffset AppliedAt(TableEntity row) => row.GetDateTimeOffset("AppliedAt") ?? RequiredTime(row, "ReceivedAt");

    public static TableEntity AssessmentRow(string partitionKey, string rowKey, AssessmentEntry entry)
    {
        var row = new TableEntity(partitionKey, rowKey)
        {
            ["At"] = entry.At,
            ["Level"] = entry.Level.ToString(),
        };
        var json = JsonSerializer.Serialize(entry.Assessment, RowJson);
        RowText.Set(row, "Assessment", json);
        if (RowText.Size(row) > RowText.MaxEntityBytes)
        {
            RowText.Remove(row, "Assessment");
            row[AssessmentOmitted] = $"The assessment ({json.Length} characters of JSON) does not fit in one table row; only its level and time are kept.";
        }

        return row;
    }

    /// <param name="row">The assessment row.</param>
    /// <param name="incident">The incident it belongs to, to stand in for an assessment too large to have been stored.</param>
    public static AssessmentEntry ToAssessment(TableEntity row, Incident incident)
    {
        var at = RequiredTime(row, "At");
        var level = RequiredEnum<AssessmentLevel>(row, "Level");
        var document = FromJson<AssessmentDocument>(row, "Assessment")
            ?? new AssessmentDocument(
                level.ToString(),
                AssessmentJson.ToDocument(incident),
                AssessmentJson.Time(at),
                [],
                [],
                [],
                [row.GetString(AssessmentOmitted) ?? "The assessment was not stored; only its level and time are kept."]);
        return new AssessmentEntry(at, level, document);
    }

    /// <summary>
    /// Refuses a write whose incident has a time outside <see cref="IncidentTimes"/>, or any row of which holds a time
    /// Table Storage cannot keep (before 1601-01-01 or after 9999-12-31 UTC; Azurite keeps them, Azure does not), as a
    /// problem with the payload rather than a failed request to storage: a path that skips the parsers is held to them too.
    /// Values and rows too big for Table Storage (a string over 32 Ki characters, a row over 1 MiB) are refused the same way.
    /// </summary>
    public static void EnsureKeepable(Incident incident, IEnumerable<TableTransactionAction> actions)
    {
        var problems = new List<ValidationProblem>();
        foreach (var (name, time) in new[] { ("startedAt", (DateTimeOffset?)incident.StartedAt), ("estimatedRestoreAt", incident.EstimatedRestoreAt) })
        {
            if (time is { } t && !IncidentTimes.Contains(t))
            {
                problems.Add(new ValidationProblem("body", $"the incident's {name}: {IncidentTimes.Outside(t)}"));
            }
        }

        if (problems.Count > 0)
        {
            // The incident row holds the same times: say each once.
            throw new HubValidationException(problems);
        }

        foreach (var action in actions)
        {
            if (action.Entity is not TableEntity row)
            {
                continue;
            }

            foreach (var (name, value) in row)
            {
                var time = value switch
                {
                    DateTimeOffset o => o,
                    DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                    _ => (DateTimeOffset?)null,
                };
                // Table Storage keeps times up to DateTimeOffset.MaxValue, so only the lower end can be out of reach.
                if (time is { } t && t < IncidentTimes.Earliest)
                {
                    problems.Add(new ValidationProblem("body", $"{name} of row '{row.RowKey}': {IncidentTimes.Outside(t)}"));
                }
            }
        }

        problems.AddRange(TooBig(actions));
        if (problems.Count > 0)
        {
            throw new HubValidationException(problems);
        }
    }

    /// <summary>What storage would refuse for size: a string value over 32 Ki characters, a row over 1 MiB.</summary>
    private static IEnumerable<ValidationProblem> TooBig(IEnumerable<TableTransactionAction> actions)
    {
        foreach (var action in actions)
        {
            if (action.Entity is not TableEntity row)
            {
                continue;
            }

            foreach (var (name, value) in row)
            {
                if (value is string text && text.Length > RowText.MaxPropertyChars)
                {
                    yield return new ValidationProblem(
                        "body",
                        string.Create(CultureInfo.InvariantCulture, $"the incident's {Describe(name)} is {text.Length} characters; the hub keeps at most {RowText.MaxPropertyChars} in one value"));
                }
            }

            var size = RowText.Size(row);
            if (size > RowText.MaxEntityBytes)
            {
                yield return new ValidationProblem(
                    "body",
                    string.Create(CultureInfo.InvariantCulture, $"the incident is too big to keep: its row '{row.RowKey}' would be {size} bytes, more than the {RowText.MaxEntityBytes} a row holds (long titles, aliases or estimates?)"));
            }
        }
    }

    private static string Describe(string property) => property switch
    {
        "Key" => "key (the source's id)",
        _ => property,
    };

    private static void EnsureFits(TableEntity row, string what)
    {
        var size = RowText.Size(row);
        if (size > RowText.MaxEntityBytes)
        {
            throw new HubValidationException(
                "body",
                $"{what} is too large to store ({size} bytes as a table row, at most {RowText.MaxEntityBytes}): its title, aliases or link are too long.");
        }
    }

    /// <summary>32 hex digits of the SHA-256 of <paramref name="value"/> (UTF-8): a short, stable stand-in in keys.</summary>
    internal static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    private static bool Forbidden(char c) => c is '/' or '\\' or '#' or '?' || char.IsControl(c);

    private static string EscapeForbidden(string key)
    {
        var builder = new StringBuilder(key.Length + 16);
        foreach (var c in key)
        {
            if (Forbidden(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
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
            return JsonSerializer.Deserialize<T>(json, RowJson);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Incidents row '{row.PartitionKey}'/'{row.RowKey}': {name} is not the JSON expected.", exception);
        }
    }

    private static string RequiredString(TableEntity row, string name) => row.GetString(name) ?? throw Unreadable(row, name, null);

    private static DateTimeOffset RequiredTime(TableEntity row, string name) => row.GetDateTimeOffset(name) ?? throw Unreadable(row, name, null);

    private static T RequiredEnum<T>(TableEntity row, string name)
        where T : struct, Enum
    {
        var text = RequiredString(row, name);
        return Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : throw Unreadable(row, name, text);
    }

    private static InvalidDataException Unreadable(TableEntity row, string name, string? value) =>
        new(value is null
            ? $"Incidents row '{row.PartitionKey}'/'{row.RowKey}' has no {name}."
            : $"Incidents row '{row.PartitionKey}'/'{row.RowKey}': {name} '{value}' is not readable.");
}
