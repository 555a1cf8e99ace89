using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using Azure.Data.Tables;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// The catalogue as Table Storage rows and back (DESIGN section 4). Durations are ISO 8601 strings, dates
/// <c>yyyy-MM-dd</c> strings, times ISO 8601 strings with their offset, enums their names, lists and nested records
/// compact camelCase JSON; every Services, Plans, Exercises and Maintenance row carries its index in the catalogue as <c>Order</c>.
/// </summary>
internal static class CatalogRows
{
    public const string ServicePartition = "service";
    public const string PlanPartition = "plan";
    public const string PolicyPartition = "policy";
    public const string PolicyRow = "current";
    public const string MaintenancePartition = "maintenance";
    public const string ApiMaintenancePartition = "api";

    private const string DateFormat = "yyyy-MM-dd";

    // The offset as given (a weekly window's hours are on a time zone's clock; a one-off's on the clock it was written in).
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static TableEntity ServiceRow(BusinessService service, int order)
    {
        var row = new TableEntity(ServicePartition, TableKeys.Escape(service.Id))
        {
            ["Name"] = service.Name,
            ["Tier"] = service.Tier,
            ["Rto"] = Duration(service.Rto),
            ["Rpo"] = Duration(service.Rpo),
            ["Mtpd"] = Duration(service.Mtpd),
            ["Owner"] = service.Owner,
            ["DependsOn"] = ToJson(service.DependsOn),
            ["Aliases"] = ToJson(service.Aliases
                .OrderBy(pair => pair.Key)
                .ToDictionary(pair => pair.Key.ToString(), pair => pair.Value, StringComparer.Ordinal)),
            ["Order"] = order,
        };
        SetIfNotNull(row, "BiaReviewed", Date(service.BiaReviewed));

        // Absent when there are none, so a service without heartbeats is stored as it was before they existed.
        if (service.Heartbeats.Count > 0)
        {
            row["Heartbeats"] = ToJson(service.Heartbeats.Select(h => new HeartbeatJson(h.Name, Duration(h.Every), Duration(h.Grace))));
        }

        return row;
    }

    public static BusinessService ToService(TableEntity row)
    {
        var aliases = FromJson<Dictionary<string, List<string>>>(row, "Aliases") ?? [];
        return new BusinessService(
            Id: TableKeys.Unescape(row.RowKey),
            Name: RequiredString(row, "Name"),
            Tier: RequiredInt(row, "Tier"),
            Rto: RequiredDuration(row, "Rto"),
            Rpo: RequiredDuration(row, "Rpo"),
            Mtpd: RequiredDuration(row, "Mtpd"),
            Owner: RequiredString(row, "Owner"),
            DependsOn: FromJson<List<string>>(row, "DependsOn") ?? [],
            Aliases: aliases.ToDictionary(
                pair => Enum.Parse<AliasSource>(pair.Key, ignoreCase: true),
                pair => (IReadOnlyList<string>)pair.Value),
            BiaReviewed: OptionalDate(row, "BiaReviewed"))
        {
            Heartbeats = (FromJson<List<HeartbeatJson>>(row, "Heartbeats") ?? [])
                .Select(h => new HeartbeatDeclaration(h.Name, ParseDuration(row, "Heartbeats", h.Every), ParseDuration(row, "Heartbeats", h.Grace)))
                .ToList(),
        };
    }

    /// <summary>The Aliases index rows of <paramref name="services"/>: one per normalized alias per source.</summary>
    public static IReadOnlyList<TableEntity> AliasRows(IReadOnlyList<BusinessService> services)
    {
        var rows = new Dictionary<(string Partition, string Row), TableEntity>();
        var problems = new List<ValidationProblem>();
        foreach (var service in services)
        {
            foreach (var (source, aliases) in service.Aliases.OrderBy(pair => pair.Key))
            {
                foreach (var alias in aliases)
                {
                    var key = (TableKeys.AliasPartition(source), TableKeys.AliasRowKey(source, alias));
                    if (rows.TryGetValue(key, out var existing))
                    {
                        var owner = existing.GetString("ServiceId");
                        if (owner != service.Id)
                        {
                            problems.Add(new ValidationProblem(
                                $"services.{service.Id}.aliases.{key.Item1}",
                                $"'{alias}' is already an alias of service '{owner}'; an alias can lead to one service only."));
                        }

                        continue;
                    }

                    rows.Add(key, new TableEntity(key.Item1, key.Item2)
                    {
                        ["ServiceId"] = service.Id,
                        ["Alias"] = alias,
                    });
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new HubValidationException(problems);
        }

        return [.. rows.Values];
    }

    public static TableEntity PlanRow(ContinuityPlan plan, int order)
    {
        var row = new TableEntity(PlanPartition, TableKeys.Escape(plan.Id))
        {
            ["Title"] = plan.Title,
            ["Type"] = plan.Type.ToString(),
            ["Version"] = plan.Version,
            ["Status"] = plan.Status.ToString(),
            ["Owner"] = plan.Owner,
            ["Services"] = ToJson(plan.Services),
            ["RecoveryTime"] = Duration(plan.RecoveryTime),
            ["AutoInvoke"] = plan.AutoInvoke,
            ["LastReviewed"] = Date(plan.LastReviewed),
            ["NextReview"] = Date(plan.NextReview),
            ["Documents"] = ToJson(plan.Documents.Select(d => new DocumentJson(d.Path, d.Sha256))),
            ["Order"] = order,
        };
        if (plan.CrisisTeam is { } team)
        {
            row["CrisisTeam"] = ToJson(new CrisisTeamJson(team.TeamId, team.ChannelId, Duration(team.EscalationDelay), team.Tiers));
        }

        // Absent when there are none, so a plan without automations is stored as it was before they existed.
        if (plan.Automations.Count > 0)
        {
            row["Automations"] = ToJson(plan.Automations.Select(a => new AutomationJson(a.Id, a.On, a.Kind, a.Url, a.UrlSecret, a.Entity, a.SigningSecret, Duration(a.Timeout))));
        }

        return row;
    }

    public static ContinuityPlan ToPlan(TableEntity row)
    {
        var team = FromJson<CrisisTeamJson>(row, "CrisisTeam");
        return new ContinuityPlan(
            Id: TableKeys.Unescape(row.RowKey),
            Title: RequiredString(row, "Title"),
            Type: RequiredEnum<PlanType>(row, "Type"),
            Version: RequiredString(row, "Version"),
            Status: RequiredEnum<PlanStatus>(row, "Status"),
            Owner: RequiredString(row, "Owner"),
            Services: FromJson<List<string>>(row, "Services") ?? [],
            RecoveryTime: RequiredDuration(row, "RecoveryTime"),
            AutoInvoke: row.GetBoolean("AutoInvoke") ?? false,
            LastReviewed: RequiredDate(row, "LastReviewed"),
            NextReview: RequiredDate(row, "NextReview"),
            CrisisTeam: team is null
                ? null
                : new CrisisTeam(team.TeamId, team.ChannelId, ParseDuration(row, "CrisisTeam", team.EscalationDelay), team.Tiers ?? []),
            Documents: (FromJson<List<DocumentJson>>(row, "Documents") ?? []).Select(d => new PlanDocument(d.Path, d.Sha256)).ToList())
        {
            Automations = (FromJson<List<AutomationJson>>(row, "Automations") ?? [])
                .Select(a => new PlanAutomation(a.Id, a.On, a.Kind, a.Url, a.UrlSecret, a.Entity, a.SigningSecret, ParseDuration(row, "Automations", a.Timeout)))
                .ToList(),
        };
    }

    public static TableEntity ExerciseRow(Exercise exercise, int order)
    {
        var row = new TableEntity(TableKeys.Escape(exercise.Plan), TableKeys.Escape(exercise.Id))
        {
            ["Plan"] = exercise.Plan,
            ["Type"] = exercise.Type.ToString(),
            ["Scheduled"] = Date(exercise.Scheduled),
            ["Findings"] = ToJson(exercise.Findings.Select(f => new FindingJson(f.Id, f.Text, f.Owner, f.Due, f.Closed))),
            ["Order"] = order,
        };
        SetIfNotNull(row, "Completed", Date(exercise.Completed));
        SetIfNotNull(row, "Result", exercise.Result?.ToString());
        SetIfNotNull(row, "AchievedRecovery", exercise.AchievedRecovery is { } achieved ? Duration(achieved) : null);

        // Absent when empty or false, so rows written before exercises could be played load as they did. A long value
        // goes in parts (Scenario0, Scenario1, …): one string property holds 32 Ki characters, a scenario up to 60 000.
        if (exercise.Scenario.Count > 0)
        {
            RowText.Set(row, "Scenario", ScenarioJson.Write(exercise.Scenario));
        }

        if (exercise.Decisions.Count > 0)
        {
            RowText.Set(row, "Decisions", ToJson(exercise.Decisions.Select(d => new DecisionJson(Duration(d.At), d.Action, d.Plan, d.By))));
        }

        if (exercise.Participants.Count > 0)
        {
            RowText.Set(row, "Participants", ToJson(exercise.Participants));
        }

        if (exercise.LiveAutomations)
        {
            row["LiveAutomations"] = true;
        }

        return row;
    }

    public static Exercise ToExercise(TableEntity row) =>
        new(
            Id: TableKeys.Unescape(row.RowKey),
            Plan: row.GetString("Plan") ?? TableKeys.Unescape(row.PartitionKey),
            Type: RequiredEnum<ExerciseType>(row, "Type"),
            Scheduled: RequiredDate(row, "Scheduled"),
            Completed: OptionalDate(row, "Completed"),
            Result: row.GetString("Result") is { } result ? ParseEnum<ExerciseResult>(row, "Result", result) : null,
            AchievedRecovery: row.GetString("AchievedRecovery") is { } achieved ? ParseDuration(row, "AchievedRecovery", achieved) : null,
            Findings: (FromJson<List<FindingJson>>(row, "Findings") ?? [])
                .Select(f => new Finding(f.Id, f.Text, f.Owner, f.Due, f.Closed))
                .ToList())
        {
            Scenario = ReadScenario(row),
            Decisions = (FromJson<List<DecisionJson>>(row, "Decisions") ?? [])
                .Select(d => new ScriptedDecision(ParseDuration(row, "Decisions", d.At), d.Action, d.Plan, d.By))
                .ToList(),
            Participants = FromJson<List<string>>(row, "Participants") ?? [],
            LiveAutomations = row.GetBoolean("LiveAutomations") ?? false,
        };

    private static IReadOnlyList<ExerciseInject> ReadScenario(TableEntity row)
    {
        if (RowText.Get(row, "Scenario") is not { } text)
        {
            return [];
        }

        try
        {
            return ScenarioJson.Read(text);
        }
        catch (FormatException exception)
        {
            throw Unreadable(row, "Scenario", exception.Message, exception);
        }
    }

    public static TableEntity MaintenanceRow(MaintenanceWindow window, int order)
    {
        var row = new TableEntity(MaintenancePartition, TableKeys.Escape(window.Id))
        {
            ["Services"] = ToJson(window.Services),
            ["Reason"] = window.Reason,
            ["ApprovedBy"] = window.ApprovedBy,
            ["Order"] = order,
        };
        SetIfNotNull(row, "Start", window.Start?.ToString(TimestampFormat, CultureInfo.InvariantCulture));
        SetIfNotNull(row, "End", window.End?.ToString(TimestampFormat, CultureInfo.InvariantCulture));
        if (window.Weekly is { } weekly)
        {
            row["Weekly"] = ToJson(new WeeklyJson(weekly.Days, weekly.From, weekly.To, weekly.TimeZone, weekly.OnHolidays ? true : null));
        }

        return row;
    }

    public static MaintenanceWindow ToMaintenanceWindow(TableEntity row)
    {
        var weekly = FromJson<WeeklyJson>(row, "Weekly");
        return new MaintenanceWindow(
            Id: TableKeys.Unescape(row.RowKey),
            Services: FromJson<List<string>>(row, "Services") ?? [],
            Start: OptionalTimestamp(row, "Start"),
            End: OptionalTimestamp(row, "End"),
            Weekly: weekly is null ? null : new WeeklyWindow(weekly.Days ?? [], weekly.From, weekly.To, weekly.TimeZone) { OnHolidays = weekly.Holidays ?? false },
            Reason: RequiredString(row, "Reason"),
            ApprovedBy: RequiredString(row, "ApprovedBy"));
    }

    /// <summary>An API window's row: partition <c>api</c>, no <c>Order</c> (they follow the catalogue's, by id).</summary>
    public static TableEntity ApiMaintenanceRow(MaintenanceWindow window)
    {
        var row = MaintenanceRow(window, 0);
        row.PartitionKey = ApiMaintenancePartition;
        row.Remove("Order");
        return row;
    }

    /// <summary>The windows of the Maintenance table: the catalogue's in catalogue order, then the API's by id.</summary>
    public static List<MaintenanceWindow> MaintenanceInOrder(IEnumerable<TableEntity> rows) =>
        [.. MaintenanceRowsInOrder(rows).Select(ToMaintenanceWindow)];

    /// <summary>The rows of the Maintenance table: the catalogue's in catalogue order, then the API's by id.</summary>
    public static List<TableEntity> MaintenanceRowsInOrder(IEnumerable<TableEntity> rows)
    {
        var all = rows.ToList();
        return
        [
            .. InCatalogueOrder(all.Where(row => row.PartitionKey != ApiMaintenancePartition)),
            .. all.Where(row => row.PartitionKey == ApiMaintenancePartition).OrderBy(row => row.RowKey, StringComparer.Ordinal),
        ];
    }

    public static TableEntity PolicyRowOf(Policy policy)
    {
        var row = new TableEntity(PolicyPartition, PolicyRow)
        {
            ["AlertFraction"] = policy.AlertFraction,
            ["AssessPriorities"] = ToJson(policy.AssessPriorities),
            ["ReassessEvery"] = Duration(policy.ReassessEvery),
            ["BiaReviewInterval"] = Duration(policy.BiaReviewInterval),
            ["Priorities"] = ToJson(policy.Priorities.ToDictionary(
                pair => CatalogNames.Name(pair.Key),
                pair => pair.Value.ToDictionary(n => n.Key, n => n.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                StringComparer.Ordinal)),
            ["MajorMarkers"] = ToJson(policy.MajorMarkers.ToDictionary(pair => CatalogNames.Name(pair.Key), pair => pair.Value, StringComparer.Ordinal)),
            ["ServiceNowFields"] = ToJson(policy.ServiceNowFields),
        };

        // Absent at the default, so a policy that keeps it is stored as it was before the column existed.
        if (!policy.RpoWarnFraction.Equals(Policy.DefaultRpoWarnFraction))
        {
            row["RpoWarnFraction"] = policy.RpoWarnFraction;
        }

        if (policy.PostIncidentReviewDue != Policy.DefaultPostIncidentReviewDue)
        {
            row["PostIncidentReviewDue"] = Duration(policy.PostIncidentReviewDue);
        }

        if (!policy.Calendar.IsDefault)
        {
            var c = policy.Calendar;
            row["Calendar"] = ToJson(new CalendarJson(
                c.TimeZone,
                c.WorkingHours is { } hours ? new WorkingHoursJson(hours.Days, hours.From, hours.To) : null,
                c.Holidays.Count == 0 ? null : c.Holidays));
        }

        return row;
    }

    public static Policy ToPolicy(TableEntity row) =>
        new(
            AlertFraction: row.TryGetValue("AlertFraction", out var fraction) && fraction is not null
                ? Convert.ToDouble(fraction, CultureInfo.InvariantCulture)
                : Policy.Default.AlertFraction,
            AssessPriorities: FromJson<List<Priority>>(row, "AssessPriorities") ?? [.. Policy.Default.AssessPriorities],
            ReassessEvery: row.GetString("ReassessEvery") is { } every ? ParseDuration(row, "ReassessEvery", every) : Policy.Default.ReassessEvery,
            BiaReviewInterval: row.GetString("BiaReviewInterval") is { } interval
                ? ParseDuration(row, "BiaReviewInterval", interval)
                : Policy.Default.BiaReviewInterval)
        {
            Priorities = PerSource(row, "Priorities", (Dictionary<string, string> names) => (IReadOnlyDictionary<string, Priority>)names.ToDictionary(
                n => n.Key,
                n => ParseEnum<Priority>(row, "Priorities", n.Value),
                StringComparer.OrdinalIgnoreCase)),
            MajorMarkers = PerSource(row, "MajorMarkers", (List<string> markers) => (IReadOnlyList<string>)markers),

            // A row written before the column existed has none: no fields.
            ServiceNowFields = FromJson<Dictionary<string, string>>(row, "ServiceNowFields") ?? [],
            RpoWarnFraction = row.TryGetValue("RpoWarnFraction", out var warn) && warn is not null
                ? Convert.ToDouble(warn, CultureInfo.InvariantCulture)
                : Policy.DefaultRpoWarnFraction,
            PostIncidentReviewDue = row.GetString("PostIncidentReviewDue") is { } due ? ParseDuration(row, "PostIncidentReviewDue", due) : Policy.DefaultPostIncidentReviewDue,
            Calendar = FromJson<CalendarJson>(row, "Calendar") is { } calendar
                ? new BusinessCalendar(calendar.TimeZone)
                {
                    WorkingHours = calendar.WorkingHours is { } hours ? new WorkingHours(hours.Days ?? [], hours.From, hours.To) : null,
                    Holidays = calendar.Holidays ?? [],
                }
                : BusinessCalendar.Default,
        };

    /// <summary>A per-source JSON column of the policy row; a row written before the column existed has none.</summary>
    private static Dictionary<AliasSource, TOut> PerSource<TIn, TOut>(TableEntity row, string column, Func<TIn, TOut> convert) =>
        (FromJson<Dictionary<string, TIn>>(row, column) ?? [])
            .ToDictionary(
                pair => CatalogNames.TryParseSource(pair.Key, out var source) ? source : throw Unreadable(row, column, $"names an unknown source '{pair.Key}'"),
                pair => convert(pair.Value));

    /// <summary>Sorts loaded rows into catalogue order: by <c>Order</c>, then by key.</summary>
    public static IEnumerable<TableEntity> InCatalogueOrder(IEnumerable<TableEntity> rows) =>
        rows.OrderBy(row => row.GetInt32("Order") ?? int.MaxValue)
            .ThenBy(row => row.PartitionKey, StringComparer.Ordinal)
            .ThenBy(row => row.RowKey, StringComparer.Ordinal);

    private static string Duration(TimeSpan value) => XmlConvert.ToString(value);

    private static string? Date(DateOnly? value) => value?.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value, _json);

    private static void SetIfNotNull(TableEntity row, string name, string? value)
    {
        if (value is not null)
        {
            row[name] = value;
        }
    }

    private static T? FromJson<T>(TableEntity row, string name)
        where T : class
    {
        var text = RowText.Get(row, name);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(text, _json);
        }
        catch (JsonException exception)
        {
            throw Unreadable(row, name, exception.Message, exception);
        }
    }

    private static string RequiredString(TableEntity row, string name) =>
        row.GetString(name) ?? throw Unreadable(row, name, "is missing");

    private static int RequiredInt(TableEntity row, string name) =>
        row.TryGetValue(name, out var value) && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : throw Unreadable(row, name, "is missing");

    private static TimeSpan RequiredDuration(TableEntity row, string name) =>
        ParseDuration(row, name, RequiredString(row, name));

    private static DateOnly RequiredDate(TableEntity row, string name) =>
        OptionalDate(row, name) ?? throw Unreadable(row, name, "is missing");

    private static DateOnly? OptionalDate(TableEntity row, string name)
    {
        var text = row.GetString(name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Unreadable(row, name, $"'{text}' is not a {DateFormat} date");
    }

    private static DateTimeOffset? OptionalTimestamp(TableEntity row, string name)
    {
        var text = row.GetString(name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw Unreadable(row, name, $"'{text}' is not an ISO 8601 time with an offset");
    }

    private static T RequiredEnum<T>(TableEntity row, string name)
        where T : struct, Enum =>
        ParseEnum<T>(row, name, RequiredString(row, name));

    private static T ParseEnum<T>(TableEntity row, string name, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw Unreadable(row, name, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");

    private static TimeSpan ParseDuration(TableEntity row, string name, string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException exception)
        {
            throw Unreadable(row, name, $"'{text}' is not an ISO 8601 duration", exception);
        }
    }

    private static InvalidDataException Unreadable(TableEntity row, string name, string problem, Exception? inner = null) =>
        new($"Stored catalogue row '{row.PartitionKey}'/'{row.RowKey}': {name} {problem}.", inner);

    private sealed record DocumentJson(string Path, string? Sha256);

    private sealed record CrisisTeamJson(string TeamId, string ChannelId, string EscalationDelay, IReadOnlyList<IReadOnlyList<string>>? Tiers);

    private sealed record AutomationJson(
        string Id,
        AutomationTrigger On,
        AutomationKind Kind,
        string? Url,
        string? UrlSecret,
        string? Entity,
        string? SigningSecret,
        string Timeout);

    private sealed record HeartbeatJson(string Name, string Every, string Grace);

    private sealed record WeeklyJson(IReadOnlyList<DayOfWeek>? Days, TimeOnly From, TimeOnly To, string? TimeZone, bool? Holidays);

    /// <summary>The policy's calendar; a row written before working hours and holidays existed has the zone alone.</summary>
    private sealed record CalendarJson(string TimeZone, WorkingHoursJson? WorkingHours, IReadOnlyList<Holiday>? Holidays);

    private sealed record WorkingHoursJson(IReadOnlyList<DayOfWeek>? Days, TimeOnly From, TimeOnly To);

    private sealed record DecisionJson(string At, DecisionAction Action, string Plan, string By);

    private sealed record FindingJson(string Id, string Text, string Owner, DateOnly Due, DateOnly? Closed);
}
