using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ContinuityHub.Catalog;

/// <summary>
/// Writes a catalogue in the file format <see cref="CatalogYamlReader"/> reads, in one canonical form: what is
/// written reads back to the same catalogue, and writing that again gives the same text.
/// </summary>
public static partial class CatalogYamlWriter
{
    public static string Write(ContinuityCatalog catalog)
    {
        var w = new StringBuilder();
        w.Append("# ContinuityHub catalogue: business impact analysis, continuity plans and exercises.\n");
        w.Append("# Check with `hub catalog validate <file>`; load with `hub catalog import <file>`.\n");

        var p = catalog.Policy;
        w.Append("policy:\n");
        Line(w, 1, "alertFraction", p.AlertFraction.ToString("R", CultureInfo.InvariantCulture));
        Line(w, 1, "assessPriorities", Flow(p.AssessPriorities.Select(x => x.ToString())));
        Line(w, 1, "reassessEvery", Durations.Format(p.ReassessEvery));
        Line(w, 1, "biaReviewInterval", Durations.Format(p.BiaReviewInterval));
        if (p.RpoWarnFraction != Policy.DefaultRpoWarnFraction)
        {
            Line(w, 1, "rpoWarnFraction", p.RpoWarnFraction.ToString("R", CultureInfo.InvariantCulture));
        }

        if (p.PostIncidentReviewDue != Policy.DefaultPostIncidentReviewDue)
        {
            Line(w, 1, "postIncidentReviewDue", Durations.Format(p.PostIncidentReviewDue));
        }

        if (p.Priorities.Any(x => x.Value.Count > 0))
        {
            w.Append("  priorities:\n");
            foreach (var (source, names) in p.Priorities.Where(x => x.Value.Count > 0).OrderBy(x => x.Key))
            {
                Line(w, 2, CatalogNames.Name(source), "{" + string.Join(", ", names.Select(n => $"{Quote(n.Key)}: {n.Value}")) + "}");
            }
        }

        if (p.MajorMarkers.Any(x => x.Value.Count > 0))
        {
            w.Append("  majorMarkers:\n");
            foreach (var (source, markers) in p.MajorMarkers.Where(x => x.Value.Count > 0).OrderBy(x => x.Key))
            {
                Line(w, 2, CatalogNames.Name(source), Flow(markers));
            }
        }

        if (p.ServiceNowFields.Count > 0)
        {
            w.Append("  serviceNowFields:\n");
            foreach (var (field, value) in p.ServiceNowFields)
            {
                Line(w, 2, Quote(field), Quote(value));
            }
        }

        // Only when not the default, so a catalogue that keeps UTC exports as it did before the key existed.
        if (!p.Calendar.IsDefault)
        {
            WriteCalendar(w, p.Calendar);
        }

        w.Append(catalog.Services.Count == 0 ? "services: []\n" : "services:\n");
        foreach (var s in catalog.Services)
        {
            w.Append("  - id: ").Append(Quote(s.Id)).Append('\n');
            Line(w, 2, "name", Quote(s.Name));
            Line(w, 2, "tier", s.Tier.ToString(CultureInfo.InvariantCulture));
            if (s.Owner.Length > 0)
            {
                Line(w, 2, "owner", Quote(s.Owner));
            }

            Line(w, 2, "rto", Durations.Format(s.Rto));
            Line(w, 2, "rpo", Durations.Format(s.Rpo));
            Line(w, 2, "mtpd", Durations.Format(s.Mtpd));
            if (s.DependsOn.Count > 0)
            {
                Line(w, 2, "dependsOn", Flow(s.DependsOn));
            }

            var aliases = s.Aliases.Where(a => a.Value.Count > 0).OrderBy(a => a.Key).ToList();
            if (aliases.Count > 0)
            {
                w.Append("    aliases:\n");
                foreach (var (source, values) in aliases)
                {
                    Line(w, 3, CatalogNames.Name(source), Flow(values));
                }
            }

            if (s.BiaReviewed is { } reviewed)
            {
                Line(w, 2, "biaReviewed", Date(reviewed));
            }

            WriteHeartbeats(w, s.Heartbeats);
        }

        w.Append(catalog.Plans.Count == 0 ? "plans: []\n" : "plans:\n");
        foreach (var plan in catalog.Plans)
        {
            w.Append("  - id: ").Append(Quote(plan.Id)).Append('\n');
            Line(w, 2, "title", Quote(plan.Title));
            Line(w, 2, "type", plan.Type.ToString());
            Line(w, 2, "version", QuoteAlways(plan.Version));
            Line(w, 2, "status", plan.Status.ToString());
            if (plan.Owner.Length > 0)
            {
                Line(w, 2, "owner", Quote(plan.Owner));
            }

            Line(w, 2, "services", Flow(plan.Services));
            Line(w, 2, "recoveryTime", Durations.Format(plan.RecoveryTime));
            Line(w, 2, "autoInvoke", plan.AutoInvoke ? "true" : "false");
            if (plan.LastReviewed is { } last)
            {
                Line(w, 2, "lastReviewed", Date(last));
            }

            if (plan.NextReview is { } next)
            {
                Line(w, 2, "nextReview", Date(next));
            }

            if (plan.CrisisTeam is { } team)
            {
                w.Append("    crisisTeam:\n");
                Line(w, 3, "teamId", QuoteAlways(team.TeamId));
                Line(w, 3, "channelId", QuoteAlways(team.ChannelId));
                Line(w, 3, "escalationDelay", Durations.Format(team.EscalationDelay));
                w.Append("      tiers:\n");
                foreach (var tier in team.Tiers)
                {
                    w.Append("        - ").Append(Flow(tier)).Append('\n');
                }
            }

            if (plan.Documents.Count > 0)
            {
                w.Append("    documents:\n");
                foreach (var doc in plan.Documents)
                {
                    w.Append("      - path: ").Append(Quote(doc.Path)).Append('\n');
                    if (doc.Sha256 is not null)
                    {
                        Line(w, 4, "sha256", doc.Sha256);
                    }
                }
            }

            WriteAutomations(w, plan.Automations);
        }

        WriteExercises(w, catalog.Exercises);
        WriteMaintenance(w, catalog.Maintenance);
        return w.ToString();
    }

    /// <summary>
    /// Only when there are windows, so a catalogue without any exports as it did before the key existed. Times keep
    /// the offset they were given (fractions of a second only when there are any); <c>from</c> and <c>to</c> are quoted
    /// so no YAML 1.1 reader takes <c>02:00</c> for a number.
    /// </summary>
    private static void WriteMaintenance(StringBuilder w, IReadOnlyList<MaintenanceWindow> windows)
    {
        if (windows.Count == 0)
        {
            return;
        }

        w.Append("maintenance:\n");
        foreach (var m in windows)
        {
            w.Append("  - id: ").Append(Quote(m.Id)).Append('\n');
            Line(w, 2, "services", Flow(m.Services));
            if (m.Start is { } start)
            {
                Line(w, 2, "start", Timestamp(start));
            }

            if (m.End is { } end)
            {
                Line(w, 2, "end", Timestamp(end));
            }

            if (m.Weekly is { } weekly)
            {
                w.Append("    weekly:\n");
                Line(w, 3, "days", "[" + string.Join(", ", weekly.DayNames) + "]");
                Line(w, 3, "from", QuoteAlways(Time(weekly.From)));
                Line(w, 3, "to", QuoteAlways(Time(weekly.To)));
                Optional(w, 3, "timeZone", weekly.TimeZone);
            }

            Line(w, 2, "reason", Quote(m.Reason));
            Line(w, 2, "approvedBy", Quote(m.ApprovedBy));
        }
    }

    private static string Timestamp(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static string Time(TimeOnly value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Every key written, <c>grace</c> too when it is zero.</summary>
    private static void WriteHeartbeats(StringBuilder w, IReadOnlyList<HeartbeatDeclaration> heartbeats)
    {
        if (heartbeats.Count == 0)
        {
            return;
        }

        w.Append("    heartbeats:\n");
        foreach (var h in heartbeats)
        {
            w.Append("      - name: ").Append(Quote(h.Name)).Append('\n');
            Line(w, 4, "every", Durations.Format(h.Every));
            Line(w, 4, "grace", Durations.Format(h.Grace));
        }
    }

    /// <summary>
    /// Every key written, defaults too (kind webhook, timeout 30m). A Service Bus entity is written as <c>queue:</c>:
    /// the model holds queues and topics alike (a sender needs only the name), so a file's <c>topic:</c> comes back as one.
    /// </summary>
    private static void WriteAutomations(StringBuilder w, IReadOnlyList<PlanAutomation> automations)
    {
        if (automations.Count == 0)
        {
            return;
        }

        w.Append("    automations:\n");
        foreach (var a in automations)
        {
            w.Append("      - id: ").Append(Quote(a.Id)).Append('\n');
            Line(w, 4, "on", a.On.ToString());
            Line(w, 4, "kind", CatalogNames.Name(a.Kind));
            Optional(w, 4, "url", a.Url);
            Optional(w, 4, "urlSecret", a.UrlSecret);
            Optional(w, 4, "queue", a.Entity);
            Optional(w, 4, "signingSecret", a.SigningSecret);
            Line(w, 4, "timeout", Durations.Format(a.Timeout));
        }
    }

    private static void Optional(StringBuilder w, int depth, string key, string? value)
    {
        if (value is not null)
        {
            Line(w, depth, key, Quote(value));
        }
    }

    private static void WriteCalendar(StringBuilder w, BusinessCalendar calendar)
    {
        w.Append("  calendar:\n");
        Line(w, 2, "timeZone", Quote(calendar.TimeZone));
        if (calendar.WorkingHours is { } hours)
        {
            w.Append("    workingHours:\n");
            Line(w, 3, "days", "[" + string.Join(", ", hours.Days) + "]");
            Line(w, 3, "from", QuoteAlways(Time(hours.From)));
            Line(w, 3, "to", QuoteAlways(Time(hours.To)));
        }

        if (calendar.Holidays.Count > 0)
        {
            w.Append("    holidays:\n");
            foreach (var holiday in calendar.Holidays)
            {
                var date = holiday.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                w.Append(holiday.Name is null ? $"      - {date}\n" : $"      - {{date: {date}, name: {Quote(holiday.Name)}}}\n");
            }
        }
    }

    private static void Line(StringBuilder w, int depth, string key, string value) =>
        w.Append(' ', depth * 2).Append(key).Append(": ").Append(value).Append('\n');

    private static string Flow(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Plain when YAML reads it back as the same string, double-quoted otherwise.</summary>
    internal static string Quote(string value) =>
        PlainSafe().IsMatch(value) && !Reserved().IsMatch(value) ? value : QuoteAlways(value);

    private static string QuoteAlways(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }

    // Letters, digits and a few safe punctuation marks, not starting with an indicator and without ': ' or ' #'.
    [GeneratedRegex(@"^[\p{L}\p{N}_./(][\p{L}\p{N} _./@+()'&-]*(?<! )$")]
    private static partial Regex PlainSafe();

    // Words and shapes a YAML reader could take for something other than a string.
    [GeneratedRegex(@"^(?i:true|false|yes|no|on|off|null|y|n|~)$|^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$|^\d{4}-\d\d-\d\d|^0[xob]")]
    private static partial Regex Reserved();
}
