using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContinuityHub.Local;

/// <summary>
/// What every page that draws cards as Teams does shares (the Teams sink's <see cref="CardPreviewPage"/>, the demo's
/// index): the Teams host configs (embedded in this assembly from <c>infra/teams-hostconfig/</c>), the CSS that makes the
/// library's buttons and links look like Teams' under each theme (<c>body[data-theme]</c>: light, dark, high-contrast),
/// the script function that renders one card with the official library (<see cref="RenderScript"/>), the strict
/// Content-Security-Policy (nothing from the network: only the bundles beside the page and its own inline script), and
/// JSON for <c>&lt;script type="application/json"&gt;</c> with <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> escaped as
/// <c>\u003C</c>…, so nothing in a card ends the script.
/// </summary>
public static class TeamsCardPageParts
{
    /// <summary>The host configs' names, as <c>data-theme</c> and the URL fragment of a preview write them.</summary>
    public static IReadOnlyList<string> Themes { get; } = ["light", "dark", "high-contrast"];

    // For people: the JSON is HTML-escaped where it is shown, so it keeps <, > and & as they are.
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Lazy<HostConfigTexts> _hostConfigs = new(EmbeddedHostConfigs);

    /// <summary>A fresh nonce for the page's one inline script.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>The page's <c>Content-Security-Policy</c>: scripts beside the page and the inline one with <paramref name="nonce"/>, inline styles, data: images, nothing else.</summary>
    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    /// <summary><c>&lt;script&gt;</c> elements loading markdown-it and the library beside the page (<see cref="AdaptiveCardsLibrary"/>).</summary>
    public static string LibraryScripts { get; } = $"""
        <script src="{AdaptiveCardsLibrary.MarkdownFileName}"></script>
        <script src="{AdaptiveCardsLibrary.FileName}"></script>
        """;

    /// <summary><c>{"light": …, "dark": …, "high-contrast": …}</c>, safe inside a JSON script element.</summary>
    public static string HostConfigsJson() => _hostConfigs.Value.All;

    /// <summary>The host config named <paramref name="theme"/> (light, dark, high-contrast), safe inside a JSON script element.</summary>
    public static string HostConfigJson(string theme) =>
        _hostConfigs.Value.ByTheme.TryGetValue(theme, out var json) ? json : throw new ArgumentException($"No Teams host config '{theme}': light, dark or high-contrast.", nameof(theme));

    /// <summary><paramref name="value"/> as JSON whose text holds no <c>&lt;</c>, <c>&gt;</c> or <c>&amp;</c> (they are <c>\u003C</c>, <c>\u003E</c>, <c>\u0026</c>).</summary>
    public static string ScriptJson<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>The card's JSON indented for people to read (as written when it is not JSON); HTML-encode it where it is shown.</summary>
    public static string Pretty(string cardJson)
    {
        ArgumentNullException.ThrowIfNull(cardJson);
        try
        {
            return JsonNode.Parse(cardJson)?.ToJsonString(_indented) ?? cardJson;
        }
        catch (JsonException)
        {
            return cardJson;
        }
    }

    /// <summary>
    /// The CSS that draws the library's output as Teams does: push buttons (default, positive, destructive) and links,
    /// under <c>body[data-theme="light"|"dark"|"high-contrast"]</c> (light when the body names none), and
    /// <c>.message</c>, the 600-pixel card of a channel message.
    /// </summary>
    public const string CardStyle = """
        .message { width: 600px; max-width: 100%; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.14); }
        body[data-theme="high-contrast"] .message { outline: 1px solid #ffffff; }
        .message:empty { display: none; }
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

    /// <summary>
    /// Defines <c>renderTeamsCard(json, hostConfig, say)</c>: parses the card (an object) with the official library under
    /// the host config (an object), renders it and returns <c>{ element, problems }</c> (the element or null, the parse
    /// events' messages). Action.OpenUrl opens http(s) and mailto links in a new tab; any other action calls
    /// <c>say(text)</c> with what Teams would do. Throws what the library throws.
    /// </summary>
    public const string RenderScript = """
        const renderTeamsCard = (json, hostConfig, say) => {
          const card = new AdaptiveCards.AdaptiveCard();
          card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
          card.onExecuteAction = action => {
            if (action instanceof AdaptiveCards.OpenUrlAction) {
              if (/^(https?|mailto):/i.test(action.url || "")) {
                window.open(action.url, "_blank", "noopener,noreferrer");
              }
            } else {
              say(action.getJsonTypeName() + " \u201C" + (action.title || "") + "\u201D: Teams would send this to the bot; the page does not.");
            }
          };
          const context = new AdaptiveCards.SerializationContext();
          card.parse(json, context);
          const element = card.render();
          const problems = [];
          for (let i = 0; i < context.eventCount; i++) {
            problems.push(context.getEventAt(i).message);
          }
          return { element, problems };
        };
        """;

    // {"light": …, "dark": …, "high-contrast": …} from the embedded microsoft-teams-*.json (read once, then only serialized).
    private static HostConfigTexts EmbeddedHostConfigs()
    {
        var assembly = typeof(TeamsCardPageParts).Assembly;
        var configs = new JsonObject();
        foreach (var theme in Themes)
        {
            using var stream = assembly.GetManifestResourceStream($"ContinuityHub.Local.HostConfigs.microsoft-teams-{theme}.json")
                ?? throw new InvalidOperationException($"The Teams host config {theme} is not embedded in {assembly.GetName().Name}.");
            configs[theme] = JsonNode.Parse(stream);
        }

        return new(configs.ToJsonString(), configs.ToDictionary(c => c.Key, c => c.Value!.ToJsonString(), StringComparer.Ordinal));
    }

    private sealed record HostConfigTexts(string All, IReadOnlyDictionary<string, string> ByTheme);
}
