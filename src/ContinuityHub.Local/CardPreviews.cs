using Microsoft.Extensions.Logging;

namespace ContinuityHub.Local;

/// <summary>
/// Writes the Teams sink's card previews (<see cref="CardPreviewPage"/>) and, before the first, copies the official
/// renderer (<see cref="AdaptiveCardsLibrary"/>) into the sink beside them, once per <see cref="LocalGraph"/>. When it
/// cannot be found or copied, that is logged once and every preview says what to do instead of rendering.
/// </summary>
internal sealed class CardPreviews(string sinkDirectory, Func<string?> locateLibrary, ILogger logger)
{
    private readonly Lock _gate = new();
    private bool? _withLibrary;

    public async Task WriteAsync(string fileName, string cardJson)
    {
        var html = CardPreviewPage.Html(cardJson, WithLibrary());
        await SinkFile.WriteAllTextAsync(Path.Combine(sinkDirectory, fileName), html, CancellationToken.None);
    }

    private bool WithLibrary()
    {
        lock (_gate)
        {
            return _withLibrary ??= CopyLibrary();
        }
    }

    private bool CopyLibrary()
    {
        var library = locateLibrary();
        if (library is null)
        {
            Log.CardRendererMissing(logger, CardPreviewPage.MissingLibrary, sinkDirectory);
            return false;
        }

        try
        {
            AdaptiveCardsLibrary.CopyTo(library, sinkDirectory);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.CardRendererCopyFailed(logger, exception, library, sinkDirectory);
            return false;
        }
    }
}
