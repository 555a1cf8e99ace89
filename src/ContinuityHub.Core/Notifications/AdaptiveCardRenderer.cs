using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using ContinuityHub.Assessment;

namespace ContinuityHub.Notifications;

/// <summary>
/// Builds the crisis-team card (Adaptive Card 1.5) with System.Text.Json nodes. Every incident and catalogue string
/// goes through <see cref="AdaptiveCardText"/>; lists are capped and long text cut, and when a card still comes out
/// larger than <see cref="MaxCardBytes"/> it is built again with tighter limits, so a post never hits Teams' 28 KB
/// message limit.
/// </summary>
internal static class AdaptiveCardRenderer
{
    /// <summary>
    /// The card's budget in UTF-8 bytes. Teams refuses messages over about 28 KB; the card travels JSON-encoded once more
    /// inside the Graph message (quotes and backslashes doubled), so it gets well under that.
    /// </summary>
    public const int MaxCardBytes = 20 * 1024;

    public const int MaxSummaryChars = 200;

    private static readonly JsonSerializerOptions _json = new()
    {
        // Letters of every script as they are; the HTML-sensitive characters (< > & ' ") still as \u escapes.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = false,
    };

    /// <summary>From generous to bare: the first set whose card fits the budget is used.</summary>
    private static readonly Limits[] _limits =
    [
        new(Services: 12, Reasons: 10, Documents: 10, Tiers: 6, People: 12, Title: 200, Name: 120, Reason: 300, Note: 300),
        new(Services: 8, Reasons: 6, Documents: 6, Tiers: 4, People: 8, Title: 160, Name: 80, Reason: 200, Note: 200),
        new(Services: 5, Reasons: 4, Documents: 4, Tiers: 3, People: 5, Title: 120, Name: 60, Reason: 120, Note: 120),
        new(Services: 3, Reasons: 2, Documents: 2, Tiers: 2, People: 3, Title: 100, Name: 40, Reason: 80, Note: 80),
        new(Services: 0, Reasons: 0, Documents: 0, Tiers: 0, People: 0, Title: 80, Name: 30, Reason: 60, Note: 60),
    ];

    public static TeamsCard Render(AlertCardModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var summary = Summary(model);
        var json = string.Empty;
        foreach (var limits in _limits)
        {
            json = Card(model, limits).ToJsonString(_json);
            if (Encoding.UTF8.GetByteCount(json) <= MaxCardBytes)
            {
                break;
            }
        }

        return new TeamsCard(json, summary);
    }

    /// <summary>One line of plain text: <c>[Alert] INC0012345 Core ledger down — plan dr-ledger</c>.</summary>
    public static string Summary(AlertCardModel model)
    {
        var label = model.Kind switch
        {
            AlertCardKind.Escalation => LevelLabel(model.Level) + ", escalated",
            AlertCardKind.Acknowledged => "Acknowledged",
            AlertCardKind.Invoked => "Plan invoked",
            AlertCardKind.StandDown => "Stand-down",
            _ => LevelLabel(model.Level),
        };
        var id = AdaptiveCardText.Plain(DisplayId(model), 60);
        var plan = AdaptiveCardText.Plain(model.PlanId, 60);
        var title = AdaptiveCardText.Plain(model.IncidentTitle, MaxSummaryChars);
        var line = $"[{label}] {id} {title}".TrimEnd();
        var tail = plan.Length > 0 ? $" — plan {plan}" : string.Empty;
        return line.Length + tail.Length <= MaxSummaryChars
            ? line + tail
            : HumanText.Truncate(line, MaxSummaryChars - tail.Length) + tail;
    }

    /// <summary>From <paramref name="at"/> to <paramref name="deadline"/>: <c>1 h 20 min left</c>, <c>passed 10 min ago</c>, <c>due now</c>.</summary>
    public static string TimeLeft(DateTimeOffset deadline, DateTimeOffset at)
    {
        var left = deadline - at;
        if (left >= TimeSpan.FromMinutes(1))
        {
            return HumanText.Duration(left) + " left";
        }

        return left <= TimeSpan.FromMinutes(-1) ? $"passed {HumanText.Duration(left.Duration())} ago" : "due now";
    }

    private static JsonObject Card(AlertCardModel model, Limits limits)
    {
        var body = new JsonArray();
        Header(body, model, limits);
        Services(body, model, limits);
        Plan(body, model, limits);
        Reasons(body, model, limits);
        Paged(body, model, limits);
        Links(body, model);

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (Actions(model) is { Count: > 0 } actions)
        {
            card["actions"] = actions;
        }

        return card;
    }

    private static void Header(JsonArray body, AlertCardModel model, Limits limits)
    {
        var (style, color) = model.Kind == AlertCardKind.StandDown
            ? ("good", "Good")
            : model.Level switch
            {
                AssessmentLevel.Invoke or AssessmentLevel.RecommendInvocation => ("attention", "Attention"),
                AssessmentLevel.Alert => ("warning", "Warning"),
                _ => ("accent", "Accent"),
            };
        var headline = model.Kind == AlertCardKind.StandDown ? "Stand-down" : LevelLabel(model.Level);
        var items = new JsonArray
        {
            Text(headline, size: "Large", weight: "Bolder", color: color),
            Text(KindLabel(model.Kind), subtle: true, spacing: "None"),
        };
        if (AdaptiveCardText.Markdown(model.Note, limits.Note) is { Length: > 0 } note)
        {
            items.Add(Text(note, spacing: "Small"));
        }

        // Who decided, and when, on every card after the decision (a note says it only on the reply that announces it).
        if (model.Kind is not (AlertCardKind.Invoked or AlertCardKind.Acknowledged) && AdaptiveCardText.Plain(model.Decision, limits.Note) is { Length: > 0 } decision)
        {
            items.Add(Text(AdaptiveCardText.EscapeMarkdown(decision), spacing: "Small"));
        }

        body.Add(new JsonObject { ["type"] = "Container", ["style"] = style, ["bleed"] = true, ["items"] = items });

        body.Add(Text(Escaped(model.IncidentTitle, limits.Title), size: "Medium", weight: "Bolder", spacing: "Medium"));
        var source = AdaptiveCardText.Plain(model.Source, 40);
        var origin = string.Join(" · ", new[] { source, AdaptiveCardText.Plain(DisplayId(model), 80) }.Where(s => s.Length > 0));
        var line = AdaptiveCardText.EscapeMarkdown(origin);
        if (AdaptiveCardText.WebUrl(model.SourceLink) is not null)
        {
            var label = source.Length > 0 ? $"Open in {source}" : "Open the source record";
            line = (line.Length > 0 ? line + " · " : string.Empty) + AdaptiveCardText.MarkdownLink(label, model.SourceLink);
        }

        if (line.Length > 0)
        {
            body.Add(Text(line, subtle: true, spacing: "None"));
        }
    }

    private static void Services(JsonArray body, AlertCardModel model, Limits limits)
    {
        if (model.Services.Count == 0)
        {
            return;
        }

        body.Add(Heading(model.Services.Count == 1 ? "Impacted service" : Inv($"Impacted services ({model.Services.Count})")));
        var first = true;
        foreach (var service in model.Services.Take(limits.Services))
        {
            var name = AdaptiveCardText.Plain(service.Name, limits.Name);
            var impact = service.Direct || string.IsNullOrWhiteSpace(service.Via)
                ? "direct"
                : "via " + AdaptiveCardText.Plain(service.Via, limits.Name);
            var facts = new JsonArray();
            var elapsed = Duration(service.Elapsed, limits);
            var projected = ParseDuration(service.Projected);
            if (projected is { } p && ParseDuration(service.Elapsed) is { } e && p > e)
            {
                elapsed += AdaptiveCardText.EscapeMarkdown(" · projected " + HumanText.Duration(p));
            }

            facts.Add(Fact("Elapsed", elapsed));
            facts.Add(Fact("RTO", Duration(service.Rto, limits)));
            facts.Add(Fact("MTPD", Duration(service.Mtpd, limits)));
            facts.Add(Fact("Invoke by", InvokeBy(service.LatestSafeInvocation, model.At, limits)));
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = !first,
                ["spacing"] = "Small",
                ["items"] = new JsonArray
                {
                    Text(AdaptiveCardText.EscapeMarkdown(name.Length > 0 ? name : "(unnamed service)"), weight: "Bolder"),
                    Text(AdaptiveCardText.EscapeMarkdown(Inv($"Tier {service.Tier} · {impact}")), subtle: true, spacing: "None"),
                    new JsonObject { ["type"] = "FactSet", ["spacing"] = "Small", ["facts"] = facts },
                },
            });
            first = false;
        }

        var more = model.Services.Count - Math.Min(limits.Services, model.Services.Count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? "service" : "services")}"), subtle: true, spacing: "Small"));
        }
    }

    private static void Plan(JsonArray body, AlertCardModel model, Limits limits)
    {
        body.Add(Heading("Plan"));
        var title = AdaptiveCardText.Plain(model.PlanTitle, limits.Title);
        var id = AdaptiveCardText.Plain(model.PlanId, limits.Name);
        var version = AdaptiveCardText.Plain(model.PlanVersion, 40);
        var details = string.Join(", ", new[] { id, version.Length > 0 ? "version " + version : string.Empty }.Where(s => s.Length > 0));
        var line = title.Length > 0 ? title + (details.Length > 0 ? $" ({details})" : string.Empty) : details;
        body.Add(Text(AdaptiveCardText.EscapeMarkdown(line), weight: "Bolder", spacing: "Small"));
        foreach (var document in model.Documents.Take(limits.Documents))
        {
            var name = AdaptiveCardText.Plain(document.Name, limits.Name);
            body.Add(Text(AdaptiveCardText.MarkdownLink(name.Length > 0 ? name : "document", document.Link), spacing: "None"));
        }

        var more = model.Documents.Count - Math.Min(limits.Documents, model.Documents.Count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? "document" : "documents")}"), subtle: true, spacing: "None"));
        }
    }

    private static void Reasons(JsonArray body, AlertCardModel model, Limits limits)
    {
        var reasons = model.Reasons.Select(r => AdaptiveCardText.Plain(r, limits.Reason)).Where(r => r.Length > 0).ToList();
        if (reasons.Count == 0 && string.IsNullOrWhiteSpace(model.Elsewhere))
        {
            return;
        }

        body.Add(Heading("Why"));
        foreach (var reason in reasons.Take(limits.Reasons))
        {
            body.Add(Text("• " + AdaptiveCardText.EscapeMarkdown(reason), spacing: "None"));
        }

        var more = reasons.Count - Math.Min(limits.Reasons, reasons.Count);
        if (more > 0)
        {
            body.Add(Text(Inv($"and {more} more {(more == 1 ? "reason" : "reasons")}"), subtle: true, spacing: "None"));
        }

        if (AdaptiveCardText.Plain(model.Elsewhere, limits.Reason) is { Length: > 0 } elsewhere)
        {
            body.Add(Text(AdaptiveCardText.EscapeMarkdown(elsewhere), subtle: true, spacing: "Small"));
        }
    }

    private static void Paged(JsonArray body, AlertCardModel model, Limits limits)
    {
        if (model.Paged.Count == 0)
        {
            return;
        }

        body.Add(Heading("Paged"));
        var facts = new JsonArray();
        foreach (var tier in model.Paged.Take(limits.Tiers))
        {
            // Names and UPNs of the roster only: nothing else about a person goes on a card.
            var people = tier.People.Select(p => AdaptiveCardText.Plain(p, limits.Name)).Where(p => p.Length > 0).ToList();
            var shown = string.Join(", ", people.Take(limits.People));
            if (people.Count > limits.People)
            {
                shown += Inv($" and {people.Count - limits.People} more");
            }

            var value = (shown.Length > 0 ? shown : "nobody on the roster") + " · " + HumanText.Time(tier.At);
            facts.Add(Fact(Inv($"Tier {tier.Tier + 1}"), AdaptiveCardText.EscapeMarkdown(value)));
        }

        var more = model.Paged.Count - Math.Min(limits.Tiers, model.Paged.Count);
        if (more > 0)
        {
            facts.Add(Fact("…", AdaptiveCardText.EscapeMarkdown(Inv($"and {more} more {(more == 1 ? "tier" : "tiers")}"))));
        }

        body.Add(new JsonObject { ["type"] = "FactSet", ["spacing"] = "Small", ["facts"] = facts });
    }

    private static void Links(JsonArray body, AlertCardModel model)
    {
        var bridge = AdaptiveCardText.WebUrl(model.BridgeUrl);
        var warRoom = AdaptiveCardText.WebUrl(model.WarRoomUrl);
        if (bridge is null && warRoom is null)
        {
            return;
        }

        body.Add(Heading("Crisis team"));
        if (bridge is not null)
        {
            body.Add(Text($"[Join the crisis bridge]({bridge})", spacing: "Small"));
        }

        if (warRoom is not null)
        {
            body.Add(Text($"[Open the war room]({warRoom})", spacing: "None"));
        }
    }

    private static JsonArray? Actions(AlertCardModel model)
    {
        if (model.Actions is not { } links || model.Kind == AlertCardKind.StandDown)
        {
            return null;
        }

        var actions = new JsonArray();
        AddAction(actions, "Acknowledge", links.Acknowledge, "positive");
        AddAction(actions, "Invoke plan", links.Invoke, "destructive");
        AddAction(actions, "Stand down", links.StandDown, null);
        AddAction(actions, "Open incident", links.OpenIncident ?? model.SourceLink, null);
        return actions;
    }

    private static void AddAction(JsonArray actions, string title, Uri? url, string? style)
    {
        if (AdaptiveCardText.WebUrl(url) is not { } href)
        {
            return;
        }

        var action = new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = href };
        if (style is not null)
        {
            action["style"] = style;
        }

        actions.Add(action);
    }

    private static string InvokeBy(string latestSafeInvocation, DateTimeOffset at, Limits limits)
    {
        if (DateTimeOffset.TryParse(latestSafeInvocation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var deadline))
        {
            return AdaptiveCardText.EscapeMarkdown($"{HumanText.Time(deadline)} · {TimeLeft(deadline, at)}");
        }

        return AdaptiveCardText.Markdown(latestSafeInvocation, limits.Name);
    }

    private static string Duration(string iso, Limits limits) =>
        ParseDuration(iso) is { } value ? AdaptiveCardText.EscapeMarkdown(HumanText.Duration(value)) : AdaptiveCardText.Markdown(iso, limits.Name);

    private static TimeSpan? ParseDuration(string? iso)
    {
        if (string.IsNullOrWhiteSpace(iso))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(iso.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string DisplayId(AlertCardModel model)
    {
        var key = model.IncidentKey ?? string.Empty;
        var tilde = key.IndexOf('~', StringComparison.Ordinal);
        var id = tilde >= 0 ? key[(tilde + 1)..] : key;
        try
        {
            return Uri.UnescapeDataString(id);
        }
        catch (UriFormatException)
        {
            return id;
        }
    }

    private static string LevelLabel(AssessmentLevel level) => level switch
    {
        AssessmentLevel.None => "No impact",
        AssessmentLevel.Monitor => "Monitor",
        AssessmentLevel.Alert => "Alert",
        AssessmentLevel.RecommendInvocation => "Invocation recommended",
        AssessmentLevel.Invoke => "Invoke",
        _ => level.ToString(),
    };

    private static string KindLabel(AlertCardKind kind) => kind switch
    {
        AlertCardKind.Alert => "Continuity alert",
        AlertCardKind.LevelChange => "The level changed",
        AlertCardKind.Escalation => "Escalated: nobody acknowledged yet",
        AlertCardKind.Acknowledged => "Acknowledged",
        AlertCardKind.Invoked => "Plan invoked",
        AlertCardKind.StandDown => "The crisis team is stood down",
        _ => kind.ToString(),
    };

    private static string Escaped(string? text, int max) => AdaptiveCardText.Markdown(text, max);

    private static JsonObject Heading(string text) => Text(AdaptiveCardText.EscapeMarkdown(text), weight: "Bolder", separator: true, spacing: "Medium");

    private static JsonObject Fact(string title, string value) => new() { ["title"] = AdaptiveCardText.EscapeMarkdown(title), ["value"] = value };

    /// <summary>A TextBlock; <paramref name="markdown"/> is already escaped (or built by the hub).</summary>
    private static JsonObject Text(string markdown, string? size = null, string? weight = null, string? color = null, bool subtle = false, string? spacing = null, bool separator = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = markdown, ["wrap"] = true };
        if (size is not null)
        {
            block["size"] = size;
        }

        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (color is not null)
        {
            block["color"] = color;
        }

        if (subtle)
        {
            block["isSubtle"] = true;
        }

        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        if (separator)
        {
            block["separator"] = true;
        }

        return block;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Limits(int Services, int Reasons, int Documents, int Tiers, int People, int Title, int Name, int Reason, int Note);
}
