using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using ContinuityHub.Assessment;
using ContinuityHub.Reporting;

namespace ContinuityHub.Exercises;

/// <summary>
/// The after-action report's three files: <c>after-action.json</c> (the contract: camelCase, times ISO 8601 UTC,
/// durations ISO 8601, <c>margin</c> negative when late), <c>after-action.md</c> and <c>after-action.html</c> (every
/// string HTML-encoded).
/// </summary>
public static class AfterActionFiles
{
    public const string JsonFile = "after-action.json";
    public const string MarkdownFile = "after-action.md";
    public const string HtmlFile = "after-action.html";

    public static IReadOnlyList<ReportFile> Render(AfterActionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            new ReportFile(JsonFile, "application/json", Encoding.UTF8.GetBytes(Json(report))),
            new ReportFile(MarkdownFile, "text/markdown; charset=utf-8", Encoding.UTF8.GetBytes(Markdown(report))),
            new ReportFile(HtmlFile, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Html(report))),
        ];
    }

    public static string Json(AfterActionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("exerciseId", report.ExerciseId);
            json.WriteString("plan", report.Plan);
            json.WriteString("startedAt", AssessmentJson.Time(report.StartedAt));
            json.WriteString("endedAt", AssessmentJson.Time(report.EndedAt));
            json.WriteString("result", report.Result.ToString());
            Duration(json, "achievedRecovery", report.AchievedRecovery);
            Duration(json, "rto", report.Rto);
            Duration(json, "mtpd", report.Mtpd);
            Duration(json, "timeToFirstAlert", report.TimeToFirstAlert);
            json.WriteStartArray("acknowledgements");
            foreach (var ack in report.Acknowledgements)
            {
                json.WriteStartObject();
                json.WriteNumber("tier", ack.Tier);
                json.WriteString("pagedAt", AssessmentJson.Time(ack.PagedAt));
                Duration(json, "timeToAcknowledge", ack.AcknowledgedAfter);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("decisions");
            foreach (var d in report.Decisions)
            {
                json.WriteStartObject();
                json.WriteString("action", d.Action);
                json.WriteString("plan", d.Plan);
                json.WriteString("by", d.By);
                json.WriteString("at", AssessmentJson.Time(d.At));
                if (d.LatestSafeInvocation is { } safe)
                {
                    json.WriteString("latestSafeInvocation", AssessmentJson.Time(safe));
                }
                else
                {
                    json.WriteNull("latestSafeInvocation");
                }

                Duration(json, "margin", d.Margin);
                json.WriteBoolean("late", d.Late);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("timeline");
            foreach (var item in report.Timeline)
            {
                json.WriteStartObject();
                json.WriteString("at", AssessmentJson.Time(item.At));
                json.WriteString("offset", XmlConvert.ToString(item.Offset));
                json.WriteString("kind", item.Kind);
                json.WriteString("text", item.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("participants");
            foreach (var p in report.Participants)
            {
                json.WriteStringValue(p);
            }

            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (var f in report.Findings)
            {
                json.WriteStartObject();
                json.WriteString("id", f.Id);
                json.WriteString("text", f.Text);
                json.WriteString("owner", f.Owner);
                json.WriteString("due", f.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteBoolean("closed", f.Closed is not null);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("resultReasons");
            foreach (var r in report.ResultReasons)
            {
                json.WriteStringValue(r);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An ISO 8601 duration (<c>PT1H10M</c>, <c>-PT30M</c>), or null.</summary>
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

    /// <summary>The timeline as plain lines, <c>+1h10m  decision  Plan invoked by …</c>: what <c>hub exercise run</c> prints.</summary>
    public static IEnumerable<string> TimelineLines(AfterActionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Timeline.Select(t => $"+{Offset(t.Offset),-8} {t.Kind,-15} {t.Text}");
    }

    public static string Markdown(AfterActionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# After-action report: {report.ExerciseId}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Plan **{report.PlanTitle}** ({report.Plan}), {HumanText.Time(report.StartedAt)} to {HumanText.Time(report.EndedAt)}.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"**Result: {Words(report.Result)}**\n\n");
        foreach (var reason in report.ResultReasons)
        {
            md.Append("- ").Append(reason).Append('\n');
        }

        md.Append("\n| Measure | Value |\n|---|---|\n");
        foreach (var (name, value) in Figures(report))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
        }

        md.Append("\n## Decisions\n\n");
        foreach (var d in report.Decisions)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {d.Action} by {d.By} at {HumanText.Time(d.At)}: {MarginText(d)}\n");
        }

        md.Append("\n## Timeline\n\n| Offset | Kind | What |\n|---|---|---|\n");
        foreach (var t in report.Timeline)
        {
            md.Append(CultureInfo.InvariantCulture, $"| +{Offset(t.Offset)} | {t.Kind} | {t.Text.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        md.Append("\n## Participants\n\n").Append(string.Join(", ", report.Participants)).Append("\n\n## Findings\n\n");
        md.Append(report.Findings.Count == 0 ? "None recorded.\n" : string.Concat(report.Findings.Select(f => $"- {f.Id}: {f.Text} ({f.Owner}, due {f.Due:yyyy-MM-dd}{(f.Closed is null ? string.Empty : ", closed")})\n")));
        return md.ToString();
    }

    public static string Html(AfterActionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>After-action report: ").Append(E(report.ExerciseId)).Append("</title>\n");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.Passed{color:#0a6b2d}.PassedWithIssues{color:#8a5a00}.Failed{color:#a4262c}.late{color:#a4262c;font-weight:bold}</style></head><body>\n");
        html.Append("<h1>After-action report: ").Append(E(report.ExerciseId)).Append("</h1>\n");
        html.Append("<p>Plan <strong>").Append(E(report.PlanTitle)).Append("</strong> (").Append(E(report.Plan)).Append("), ").Append(E(HumanText.Time(report.StartedAt))).Append(" to ").Append(E(HumanText.Time(report.EndedAt))).Append(".</p>\n");
        html.Append("<h2 class=\"").Append(report.Result).Append("\">Result: ").Append(E(Words(report.Result))).Append("</h2>\n<ul>");
        foreach (var reason in report.ResultReasons)
        {
            html.Append("<li>").Append(E(reason)).Append("</li>");
        }

        html.Append("</ul>\n<table>");
        foreach (var (name, value) in Figures(report))
        {
            html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }

        html.Append("</table>\n<h2>Decisions</h2>\n<table><tr><th>Action</th><th>By</th><th>At</th><th>Against the latest safe invocation time</th></tr>");
        foreach (var d in report.Decisions)
        {
            html.Append("<tr><td>").Append(E(d.Action)).Append("</td><td>").Append(E(d.By)).Append("</td><td>").Append(E(HumanText.Time(d.At)))
                .Append("</td><td").Append(d.Late ? " class=\"late\"" : string.Empty).Append('>').Append(E(MarginText(d))).Append("</td></tr>");
        }

        html.Append("</table>\n<h2>Timeline</h2>\n<table><tr><th>Offset</th><th>Kind</th><th>What</th></tr>");
        foreach (var t in report.Timeline)
        {
            html.Append("<tr><td>+").Append(E(Offset(t.Offset))).Append("</td><td>").Append(E(t.Kind)).Append("</td><td>").Append(E(t.Text)).Append("</td></tr>");
        }

        html.Append("</table>\n<h2>Participants</h2>\n<p>").Append(E(string.Join(", ", report.Participants))).Append("</p>\n<h2>Findings</h2>\n");
        html.Append(report.Findings.Count == 0 ? "<p>None recorded.</p>" : "<ul>" + string.Concat(report.Findings.Select(f => $"<li>{E(f.Id)}: {E(f.Text)} ({E(f.Owner)}, due {f.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(f.Closed is null ? string.Empty : ", closed")})</li>")) + "</ul>");
        html.Append("\n</body></html>\n");
        return html.ToString();
    }

    private static IEnumerable<(string Name, string Value)> Figures(AfterActionReport report)
    {
        yield return ("Time to first alert", HumanText.Duration(report.TimeToFirstAlert));
        foreach (var ack in report.Acknowledgements)
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"Time to acknowledge, tier {ack.Tier}"), ack.AcknowledgedAfter is { } after ? HumanText.Duration(after) : "not acknowledged");
        }

        yield return ("Achieved recovery", report.AchievedRecovery is { } achieved ? $"{HumanText.Duration(achieved)} (RTO {HumanText.Duration(report.Rto)}, MTPD {HumanText.Duration(report.Mtpd)})" : "not recovered");
    }

    private static string MarginText(DecisionTiming d) => d.Margin switch
    {
        null => "no latest safe invocation time",
        { } m when m >= TimeSpan.Zero => $"with {HumanText.Duration(m)} to spare",
        { } m => $"late by {HumanText.Duration(m.Duration())}",
    };

    private static string Offset(TimeSpan offset) => HumanText.Duration(offset).Replace(" ", string.Empty, StringComparison.Ordinal);

    private static string Words(Enum value) => value.ToString() switch
    {
        "PassedWithIssues" => "Passed with issues",
        var other => other,
    };
}
