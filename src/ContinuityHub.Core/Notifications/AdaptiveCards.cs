namespace ContinuityHub.Notifications;

/// <summary>Renders <see cref="AlertCardModel"/> as an Adaptive Card (schema 1.5) and a card as an HTML preview.</summary>
public static class AdaptiveCards
{
    /// <summary>The card's JSON (an AdaptiveCard object, schema 1.5) and the one-line summary Teams shows in notifications.</summary>
    /// <remarks>
    /// Every incident and catalogue string is made inert (markdown, <c>{{DATE(…)}}</c> functions and control characters);
    /// links and actions only for absolute http(s) URLs; lists capped and text cut so the card stays well under Teams'
    /// 28 KB message limit. A stand-down card has no actions.
    /// </remarks>
    public static TeamsCard Render(AlertCardModel model) => AdaptiveCardRenderer.Render(model);

    /// <summary>The continuity report's summary card for the continuity channel, with a link to the full report when given.</summary>
    public static TeamsCard RenderReport(Reporting.ContinuityReport report, Uri? link) => AdaptiveCardReport.Render(report, link);

    /// <summary>A self-contained HTML page showing the card (for the local Teams sink); every string escaped.</summary>
    /// <remarks>No script, inline styles only, links only to http(s) URLs: it is also the e-mail fallback body. JSON that cannot be read gives a page that says so.</remarks>
    public static string PreviewHtml(string cardJson) => AdaptiveCardPreview.Write(cardJson);
}
