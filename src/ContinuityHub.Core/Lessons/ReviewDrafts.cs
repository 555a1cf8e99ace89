using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Reporting;

namespace ContinuityHub.Lessons;

/// <summary>
/// Drafts a post-incident review from what the hub stored of the incident, the same way an exercise's after-action
/// report is built (<see cref="AfterActionReports"/>, one per plan alerted), and renders its documents: <c>review.json</c>,
/// <c>review.md</c> and <c>review.html</c> (every string HTML-encoded).
/// </summary>
public static class ReviewDrafts
{
    public const string JsonFile = "review.json";
    public const string MarkdownFile = "review.md";
    public const string HtmlFile = "review.html";

    /// <summary><c>pir-{yyyyMMdd}-{8 hex}</c> of an outage: its start day, and a hash of the incident key and its start.</summary>
    public static string ReviewIdOf(string incidentKey, DateTimeOffset outageStart)
    {
        ArgumentNullException.ThrowIfNull(incidentKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(incidentKey + "|" + outageStart.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        return "pir-" + outageStart.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(hash)[..8];
    }

    /// <summary>The review of the incident's last outage, with its timeline; null when no plan of the catalogue was alerted.</summary>
    public static (PostIncidentReview Review, IReadOnlyList<TimelineItem> Timeline)? Draft(ExerciseIncident incident, ContinuityCatalog catalog, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(catalog);
        var stored = incident.History.Incident;
        if (stored.Incident.ResolvedAt is not { } resolved)
        {
            return null;
        }

        var start = stored.Incident.StartedAt;
        var plans = new List<ReviewPlan>();
        var timeline = new List<TimelineItem>();
        TimeSpan? rto = null, mtpd = null;
        foreach (var planId in incident.Alerts.Select(a => a.Plan).Distinct(StringComparer.Ordinal))
        {
            if (catalog.Plans.FirstOrDefault(p => p.Id == planId) is not { } plan)
            {
                continue;
            }

            // The incident as an exercise of this plan would be judged: the same clock, decisions and recovery.
            var report = AfterActionReports.Build(
                new Exercise("review", plan.Id, ExerciseType.Simulation, DateOnly.FromDateTime(start.UtcDateTime), null, null, null, []),
                catalog,
                start,
                resolved,
                [],
                [incident]);
            var invoke = report.Decisions.FirstOrDefault(d => d.Action == nameof(Outbox.DecisionAction.Invoke));
            plans.Add(new ReviewPlan(plan.Id, plan.Title, plan.Owner, invoke?.At, invoke?.By, invoke?.LatestSafeInvocation, invoke?.Margin, invoke?.Late ?? false, invoke is null ? null : resolved - invoke.At));
            rto = report.Rto > TimeSpan.Zero && (rto is null || report.Rto < rto) ? report.Rto : rto;
            mtpd = report.Mtpd > TimeSpan.Zero && (mtpd is null || report.Mtpd < mtpd) ? report.Mtpd : mtpd;
            timeline.AddRange(report.Timeline.Where(t => t.At >= start));
        }

        if (plans.Count == 0)
        {
            return null;
        }

        // A plan the crisis team invoked puts the incident at Invoke, whatever the clock had assessed.
        var highest = incident.History.Assessments.Where(a => a.At >= start).Select(a => a.Level).DefaultIfEmpty(stored.Level).Max();
        highest = plans.Any(p => p.InvokedAt is not null) ? AssessmentLevel.Invoke : highest;
        var review = new PostIncidentReview(
            ReviewIdOf(stored.Incident.Key, start),
            stored.Incident.Key,
            stored.Incident.Title,
            start,
            resolved,
            highest,
            resolved - start,
            rto,
            mtpd,
            plans,
            [.. plans.Select(p => p.Owner).Where(o => o.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)],
            DateOnly.FromDateTime((resolved + catalog.Policy.PostIncidentReviewDue).UtcDateTime),
            now);
        var ordered = timeline.DistinctBy(t => (t.At, t.Kind, t.Text)).OrderBy(t => t.At).ToList();
        return (review, ordered);
    }

    public static IReadOnlyList<ReportFile> Render(PostIncidentReview review, IReadOnlyList<TimelineItem> timeline)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(timeline);
        return
        [
            new ReportFile(JsonFile, "application/json", Encoding.UTF8.GetBytes(Json(review, timeline))),
            new ReportFile(MarkdownFile, "text/markdown; charset=utf-8", Encoding.UTF8.GetBytes(Markdown(review, timeline))),
            new ReportFile(HtmlFile, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Html(review, timeline))),
        ];
    }

    public static string Json(PostIncidentReview review, IReadOnlyList<TimelineItem> timeline)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(timeline);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("reviewId", review.ReviewId);
            json.WriteString("incidentKey", review.IncidentKey);
            json.WriteString("title", review.Title);
            json.WriteString("status", review.Status.ToString());
            json.WriteString("startedAt", AssessmentJson.Time(review.StartedAt));
            json.WriteString("resolvedAt", AssessmentJson.Time(review.ResolvedAt));
            json.WriteString("highestLevel", review.HighestLevel.ToString());
            json.WriteString("achievedRecovery", XmlConvert.ToString(review.AchievedRecovery));
            Duration(json, "rto", review.Rto);
            Duration(json, "mtpd", review.Mtpd);
            json.WriteBoolean("withinRto", review.WithinRto);
            json.WriteBoolean("withinMtpd", review.WithinMtpd);
            json.WriteStartArray("assignedTo");
            foreach (var owner in review.AssignedTo)
            {
                json.WriteStringValue(owner);
            }

            json.WriteEndArray();
            json.WriteString("due", review.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteStartArray("plans");
            foreach (var plan in review.Plans)
            {
                json.WriteStartObject();
                json.WriteString("plan", plan.Plan);
                json.WriteString("owner", plan.Owner);
                Time(json, "invokedAt", plan.InvokedAt);
                if (plan.InvokedBy is null)
                {
                    json.WriteNull("invokedBy");
                }
                else
                {
                    json.WriteString("invokedBy", plan.InvokedBy);
                }

                Time(json, "latestSafeInvocation", plan.LatestSafeInvocation);
                Duration(json, "margin", plan.Margin);
                json.WriteBoolean("late", plan.Late);
                Duration(json, "recovery", plan.RecoveryAfterInvocation);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("timeline");
            foreach (var item in timeline)
            {
                json.WriteStartObject();
                json.WriteString("at", AssessmentJson.Time(item.At));
                json.WriteString("offset", XmlConvert.ToString(item.At - review.StartedAt));
                json.WriteString("kind", item.Kind);
                json.WriteString("text", item.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Markdown(PostIncidentReview review, IReadOnlyList<TimelineItem> timeline)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(timeline);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Post-incident review {review.ReviewId}: {review.Title}\n\n");
        foreach (var line in Summary(review))
        {
            md.Append("- ").Append(line).Append('\n');
        }

        md.Append("\n## Plans\n\n");
        foreach (var plan in review.Plans)
        {
            md.Append("- ").Append(PlanLine(plan)).Append('\n');
        }

        md.Append("\n## Timeline\n\n| offset | kind | what |\n|---|---|---|\n");
        foreach (var item in timeline)
        {
            md.Append(CultureInfo.InvariantCulture, $"| +{HumanText.Duration(item.At - review.StartedAt)} | {item.Kind} | {item.Text.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        md.Append("\n## Corrective actions\n\nAdd them with `hub lessons actions add ").Append(review.ReviewId).Append(" --text … --owner … --due …`.\n");
        return md.ToString();
    }

    public static string Html(PostIncidentReview review, IReadOnlyList<TimelineItem> timeline)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(timeline);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        const string Style = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}.bad{color:#a4262c;font-weight:600}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .Append("<title>").Append(E($"Post-incident review {review.ReviewId}")).Append("</title>\n<style>").Append(Style).Append("</style>\n</head><body>\n")
            .Append("<h1>").Append(E($"Post-incident review: {review.Title}")).Append("</h1>\n")
            .Append("<p>").Append(E(string.Create(CultureInfo.InvariantCulture, $"{review.ReviewId} · {review.Status} · assigned to {string.Join(", ", review.AssignedTo)} · due {review.Due:yyyy-MM-dd}"))).Append("</p>\n<ul>\n");
        foreach (var line in Summary(review))
        {
            html.Append("<li>").Append(E(line)).Append("</li>\n");
        }

        html.Append("</ul>\n<h2>Plans</h2>\n<ul>\n");
        foreach (var plan in review.Plans)
        {
            html.Append(plan.Late ? "<li class=\"bad\">" : "<li>").Append(E(PlanLine(plan))).Append("</li>\n");
        }

        html.Append("</ul>\n<h2>Timeline</h2>\n<table><thead><tr><th>Offset</th><th>Kind</th><th>What</th></tr></thead><tbody>\n");
        foreach (var item in timeline)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>+{E(HumanText.Duration(item.At - review.StartedAt))}</td><td>{E(item.Kind)}</td><td>{E(item.Text)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    private static IEnumerable<string> Summary(PostIncidentReview review)
    {
        yield return $"Outage {HumanText.Time(review.StartedAt)} to {HumanText.Time(review.ResolvedAt)}: {HumanText.Duration(review.AchievedRecovery)}; highest level {review.HighestLevel}.";
        if (review.Rto is { } rto)
        {
            yield return review.WithinRto ? $"Within the RTO of {HumanText.Duration(rto)}." : $"Beyond the RTO of {HumanText.Duration(rto)} by {HumanText.Duration(review.AchievedRecovery - rto)}.";
        }

        if (review.Mtpd is { } mtpd)
        {
            yield return review.WithinMtpd ? $"Within the MTPD of {HumanText.Duration(mtpd)}." : $"Beyond the MTPD of {HumanText.Duration(mtpd)}: the maximum tolerable period of disruption was exceeded.";
        }
    }

    private static string PlanLine(ReviewPlan plan)
    {
        if (plan.InvokedAt is not { } invoked)
        {
            return $"{plan.Title} ({plan.Plan}), owner {plan.Owner}: not invoked.";
        }

        var margin = plan.Margin is not { } m ? string.Empty : plan.Late ? $", late by {HumanText.Duration(m.Duration())}" : $", {HumanText.Duration(m)} to spare";
        var recovery = plan.RecoveryAfterInvocation is { } r ? $"; recovery took {HumanText.Duration(r)} after it" : string.Empty;
        return $"{plan.Title} ({plan.Plan}), owner {plan.Owner}: invoked {HumanText.Time(invoked)} by {plan.InvokedBy}{margin}{recovery}.";
    }

    private static void Duration(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, XmlConvert.ToString(v));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, AssessmentJson.Time(v));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
