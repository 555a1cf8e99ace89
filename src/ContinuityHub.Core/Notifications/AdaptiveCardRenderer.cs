using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;

using static ContinuityHub.Notifications.AdaptiveCardElements;
using static ContinuityHub.Notifications.AdaptiveCardSections;

namespace ContinuityHub.Notifications;

/// <summary>
/// Builds the crisis-team card (Adaptive Card 1.5) with System.Text.Json nodes. Every incident and catalogue string
/// is cleaned by <see cref="AdaptiveCardText"/> and shown as a TextRun (never markdown); lists are capped and long text
/// cut, and when the Graph request carrying the card would be larger than <see cref="TeamsMessage.MaxRequestBytes"/>
/// the card is built again with tighter limits, so a post never hits Teams' message limit.
/// </summary>
internal static class AdaptiveCardRenderer
{

    public const int MaxSummaryChars = 200;


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
            json = Card(model, limits).ToJsonString(CardJson);
            if (TeamsMessage.RequestBytes(json, summary) <= TeamsMessage.MaxRequestBytes)
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
            AlertCardKind.Automation => "Automation",
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

    /// <summary>
    /// The level on a coloured band (the container's style, with text in the default colour: Teams' coloured text on
    /// its coloured bands is unreadable), then the incident's title and where it came from.
    /// </summary>
    private static void Header(JsonArray body, AlertCardModel model, CardLimits limits)
    {
        var style = model.Kind == AlertCardKind.StandDown
            ? "good"
            : model.Level switch
            {
                AssessmentLevel.Invoke or AssessmentLevel.RecommendInvocation => "attention",
                AssessmentLevel.Alert => "warning",
                _ => "accent",
            };
        var headline = model.Kind == AlertCardKind.StandDown ? "Stand-down" : LevelLabel(model.Level);
        var items = new JsonArray();
        if (model.Exercise is { } exercise)
        {
            items.Add(Rich(new Run($"{Incidents.ExerciseMark.Word} · {AdaptiveCardText.Plain(exercise, limits.Name)} · not a real incident", Bold: true)));
        }

        items.Add(Text(headline, size: "Large", weight: "Bolder"));
        items.Add(Text(KindLabel(model.Kind), subtle: true, spacing: "None"));
        if (AdaptiveCardText.Plain(model.Note, limits.Note) is { Length: > 0 } note)
        {
            items.Add(Rich(new Run(note), spacing: "Small"));
        }

        // Who decided, and when, on every card after the decision (a note says it only on the reply that announces it).
        if (model.Kind is not (AlertCardKind.Invoked or AlertCardKind.Acknowledged) && AdaptiveCardText.Plain(model.Decision, limits.Note) is { Length: > 0 } decision)
        {
            items.Add(Rich(new Run(decision), spacing: "Small"));
        }

        body.Add(new JsonObject { ["type"] = "Container", ["style"] = style, ["bleed"] = true, ["items"] = items });

        var title = AdaptiveCardText.Plain(model.IncidentTitle, limits.Title);
        body.Add(Rich(new Run(title.Length > 0 ? title : "(untitled incident)", Bold: true, Size: "Medium"), spacing: "Medium"));
        var source = AdaptiveCardText.Plain(model.Source, 40);
        var origin = string.Join(" · ", new[] { source, AdaptiveCardText.Plain(DisplayId(model), 80) }.Where(s => s.Length > 0));
        var runs = new List<Run>();
        if (origin.Length > 0)
        {
            runs.Add(new Run(origin, Subtle: true));
        }

        if (AdaptiveCardText.WebUrl(model.SourceLink) is { } link)
        {
            runs.Add(new Run(runs.Count > 0 ? " · " : string.Empty, Subtle: true));
            runs.Add(new Run(source.Length > 0 ? $"Open in {source}" : "Open the source record", Link: link));
        }

        if (runs.Count > 0)
        {
            body.Add(Rich(runs.Where(r => r.Text.Length > 0), spacing: "None"));
        }
    }

    private static string DisplayId(AlertCardModel model)
    {
        // An exercise's key wraps the scenario's own (exercise~{id}~{run}~{escaped source key}).
        var key = Incidents.ExerciseMark.SourceKeyOf(model.IncidentKey ?? string.Empty);
        var tilde = key.IndexOf('~', StringComparison.Ordinal);
        var id = tilde >= 0 ? key[(tilde + 1)..] : key;
        string unescaped;
        try
        {
            unescaped = Uri.UnescapeDataString(id);
        }
        catch (UriFormatException)
        {
            unescaped = id;
        }

        // An Azure resource id (Azure Monitor's alert ids): its last segment is the alert's own id.
        var slash = unescaped.TrimEnd('/').LastIndexOf('/');
        return slash >= 0 ? unescaped[(slash + 1)..] : unescaped;
    }

    internal static string LevelLabel(AssessmentLevel level) => level switch
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
        AlertCardKind.Automation => "Automation",
        _ => kind.ToString(),
    };
}
