using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using System.Xml;
using ContinuityHub.Assessment;

using static ContinuityHub.Notifications.AdaptiveCardElements;
using static ContinuityHub.Notifications.AdaptiveCardSections;

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
    private static readonly CardLimits[] _limits =
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

    private static JsonObject Card(AlertCardModel model, CardLimits limits)
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

    private static void Header(JsonArray body, AlertCardModel model, CardLimits limits)
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
}
