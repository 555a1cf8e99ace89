using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContinuityHub.Testing.Cards;

/// <summary>
/// Renders Adaptive Cards with the official <c>adaptivecards</c> library (the pinned browser bundle in
/// <c>infra/node_modules</c>; its Swiper dependency is bundled in, nothing else is loaded) in headless Chromium,
/// under a Teams host config: one Chromium launch per call, however many cards. Each card is parsed with a
/// <c>SerializationContext</c> that collects events, checked with <c>validateProperties()</c>, and rendered; the
/// page writes what it saw as JSON into <c>&lt;pre id="results"&gt;</c> and the DOM Chromium dumps carries it back.
/// </summary>
public static partial class OfficialCardRenderer
{
    private static readonly JsonSerializerOptions _results = new(JsonSerializerDefaults.Web);

    /// <summary>Renders each card of <paramref name="cardJsons"/> under <paramref name="theme"/>'s host config.</summary>
    public static async Task<IReadOnlyList<RenderedCard>> RenderAsync(IReadOnlyList<string> cardJsons, TeamsTheme theme, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cardJsons);
        var work = Directory.CreateTempSubdirectory("hub-cards-");
        try
        {
            var page = await WritePageAsync(work.FullName, cardJsons, theme, width: 600, cancellationToken);
            var dom = await HeadlessChromium.DumpDomAsync(page, cancellationToken);
            var match = ResultsElement().Match(dom);
            if (!match.Success)
            {
                throw new InvalidOperationException($"The card page wrote no results: {dom[..Math.Min(dom.Length, 2000)]}");
            }

            var results = JsonSerializer.Deserialize<PageResults>(WebUtility.HtmlDecode(match.Groups["json"].Value), _results)
                ?? throw new InvalidOperationException("The card page's results are null.");
            if (results.Error is { } error)
            {
                throw new InvalidOperationException($"The card page failed: {error}");
            }

            return results.Cards.Count == cardJsons.Count
                ? results.Cards
                : throw new InvalidOperationException($"The card page rendered {results.Cards.Count} of {cardJsons.Count} cards.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Renders one card; see <see cref="RenderAsync(IReadOnlyList{string}, TeamsTheme, CancellationToken)"/>.</summary>
    public static async Task<RenderedCard> RenderAsync(string cardJson, TeamsTheme theme, CancellationToken cancellationToken) =>
        (await RenderAsync([cardJson], theme, cancellationToken))[0];

    /// <summary>Renders the cards under the host config named light, dark or high-contrast.</summary>
    public static Task<IReadOnlyList<RenderedCard>> RenderAsync(IReadOnlyList<string> cardJsons, string hostConfig, CancellationToken cancellationToken) =>
        RenderAsync(cardJsons, CardAssets.Parse(hostConfig), cancellationToken);

    /// <summary>
    /// A PNG of the cards, one under the other, as a Teams channel shows them under <paramref name="theme"/>: the channel's
    /// background, each card <paramref name="width"/> CSS pixels wide. The window is <paramref name="height"/> high.
    /// </summary>
    public static async Task ScreenshotAsync(IReadOnlyList<string> cardJsons, TeamsTheme theme, string pngPath, int width = 600, int height = 900, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cardJsons);
        var work = Directory.CreateTempSubdirectory("hub-cards-shot-");
        try
        {
            var page = await WritePageAsync(work.FullName, cardJsons, theme, width, cancellationToken);
            await HeadlessChromium.ScreenshotAsync(page, pngPath, width + (2 * CardPage.Margin), height, cancellationToken);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>A PNG of one card; see <see cref="ScreenshotAsync(IReadOnlyList{string}, TeamsTheme, string, int, int, CancellationToken)"/>.</summary>
    public static Task ScreenshotAsync(string cardJson, TeamsTheme theme, string pngPath, int width = 600, int height = 900, CancellationToken cancellationToken = default) =>
        ScreenshotAsync([cardJson], theme, pngPath, width, height, cancellationToken);

    private static async Task<string> WritePageAsync(string directory, IReadOnlyList<string> cardJsons, TeamsTheme theme, int width, CancellationToken cancellationToken)
    {
        var library = CardAssets.LibraryPath;
        var hostConfig = JsonNode.Parse(await File.ReadAllTextAsync(CardAssets.HostConfigPath(theme), cancellationToken))!;
        var page = Path.Combine(directory, "cards.html");
        await File.WriteAllTextAsync(page, CardPage.Html(new Uri(library).AbsoluteUri, new Uri(CardAssets.MarkdownPath).AbsoluteUri, cardJsons, hostConfig, theme, width), Encoding.UTF8, cancellationToken);
        return page;
    }

    [GeneratedRegex("<pre id=\"results\"[^>]*>(?<json>[^<]*)</pre>", RegexOptions.CultureInvariant)]
    private static partial Regex ResultsElement();

    private sealed record PageResults(string? Error, IReadOnlyList<RenderedCard> Cards);
}
