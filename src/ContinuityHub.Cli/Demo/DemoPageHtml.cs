using System.Globalization;
using System.Net;
using System.Text;
using ContinuityHub.Local;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// The demo's <c>index.html</c>: every string HTML-encoded where it is written, links only through
/// <see cref="DemoLinks.Href"/>, the cards' JSON in one <c>&lt;script type="application/json"&gt;</c> (escaped by
/// <see cref="TeamsCardPageParts.ScriptJson"/>) and drawn by <see cref="DemoPageAssets.Script"/> under Teams' light host config.
/// </summary>
internal static class DemoPageHtml
{
    public static string Html(DemoRun run, IReadOnlyList<DemoPageCard> cards, bool withLibrary)
    {
        var nonce = TeamsCardPageParts.NewNonce();
        var renderer = withLibrary
            ? $"""
              {TeamsCardPageParts.LibraryScripts}
              <script nonce="{nonce}">
              {TeamsCardPageParts.RenderScript}
              {DemoPageAssets.Script}
              </script>
              """
            : "";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="{TeamsCardPageParts.ContentSecurityPolicy(nonce)}">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>ContinuityHub demo</title>
            <style>
            {DemoPageAssets.Style}
            {TeamsCardPageParts.CardStyle}
            </style>
            </head>
            <body data-theme="light">
            <header>
              <h1>ContinuityHub demo</h1>
              <p id="ran">Ran on <time datetime="{Iso(run.StartedAt)}">{E(HumanText.Time(run.StartedAt))}</time>.</p>
              <p id="story">{E(Story(run))}</p>
            </header>
            <main>
            {Summary(run.Summary)}
            {Timeline(run)}
            {Cards(cards, withLibrary)}
            {Files(run.Files)}
            </main>
            <script type="application/json" id="cards-data">{TeamsCardPageParts.ScriptJson(cards.Select(c => c.Json).ToArray())}</script>
            <script type="application/json" id="host-config">{TeamsCardPageParts.HostConfigJson("light")}</script>
            {renderer}
            </body>
            </html>
            """;
    }

    /// <summary>One sentence of what happened, from the steps' span and the summary.</summary>
    internal static string Story(DemoRun run)
    {
        if (run.Steps.Count == 0)
        {
            return "The demo played nothing.";
        }

        var first = run.Steps.Min(s => s.At);
        var last = run.Steps.Max(s => s.At);
        var s = run.Summary;
        return $"The hub played a major incident in {DemoLinks.Count(run.Steps.Count, "step", "steps")}, from {HumanText.Time(first)} to "
            + $"{HumanText.Time(last)} of simulated time ({HumanText.Duration(last - first)}): it alerted the crisis teams of "
            + $"{DemoLinks.Count(s.PlansAlerted, "plan", "plans")} with {DemoLinks.Count(s.Cards, "card", "cards")} and "
            + $"{DemoLinks.Count(s.Notifications, "notification", "notifications")}, and {DemoLinks.Count(s.Decisions, "decision was", "decisions were")} taken.";
    }

    private static string Summary(DemoSummary summary) => $"""
        <section id="summary">
        <h2>Summary</h2>
        <table class="summary">
        <tr><th scope="row">Plans alerted</th><td>{Number(summary.PlansAlerted)}</td></tr>
        <tr><th scope="row">Cards sent</th><td>{Number(summary.Cards)}</td></tr>
        <tr><th scope="row">Notifications</th><td>{Number(summary.Notifications)}</td></tr>
        <tr><th scope="row">Decisions</th><td>{Number(summary.Decisions)}</td></tr>
        <tr><th scope="row">Time to first alert</th><td>{E(summary.TimeToFirstAlert == TimeSpan.Zero ? "at once (0 s)" : HumanText.Duration(summary.TimeToFirstAlert))}</td></tr>
        </table>
        </section>
        """;

    private static string Timeline(DemoRun run)
    {
        var rows = new StringBuilder();
        foreach (var step in run.Steps)
        {
            rows.Append(CultureInfo.InvariantCulture, $"""<tr class="step" id="step-{Number(step.Number)}"><td class="number">{Number(step.Number)}</td>""")
                .Append(CultureInfo.InvariantCulture, $"""<td class="at"><time datetime="{Iso(step.At)}">{E(HumanText.Time(step.At))}</time></td>""")
                .Append(CultureInfo.InvariantCulture, $"""<td class="offset">{E(DemoLinks.Offset(run.StartedAt, step.At))}</td><td>{Badge(step.Kind)}</td>""")
                .Append(CultureInfo.InvariantCulture, $"""<td class="what">{E(step.What)}</td><td class="who">{E(step.Who)}</td><td class="files">{FileLinks(step.Files)}</td></tr>""")
                .Append('\n');
        }

        return $"""
            <section id="timeline">
            <h2>Timeline</h2>
            <table class="timeline">
            <thead><tr><th scope="col">#</th><th scope="col">Time (simulated)</th><th scope="col">From start</th><th scope="col">Kind</th><th scope="col">What</th><th scope="col">Who heard</th><th scope="col">Files</th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            </section>
            """;
    }

    private static string Cards(IReadOnlyList<DemoPageCard> cards, bool withLibrary)
    {
        var articles = new StringBuilder();
        foreach (var ((card, json), index) in cards.Select((c, i) => (c, i + 1)))
        {
            var where = card.Plan.Length > 0 ? card.Plan : "continuity channel";
            articles.Append(CultureInfo.InvariantCulture, $"""
                <article class="card" id="card-{Number(index)}">
                <h3>Step {Number(card.Step)} · {Badge(card.Kind)} · {E(where)}</h3>
                <p class="card-summary">{E(card.Summary)}</p>
                <p class="card-meta"><time datetime="{Iso(card.At)}">{E(HumanText.Time(card.At))}</time> · {Link(card.File, card.File)}</p>
                <div class="message"></div>
                <p class="status" role="status"></p>
                <pre class="card-json"{(withLibrary ? " hidden" : "")}>{E(TeamsCardPageParts.Pretty(json))}</pre>
                </article>

                """);
        }

        return $"""
            <section id="cards">
            <h2>Cards as Teams shows them</h2>
            <p>{E(DemoLinks.Count(cards.Count, "card", "cards"))} the hub sent, in step order, drawn by the official Adaptive Cards renderer under Teams' light theme.</p>
            <p id="instruction"{(withLibrary ? " hidden" : "")}>{E(DemoPage.MissingLibrary)}</p>
            {articles}</section>
            """;
    }

    private static string Files(IReadOnlyList<DemoFile> files)
    {
        var items = new StringBuilder();
        foreach (var file in files)
        {
            items.Append(CultureInfo.InvariantCulture, $"""<li>{Link(file.Path, file.Path)} — {E(file.Description)}</li>""").Append('\n');
        }

        return $"""
            <section id="files">
            <h2>Every file</h2>
            <ul class="all-files">
            {items}</ul>
            </section>
            """;
    }

    private static string FileLinks(IReadOnlyList<string> files) =>
        files.Count == 0 ? "" : "<ul>" + string.Concat(files.Select(f => $"<li>{Link(f, f)}</li>")) + "</ul>";

    // A link to a file in the output directory or an http(s) URL; anything else is only text.
    private static string Link(string target, string text) =>
        DemoLinks.Href(target) is { } href ? $"""<a href="{E(href)}">{E(text)}</a>""" : $"<code>{E(text)}</code>";

    // A coloured badge; its class names only kinds made of a-z and hyphens.
    private static string Badge(string kind)
    {
        var known = kind.Length > 0 && kind.All(c => c is (>= 'a' and <= 'z') or '-');
        return $"""<span class="kind{(known ? " kind-" + kind : "")}">{E(kind)}</span>""";
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
