using System.Net;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContinuityHub.Local;

/// <summary>
/// The Teams sink's preview of one Adaptive Card: an HTML page that renders the card with the official renderer
/// (<c>adaptivecards.min.js</c> beside the page) under the Teams light, dark and high-contrast host configs (embedded,
/// a switch re-renders; light first, or the one the URL's fragment names: <c>#dark</c>, <c>#high-contrast</c>) on Teams' channel background, actions as the library draws them, Action.OpenUrl in a
/// new tab. Everything else is in the page: it loads nothing from the network (its Content-Security-Policy allows only
/// the library beside it and its own inline script). The card and host configs sit in
/// <c>&lt;script type="application/json"&gt;</c> with <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> escaped as <c>\u003C</c>…, so
/// nothing in a card ends the script. Without the library, or if it fails to load, the page says in one line what to do
/// and shows the card's JSON, pretty-printed and HTML-escaped.
/// </summary>
internal static class CardPreviewPage
{
    public const string MissingLibrary = "Previews need the official Adaptive Cards renderer: run `npm ci` in infra/.";

    // For people: the JSON is HTML-escaped where it is shown, so it keeps <, > and & as they are.
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Lazy<string> _hostConfigs = new(EmbeddedHostConfigs);

    /// <summary>The page for <paramref name="cardJson"/>; <paramref name="withLibrary"/>: <see cref="AdaptiveCardsLibrary.FileName"/> is beside it.</summary>
    public static string Html(string cardJson, bool withLibrary)
    {
        ArgumentNullException.ThrowIfNull(cardJson);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var renderer = withLibrary
            ? $"""
              <script src="{AdaptiveCardsLibrary.MarkdownFileName}"></script>
              <script src="{AdaptiveCardsLibrary.FileName}"></script>
              <script nonce="{nonce}">
              {Script}
              </script>
              """
            : "";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Adaptive Card preview</title>
            <style>
            {Style}
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
                <pre id="card-json">{WebUtility.HtmlEncode(Pretty(cardJson))}</pre>
              </section>
            </main>
            <script type="application/json" id="card-data">{JsonSerializer.Serialize(cardJson)}</script>
            <script type="application/json" id="host-configs">{_hostConfigs.Value}</script>
            {renderer}
            </body>
            </html>
            """;
    }

    private static string Pretty(string cardJson)
    {
        try
        {
            return JsonNode.Parse(cardJson)?.ToJsonString(_indented) ?? cardJson;
        }
        catch (JsonException)
        {
            return cardJson;
        }
    }

    // {"light": …, "dark": …, "high-contrast": …} from the embedded microsoft-teams-*.json, re-serialized (escaping <, >, &).
    private static string EmbeddedHostConfigs()
    {
        var assembly = typeof(CardPreviewPage).Assembly;
        var configs = new JsonObject();
        foreach (var theme in new[] { "light", "dark", "high-contrast" })
        {
            using var stream = assembly.GetManifestResourceStream($"ContinuityHub.Local.HostConfigs.microsoft-teams-{theme}.json")
                ?? throw new InvalidOperationException($"The Teams host config {theme} is not embedded in {assembly.GetName().Name}.");
            configs[theme] = JsonNode.Parse(stream);
        }

        return configs.ToJsonString();
    }

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
        .message { width: 600px; max-width: 100%; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.14); }
        body[data-theme="high-contrast"] .message { outline: 1px solid #ffffff; }
        #status:empty, .message:empty { display: none; }
        #card-json { white-space: pre-wrap; word-break: break-word; padding: 12px; background: #ffffff; color: #242424; border: 1px solid #d1d1d1; border-radius: 4px; }
        .ac-pushButton { font: 600 14px "Segoe UI", system-ui, sans-serif; min-height: 32px; padding: 0 12px; border-radius: 4px; border: 1px solid #d1d1d1; background: #ffffff; color: #242424; cursor: pointer; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
        .ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #ffffff; }
        .ac-pushButton.style-destructive { color: #c4314b; }
        /* Links as Teams colours them: the host configs' accent (light, dark), Fluent's hcHyperlink (high contrast). */
        a.ac-anchor { color: #6264a7; }
        body[data-theme="dark"] a.ac-anchor { color: #a6a7dc; }
        body[data-theme="high-contrast"] a.ac-anchor { color: #ffff00; }
        body[data-theme="dark"] .ac-pushButton { background: #292929; border-color: #666666; color: #ffffff; }
        body[data-theme="dark"] .ac-pushButton.style-positive { background: #4f52b2; border-color: #4f52b2; }
        body[data-theme="dark"] .ac-pushButton.style-destructive { color: #f9526b; }
        body[data-theme="high-contrast"] .ac-pushButton { background: #000000; border: 2px solid #ffffff; color: #ffffff; }
        body[data-theme="high-contrast"] .ac-pushButton.style-positive { border-color: #1aebff; color: #1aebff; }
        body[data-theme="high-contrast"] .ac-pushButton.style-destructive { border-color: #ffff00; color: #ffff00; }
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
            const card = new AdaptiveCards.AdaptiveCard();
            card.hostConfig = new AdaptiveCards.HostConfig(hostConfigs[theme]);
            card.onExecuteAction = action => {
              if (action instanceof AdaptiveCards.OpenUrlAction) {
                if (/^(https?|mailto):/i.test(action.url || "")) {
                  window.open(action.url, "_blank", "noopener,noreferrer");
                }
              } else {
                status.textContent = action.getJsonTypeName() + " \u201C" + (action.title || "") + "\u201D: Teams would send this to the bot; the preview does not.";
              }
            };
            const context = new AdaptiveCards.SerializationContext();
            card.parse(json, context);
            const element = card.render();
            target.replaceChildren(...(element ? [element] : []));
            const problems = [];
            for (let i = 0; i < context.eventCount; i++) {
              problems.push(context.getEventAt(i).message);
            }
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
