namespace ContinuityHub.Notifications;

/// <summary>Renders <see cref="AlertCardModel"/> and the continuity report as Adaptive Cards (schema 1.5); previews are the official renderer's (the local Teams sink).</summary>
public static class AdaptiveCards
{
    /// <summary>The card's JSON (an AdaptiveCard object, schema 1.5) and the one-line summary Teams shows in notifications.</summary>
    /// <remarks>
    /// Every incident and catalogue string is cleaned (control characters, bidirectional overrides) and shown as a
    /// TextRun, never as markdown; <c>{{DATE(…)}}</c> functions cannot form; links and actions only for absolute http(s)
    /// URLs; lists capped and text cut so the Graph request stays under <see cref="TeamsMessage.MaxRequestBytes"/>.
    /// A card offers only the decisions still open; a stand-down card has none.
    /// </remarks>
    public static TeamsCard Render(AlertCardModel model) => AdaptiveCardRenderer.Render(model);

    /// <summary>The continuity report's summary card for the continuity channel, with a link to the full report when given.</summary>
    public static TeamsCard RenderReport(Reporting.ContinuityReport report, Uri? link) => AdaptiveCardReport.Render(report, link);

    /// <summary>A level as the cards name it: "Invocation recommended", "Alert", "No impact".</summary>
    public static string LevelLabel(Assessment.AssessmentLevel level) => AdaptiveCardRenderer.LevelLabel(level);
}
