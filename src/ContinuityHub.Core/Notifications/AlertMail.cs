using System.Globalization;
using System.Net;
using System.Text;
using ContinuityHub.Assessment;

namespace ContinuityHub.Notifications;

/// <summary>
/// The e-mail a person gets when Teams' activity feed cannot reach them: what the card says, as a plain HTML message
/// (inline styles, no script, no images, links only to http(s) URLs, every string HTML-encoded) with decision links
/// of their own.
/// </summary>
public static class AlertMail
{
    private const string Page = "font-family:'Segoe UI',Tahoma,Arial,sans-serif;font-size:14px;color:#242424;max-width:640px";

    public static string Html(AlertCardModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var card = AdaptiveCardRenderer.Summary(model);
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(card)).Append("</title></head>");
        html.Append(CultureInfo.InvariantCulture, $"<body style=\"{Page}\">");
        html.Append("<p style=\"font-size:18px;font-weight:600;margin:0 0 4px\">").Append(E(card)).Append("</p>");
        Line(html, model.Note);
        Line(html, model.Decision);
        Section(html, "Plan", [Plain(model.PlanTitle, 200) + Details(model)]);
        Links(html, model.Documents.Select(d => (Plain(d.Name, 120), (Uri?)d.Link)));
        Section(html, "Impacted services", [.. model.Services.Take(20).Select(Service)]);
        Section(html, "Why", [.. model.Reasons.Take(10).Select(r => Plain(r, 300))]);
        if (model.Actions is { } actions && model.Kind != AlertCardKind.StandDown)
        {
            var decided = model.Kind is AlertCardKind.Invoked or AlertCardKind.Acknowledged;
            Heading(html, "Decide");
            Links(html, [
                ("Acknowledge", decided ? null : actions.Acknowledge),
                ("Invoke plan", model.Kind == AlertCardKind.Invoked ? null : actions.Invoke),
                ("Stand down", actions.StandDown),
                ("Open incident", actions.OpenIncident ?? model.SourceLink),
            ]);
        }

        return html.Append("</body></html>").ToString();
    }

    private static string Details(AlertCardModel model)
    {
        var version = Plain(model.PlanVersion, 40);
        return $" ({Plain(model.PlanId, 120)}{(version.Length > 0 ? ", version " + version : string.Empty)})";
    }

    private static string Service(ServiceClockDocument service)
    {
        var impact = service.Direct || string.IsNullOrWhiteSpace(service.Via) ? "direct" : "via " + Plain(service.Via, 120);
        var rto = AdaptiveCardSections.ParseDuration(service.Rto) is { } value ? HumanText.Duration(value) : "not known";
        return string.Create(CultureInfo.InvariantCulture, $"{Plain(service.Name, 120)} — tier {service.Tier}, {impact}, RTO {rto}");
    }

    private static void Line(StringBuilder html, string? text)
    {
        if (Plain(text, 300) is { Length: > 0 } line)
        {
            html.Append("<p style=\"margin:4px 0\">").Append(E(line)).Append("</p>");
        }
    }

    private static void Section(StringBuilder html, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        Heading(html, heading);
        foreach (var item in items.Where(i => i.Length > 0))
        {
            html.Append("<p style=\"margin:2px 0\">").Append(E(item)).Append("</p>");
        }
    }

    private static void Heading(StringBuilder html, string heading) =>
        html.Append("<p style=\"font-weight:600;margin:16px 0 4px\">").Append(E(heading)).Append("</p>");

    private static void Links(StringBuilder html, IEnumerable<(string Text, Uri? Url)> links)
    {
        foreach (var (text, url) in links)
        {
            if (AdaptiveCardText.WebUrl(url) is { } href)
            {
                html.Append("<p style=\"margin:2px 0\"><a href=\"").Append(E(href)).Append("\">").Append(E(text.Length > 0 ? text : "link")).Append("</a></p>");
            }
        }
    }

    private static string Plain(string? text, int max) => AdaptiveCardText.Plain(text, max);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
