using System.Globalization;
using System.Text.Json.Nodes;

namespace ContinuityHub.Testing.Cards;

/// <summary>
/// WCAG 2.x contrast of every text of a card under the three Teams host configs, resolved as the official renderer
/// does (adaptivecards 3.0.6, <c>card-elements.js</c>):
/// <list type="bullet">
/// <item>the container style is the nearest ancestor's (Container, Column, ColumnSet, TableRow, TableCell, the card)
/// valid <c>style</c>, else the card's <c>default</c>; an <c>Action.ShowCard</c>'s card starts from the host config's
/// <c>actions.showCard.style</c>;</item>
/// <item>a TextBlock's colour and subtlety are its own, else its <c>style</c>'s text style (<c>textStyles.heading</c>), else
/// <c>default</c>, not subtle; a TextRun inherits nothing from its RichTextBlock (<c>getEffectiveTextStyleDefinition</c>
/// walks up to the card's default text style), so it is its own colour or <c>default</c>; a fact's title and value take the
/// host config's <c>factSet.title</c> and <c>factSet.value</c>;</item>
/// <item>the foreground is <c>containerStyles.{style}.foregroundColors.{colour}.{default|subtle}</c>, <c>#AARRGGBB</c>
/// alpha-blended over the container's background, itself blended over its ancestors' and, last, over white.</item>
/// </list>
/// </summary>
public static class CardContrast
{
    public const double Minimum = 4.5;

    private static readonly string[] _containerStyles = ["default", "emphasis", "good", "attention", "warning", "accent"];
    private static readonly string[] _colours = ["default", "dark", "light", "accent", "good", "warning", "attention"];
    private static readonly string[] _styledTypes = ["AdaptiveCard", "Container", "Column", "ColumnSet", "TableRow", "TableCell"];
    private static readonly Lazy<IReadOnlyDictionary<TeamsTheme, JsonObject>> _hostConfigs = new(() =>
        CardAssets.Themes.ToDictionary(t => t, t => (JsonObject)JsonNode.Parse(File.ReadAllText(CardAssets.HostConfigPath(t)))!));

    /// <summary>Every text under 4.5:1 in any of the three host configs, naming host config, element path, style, colour and ratio.</summary>
    public static IReadOnlyList<string> Check(string cardJson) => [.. CardAssets.Themes.SelectMany(theme => Check(cardJson, theme))];

    /// <summary>Every text under 4.5:1 under <paramref name="theme"/>'s host config.</summary>
    public static IReadOnlyList<string> Check(string cardJson, TeamsTheme theme)
    {
        var card = JsonNode.Parse(cardJson) as JsonObject ?? throw new ArgumentException("The card is not a JSON object.", nameof(cardJson));
        var hostConfig = _hostConfigs.Value[theme];
        var problems = new List<string>();
        foreach (var text in CardTexts.Of(card, Text(hostConfig["actions"]?["showCard"]?["style"]) ?? "emphasis"))
        {
            var (colour, subtle) = Resolve(text, hostConfig);
            var style = text.Styles[^1];
            var background = text.Styles.Aggregate(Rgba.White, (under, s) => Background(hostConfig, s).Over(under));
            var foreground = Foreground(hostConfig, style, colour, subtle).Over(background);
            var ratio = Rgba.Contrast(foreground, background);
            if (ratio < Minimum)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{theme.Name()}: {text.Path} {text.Kind} \"{Excerpt(text.Text)}\": {colour}{(subtle ? " subtle" : "")} on {style} container, {foreground} on {background} = {ratio:0.00}:1 (needs {Minimum}:1)"));
            }
        }

        return problems;
    }

    private static (string Colour, bool Subtle) Resolve(CardText text, JsonObject hostConfig)
    {
        var defaults = text.Kind switch
        {
            "FactTitle" => hostConfig["factSet"]?["title"],
            "FactValue" => hostConfig["factSet"]?["value"],
            "TextBlock" when text.TextStyle is { } name => TextStyle(hostConfig, name),
            _ => null,
        };
        var colour = text.Kind is "FactTitle" or "FactValue" ? Colour(defaults?["color"]) : Colour(text.Colour) ?? Colour(defaults?["color"]);
        var subtle = text.Kind is "FactTitle" or "FactValue" ? Bool(defaults?["isSubtle"]) : text.IsSubtle ?? Bool(defaults?["isSubtle"]);
        return (colour ?? "default", subtle ?? false);
    }

    // TextStyleSet.getStyleByName: heading and (by its switch on a lower-cased name, never matching) default.
    private static JsonNode? TextStyle(JsonObject hostConfig, string name) =>
        string.Equals(name, "heading", StringComparison.OrdinalIgnoreCase) ? hostConfig["textStyles"]?["heading"] ?? new JsonObject() : null;

    private static Rgba Background(JsonObject hostConfig, string style) =>
        Rgba.Parse(Text(StyleOf(hostConfig, style)["backgroundColor"]) ?? throw new InvalidOperationException($"Host config style {style} has no backgroundColor."));

    private static Rgba Foreground(JsonObject hostConfig, string style, string colour, bool subtle)
    {
        var colours = StyleOf(hostConfig, style)["foregroundColors"]?[colour]
            ?? throw new InvalidOperationException($"Host config style {style} has no foreground colour {colour}.");
        return Rgba.Parse(Text(colours[subtle ? "subtle" : "default"]) ?? throw new InvalidOperationException($"Host config style {style}, colour {colour} has no value."));
    }

    private static JsonNode StyleOf(JsonObject hostConfig, string style) =>
        hostConfig["containerStyles"]?[style] ?? hostConfig["containerStyles"]?["default"] ?? throw new InvalidOperationException("The host config has no containerStyles.");

    internal static string? ContainerStyle(JsonNode? value) =>
        Text(value)?.ToLowerInvariant() is { } style && _containerStyles.Contains(style) ? style : null;

    internal static bool SetsStyle(string? type) => type is not null && _styledTypes.Contains(type);

    private static string? Colour(JsonNode? value) => Colour(Text(value));

    private static string? Colour(string? value) =>
        value?.ToLowerInvariant() is { } colour && _colours.Contains(colour) ? colour : null;

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static bool? Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..39] + "…";
}
