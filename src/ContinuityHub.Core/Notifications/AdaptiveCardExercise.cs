using System.Globalization;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using static ContinuityHub.Notifications.AdaptiveCardElements;

namespace ContinuityHub.Notifications;

/// <summary>
/// An ended exercise's summary card for the continuity channel: the EXERCISE band, the result and why, the figures
/// against the plan's clock (first alert, decisions with their margin, recovery against the RTO), who took part, the
/// open findings, and a link to the after-action report. Names and texts from the catalogue are escaped as on alert cards.
/// </summary>
internal static class AdaptiveCardExercise
{
    public static TeamsCard Render(AfterActionReport report, int speed, Uri? link)
    {
        ArgumentNullException.ThrowIfNull(report);
        var summary = HumanText.Truncate(
            AdaptiveCardText.Plain($"{Incidents.ExerciseMark.Word} {report.ExerciseId} ({report.PlanTitle}): {Result(report.Result)}. {string.Join(" ", report.ResultReasons)}", 400),
            AdaptiveCardRenderer.MaxSummaryChars);
        var facts = new List<JsonObject>
        {
            Fact("Plan", AdaptiveCardText.Plain($"{report.PlanTitle} ({report.Plan})", 120)),
            Fact("Played", Inv($"{report.StartedAt:d MMM yyyy HH:mm} to {report.EndedAt:HH:mm} UTC{(speed > 1 ? Inv($" at {speed}x") : string.Empty)}")),
            Fact("First alert", report.TimeToFirstAlert is { } first ? HumanText.Duration(first) + " after the start" : "never"),
        };
        foreach (var decision in report.Decisions.Take(5))
        {
            var margin = decision.Margin is not { } m ? string.Empty
                : decision.Late ? $", late by {HumanText.Duration(m.Duration())}"
                : $", {HumanText.Duration(m)} to spare";
            facts.Add(Fact(decision.Action, AdaptiveCardText.Plain($"{HumanText.Duration(decision.At - report.StartedAt)} after the start by {decision.By}{margin}", 200)));
        }

        facts.Add(Fact("Recovery", report.AchievedRecovery is { } recovery
            ? $"{HumanText.Duration(recovery)} against an RTO of {HumanText.Duration(report.Rto)}"
            : $"not achieved (RTO {HumanText.Duration(report.Rto)})"));
        facts.Add(Fact("Took part", Inv($"{report.Participants.Count}")));
        facts.Add(Fact("Open findings", Inv($"{report.Findings.Count(f => f.Closed is null)}")));
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "Container",
                ["style"] = report.Result switch { ExerciseResult.Passed => "good", ExerciseResult.PassedWithIssues => "warning", _ => "attention" },
                ["bleed"] = true,
                ["items"] = new JsonArray
                {
                    Rich(new Run($"{Incidents.ExerciseMark.Word} · {AdaptiveCardText.Plain(report.ExerciseId, 80)} · not a real incident", Bold: true)),
                    Text(AdaptiveCardText.Plain($"Exercise {Result(report.Result)}: {report.PlanTitle}", 160), size: "Large", weight: "Bolder"),
                },
            },
            Rich(new Run(AdaptiveCardText.Plain(string.Join(" ", report.ResultReasons), 1200)), spacing: "Medium"),
            Facts(facts, spacing: "Medium"),
        };
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (AdaptiveCardText.WebUrl(link) is { } url)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the after-action report", ["url"] = url } };
        }

        return new TeamsCard(card.ToJsonString(CardJson), summary);
    }

    private static string Result(ExerciseResult result) => result switch
    {
        ExerciseResult.Passed => "passed",
        ExerciseResult.PassedWithIssues => "passed with issues",
        _ => "failed",
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
