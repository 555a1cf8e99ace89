namespace ContinuityHub.Cli.Demo;

/// <summary>
/// The demo index's own CSS (the page around the cards; the cards' Teams look is
/// <see cref="Local.TeamsCardPageParts.CardStyle"/>) and its script, which draws every card from <c>#cards-data</c>
/// into its article with <c>renderTeamsCard</c> under <c>#host-config</c>, or shows the cards' JSON and the
/// instruction when the library did not load.
/// </summary>
internal static class DemoPageAssets
{
    public const string Style = """
        html, body { margin: 0; font: 14px/1.45 "Segoe UI", system-ui, sans-serif; }
        body { background: #f5f5f5; color: #242424; }
        header, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
        header { padding-top: 20px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 10px; }
        h3 { font-size: 14px; margin: 0 0 4px; }
        #ran { margin: 0; color: #616161; }
        #story { font-size: 16px; max-width: 70em; }
        table { border-collapse: collapse; background: #ffffff; border: 1px solid #e0e0e0; }
        th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid #e0e0e0; }
        table.summary th { font-weight: 600; min-width: 12em; }
        table.timeline { width: 100%; }
        table.timeline thead th { background: #ebebeb; font-weight: 600; }
        td.number, td.at, td.offset { white-space: nowrap; }
        td.offset { color: #616161; font-variant-numeric: tabular-nums; }
        td.files ul, ul.all-files { margin: 0; padding-left: 1.1em; }
        td.files ul { list-style: none; padding: 0; }
        a { color: #4f52b2; }
        code { font: 12px ui-monospace, Consolas, monospace; }
        .kind { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; background: #e0e0e0; color: #424242; }
        .kind-alert, .kind-escalation { background: #fde7e9; color: #a4262c; }
        .kind-update, .kind-clock { background: #fff4ce; color: #6d4400; }
        .kind-recommendation, .kind-decision, .kind-invoked, .kind-reply { background: #e8ebfa; color: #3d3e8f; }
        .kind-resolved, .kind-stand-down { background: #dff6dd; color: #0b5a0b; }
        .kind-report { background: #def3f7; color: #00566b; }
        article.card { margin: 0 0 28px; }
        .card-summary { margin: 0 0 2px; }
        .card-meta { margin: 0 0 8px; color: #616161; }
        .status:empty { display: none; }
        .status { color: #a4262c; }
        .card-json { white-space: pre-wrap; word-break: break-word; max-width: 900px; padding: 12px; background: #ffffff; color: #242424; border: 1px solid #d1d1d1; border-radius: 4px; font: 12px ui-monospace, Consolas, monospace; }
        #instruction { font-weight: 600; }
        """;

    public const string Script = """
        (() => {
          const articles = [...document.querySelectorAll("article.card")];
          if (typeof AdaptiveCards === "undefined") {
            document.getElementById("instruction").hidden = false;
            for (const json of document.querySelectorAll(".card-json")) {
              json.hidden = false;
            }
            return;
          }
          const texts = JSON.parse(document.getElementById("cards-data").textContent);
          const hostConfig = JSON.parse(document.getElementById("host-config").textContent);
          texts.forEach((text, i) => {
            const article = articles[i];
            const status = article.querySelector(".status");
            const json = article.querySelector(".card-json");
            try {
              const { element, problems } = renderTeamsCard(JSON.parse(text), hostConfig, message => { status.textContent = message; });
              if (!element) {
                throw new Error("the library drew nothing");
              }
              article.querySelector(".message").replaceChildren(element);
              status.textContent = problems.length ? "The renderer reported: " + problems.join(" ") : "";
              json.remove();
            } catch (e) {
              json.hidden = false;
              status.textContent = "The card could not be drawn: " + e.message;
            }
          });
        })();
        """;
}
