using System.Net;

namespace ContinuityHub.Local;

/// <summary>
/// The Teams sink's preview of one Adaptive Card: an HTML page that renders the card with the official renderer
/// (<c>adaptivecards.min.js</c> beside the page) under the Teams light, dark and high-contrast host configs (embedded,
/// a switch re-renders; light first, or the one the URL's fragment names: <c>#dark</c>, <c>#high-contrast</c>) on Teams' channel background, actions as the library draws them, Action.OpenUrl in a
/// new tab. Everything else is in the page: it loads nothing from the network (its Content-Security-Policy allows only
/// the library beside it and its own inline script). The card and host configs sit in
/// <c>&lt;script type="application/json"&gt;</c> with <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> escaped as <c>\u003C</c>…, so
/// nothing in a card ends the script. Without the library, or if it fails to load, the page says in one line what to do
/// and shows the card's JSON, pretty-printed and HTML-escaped. The host configs, the Teams-like CSS, the render function
/// and the policy are <see cref="TeamsCardPageParts"/>'s, shared with the demo's index.
/// </summary>
internal static class CardPreviewPage
{
    public const string MissingLibrary = "Previews need the official Adaptive Cards renderer: run `npm ci` in infra/.";

    /// <summary>The page for <paramref name="cardJson"/>; <paramref name="withLibrary"/>: <see cref="AdaptiveCardsLibrary.FileName"/> is beside it.</summary>
    public static string Html(string cardJson, bool withLibrary)
    {
        ArgumentNullException.ThrowIfNull(cardJson);
        var nonce = TeamsCardPageParts.NewNonce();
        var renderer = withLibrary
            ? $"""
              {TeamsCardPageParts.LibraryScripts}
              <script nonce="{nonce}">
              {TeamsCardPageParts.RenderScript}
              {Script}
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
            <title>Adaptive Card preview</title>
            <style>
            {Style}
            {TeamsCardPageParts.CardStyle}
            </style>
            </head>
            <body data-theme="light">
            <header>
              <span class="title">Adaptive Card preview</span>
              <span id="themes" role="group" aria-label="Teams theme"{(withLibrary ? "" : " hidden")}>
                <button type="button" data-theme="light" aria-pressed="true">Light</button>
                <button type="button" data-theme="dark" aria-pressed="false">Dark</button>
                <button type="button" data-theme="high-contrast" aria-pressed="false">High contrast</button>
              </span>
            </header>
            <main>
              <div id="card" class="message"></div>
              <p id="status" role="status"></p>
              <section id="fallback"{(withLibrary ? " hidden" : "")}>
                <p id="instruction">{WebUtility.HtmlEncode(MissingLibrary)}</p>
                <pre id="card-json">{WebUtility.HtmlEncode(TeamsCardPageParts.Pretty(cardJson))}</pre>
              </section>
            </main>
            <script type="application/json" id="card-data">{TeamsCardPageParts.ScriptJson(cardJson)}</script>
            <script type="application/json" id="host-configs">{TeamsCardPageParts.HostConfigsJson()}</script>
            {renderer}
            </body>
            </html>
            """;
    }

    // The page around the card; the card's own look is TeamsCardPageParts.CardStyle.
    private const string Style = """
        html, body { margin: 0; font: 14px "Segoe UI", system-ui, sans-serif; }
        body { min-height: 100vh; background: #f5f5f5; color: #242424; }
        body[data-theme="dark"] { background: #1f1f1f; color: #ffffff; }
        body[data-theme="high-contrast"] { background: #000000; color: #ffffff; }
        header { display: flex; align-items: center; gap: 16px; padding: 12px 20px; }
        header .title { font-weight: 600; }
        header button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #8a8886; background: transparent; color: inherit; cursor: pointer; }
        header button[aria-pressed="true"] { background: #5b5fc7; border-color: #5b5fc7; color: #ffffff; }
        main { padding: 0 20px 20px; }
        #status:empty { display: none; }
        #card-json { white-space: pre-wrap; word-break: break-word; padding: 12px; background: #ffffff; color: #242424; border: 1px solid #d1d1d1; border-radius: 4px; }
        """;

    private const string Script = """
        (() => {
          const fallback = document.getElementById("fallback");
          const status = document.getElementById("status");
          if (typeof AdaptiveCards === "undefined") {
            fallback.hidden = false;
            document.getElementById("themes").hidden = true;
            return;
          }
          const text = JSON.parse(document.getElementById("card-data").textContent);
          const hostConfigs = JSON.parse(document.getElementById("host-configs").textContent);
          let json;
          try {
            json = JSON.parse(text);
          } catch (e) {
            fallback.hidden = false;
            status.textContent = "The card is not JSON: " + e.message;
            return;
          }
          const target = document.getElementById("card");
          const render = theme => {
            document.body.dataset.theme = theme;
            for (const button of document.querySelectorAll("#themes button")) {
              button.setAttribute("aria-pressed", String(button.dataset.theme === theme));
            }
            const { element, problems } = renderTeamsCard(json, hostConfigs[theme], message => { status.textContent = message; });
            target.replaceChildren(...(element ? [element] : []));
            status.textContent = problems.length ? "The renderer reported: " + problems.join(" ") : "";
          };
          for (const button of document.querySelectorAll("#themes button")) {
            button.addEventListener("click", () => render(button.dataset.theme));
          }
          try {
            const chosen = location.hash.slice(1);
            render(Object.prototype.hasOwnProperty.call(hostConfigs, chosen) ? chosen : "light");
            fallback.remove();
          } catch (e) {
            fallback.hidden = false;
            status.textContent = "The renderer failed: " + e.message;
          }
        })();
        """;
}
