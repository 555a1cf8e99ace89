using ContinuityHub.Local;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// Draws what <c>hub demo</c> played for a continuity manager who has never seen the hub: <c>index.html</c> in the output
/// directory (a header, the summary table, the timeline, every card as Teams shows it, every file) with the official
/// Adaptive Cards renderer and markdown-it copied beside it, and <c>timeline.json</c>, the same run for machines.
/// The page opens from <c>file://</c> and loads nothing from the network; without the renderer it says what to do and
/// shows each card's JSON.
/// </summary>
public static class DemoPage
{
    public const string IndexFileName = "index.html";

    public const string TimelineFileName = "timeline.json";

    /// <summary>The page's one line when it cannot draw the cards.</summary>
    public const string MissingLibrary = "Cards need the official Adaptive Cards renderer: run `npm ci` in infra/.";

    /// <summary>
    /// Writes <see cref="IndexFileName"/> into <see cref="DemoRun.OutputDirectory"/>, reading each card's JSON from its
    /// <see cref="DemoCard.File"/> there, and copies the renderer found by <see cref="AdaptiveCardsLibrary.Locate"/> beside it.
    /// </summary>
    public static Task WriteAsync(DemoRun run, CancellationToken cancellationToken) =>
        WriteAsync(run, AdaptiveCardsLibrary.Locate, cancellationToken);

    /// <summary>
    /// <see cref="WriteAsync(DemoRun, CancellationToken)"/> with the renderer's bundle from <paramref name="locateLibrary"/>:
    /// its full path, or null for a page that shows the cards' JSON instead.
    /// </summary>
    /// <exception cref="FileNotFoundException">A card's JSON file is not in the output directory.</exception>
    public static async Task WriteAsync(DemoRun run, Func<string?> locateLibrary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(locateLibrary);
        var cards = new List<DemoPageCard>();
        foreach (var card in run.Cards.OrderBy(c => c.Step).ThenBy(c => c.At))
        {
            var path = DemoLinks.InsideOutput(run.OutputDirectory, card.File)
                ?? throw new ArgumentException($"The card file '{card.File}' is not a path inside {run.OutputDirectory}.", nameof(run));
            cards.Add(new DemoPageCard(card, await File.ReadAllTextAsync(path, cancellationToken)));
        }

        var library = locateLibrary();
        if (library is not null)
        {
            AdaptiveCardsLibrary.CopyTo(library, run.OutputDirectory);
        }

        var html = DemoPageHtml.Html(run, cards, withLibrary: library is not null);
        await File.WriteAllTextAsync(Path.Combine(run.OutputDirectory, IndexFileName), html, cancellationToken);
    }

    /// <summary>
    /// Writes the run as <see cref="TimelineFileName"/> into <see cref="DemoRun.OutputDirectory"/>: camelCase, indented,
    /// durations ISO 8601 (<c>PT2M10S</c>), times ISO 8601 UTC (<c>2026-11-24T09:40:00Z</c>), as the hub's other JSON.
    /// </summary>
    public static async Task WriteTimelineAsync(DemoRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await File.WriteAllTextAsync(Path.Combine(run.OutputDirectory, TimelineFileName), DemoTimelineJson.Serialize(run), cancellationToken);
    }
}

/// <summary>A card of the run with its JSON, as the page embeds it.</summary>
internal sealed record DemoPageCard(DemoCard Card, string Json);
