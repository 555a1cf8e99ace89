using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContinuityHub.Testing.Cards;

/// <summary>
/// The harness's page: the library from a <c>file://</c> URL, the cards (as JSON strings) and the host config as JSON
/// in <c>&lt;script type="application/json"&gt;</c> (System.Text.Json escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, so
/// nothing in a card ends the script), a Teams-like channel to render into, and the results as JSON in
/// <c>&lt;pre id="results"&gt;</c>, written with every non-ASCII and HTML-significant character as a <c>\uXXXX</c> escape.
/// </summary>
internal static class CardPage
{
    public const int Margin = 20;

    public static string Html(string libraryUrl, string markdownUrl, IReadOnlyList<string> cardJsons, JsonNode hostConfig, TeamsTheme theme, int width) =>
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Adaptive Cards ({{theme.Name()}})</title>
        <style>
          html, body { margin: 0; background: {{theme.ChannelBackground()}}; }
          #channel { padding: {{Margin.ToString(CultureInfo.InvariantCulture)}}px; }
          .message { width: {{width.ToString(CultureInfo.InvariantCulture)}}px; margin-bottom: 16px; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.14); }
          .ac-pushButton { font: 600 14px "Segoe UI", system-ui, sans-serif; min-height: 32px; padding: 0 12px; border-radius: 4px; border: 1px solid #d1d1d1; background: #ffffff; color: #242424; cursor: pointer; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
          .ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #ffffff; }
          .ac-pushButton.style-destructive { color: #c4314b; }
          #results { display: none; }
        </style>
        <script src="{{markdownUrl}}"></script>
        <script src="{{libraryUrl}}"></script>
        <script type="application/json" id="cards">{{JsonSerializer.Serialize(cardJsons)}}</script>
        <script type="application/json" id="host-config">{{hostConfig.ToJsonString()}}</script>
        </head>
        <body>
        <div id="channel"></div>
        <pre id="results"></pre>
        <script>
        {{Script}}
        </script>
        </body>
        </html>
        """;

    private const string Script = """
        (() => {
          const results = document.getElementById("results");
          const write = value => {
            results.textContent = JSON.stringify(value).replace(/[<>&\u007f-\uffff]/g, c => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
          };
          if (typeof AdaptiveCards === "undefined") {
            write({ error: "adaptivecards.min.js did not load", cards: [] });
            return;
          }
          const name = (names, value) => names[value] === undefined ? String(value) : names[value];
          const event = e => ({ phase: name(AdaptiveCards.ValidationPhase, e.phase), type: name(AdaptiveCards.ValidationEvent, e.event), message: String(e.message) });
          const kind = element => element.closest(".ac-fact-title") ? "FactTitle"
            : element.closest(".ac-fact-value") ? "FactValue"
            : element.classList.contains("ac-richTextBlock") ? "RichTextBlock" : "TextBlock";
          const hostConfig = new AdaptiveCards.HostConfig(JSON.parse(document.getElementById("host-config").textContent));
          const channel = document.getElementById("channel");
          const cards = JSON.parse(document.getElementById("cards").textContent).map(text => {
            const result = { events: [], rendered: false, text: null, texts: [], actions: [], error: null };
            const message = document.createElement("div");
            message.className = "message";
            channel.appendChild(message);
            try {
              const card = new AdaptiveCards.AdaptiveCard();
              card.hostConfig = hostConfig;
              const context = new AdaptiveCards.SerializationContext();
              card.parse(JSON.parse(text), context);
              for (let i = 0; i < context.eventCount; i++) {
                result.events.push(event(context.getEventAt(i)));
              }
              for (const e of card.validateProperties().validationEvents) {
                result.events.push(event(e));
              }
              const element = card.render();
              if (element) {
                message.appendChild(element);
                result.rendered = true;
                result.text = element.innerText;
                result.texts = [...element.querySelectorAll(".ac-textBlock, .ac-richTextBlock")].map(e => ({ kind: kind(e), text: e.innerText }));
                result.actions = [...element.querySelectorAll(".ac-pushButton")].map(b => ({
                  title: b.innerText || b.getAttribute("aria-label") || "",
                  classes: b.className,
                  styleAttribute: b.getAttribute("style"),
                }));
              }
            } catch (e) {
              result.error = String(e && e.stack ? e.stack : e);
            }
            return result;
          });
          write({ error: null, cards });
        })();
        """;
}
