namespace ContinuityHub.Testing.Cards;

/// <summary>What the official renderer made of one card under one host config.</summary>
/// <param name="Events">The parse events (from the <c>SerializationContext</c>) then the <c>validateProperties()</c> events, in order.</param>
/// <param name="Rendered">Whether <c>render()</c> returned an element.</param>
/// <param name="Text">The rendered card's <c>innerText</c> (null when it did not render).</param>
/// <param name="Texts">Each text element (TextBlock, RichTextBlock, a fact's title and value) in document order.</param>
/// <param name="Actions">The action buttons, in document order.</param>
/// <param name="Error">The exception the library or <c>JSON.parse</c> threw, or null.</param>
public sealed record RenderedCard(
    IReadOnlyList<CardEvent> Events,
    bool Rendered,
    string? Text,
    IReadOnlyList<RenderedText> Texts,
    IReadOnlyList<RenderedAction> Actions,
    string? Error);

/// <summary>A parse or validation event: its <c>ValidationPhase</c> and <c>ValidationEvent</c> names and message.</summary>
public sealed record CardEvent(string Phase, string Type, string Message);

/// <summary>A rendered text element: <paramref name="Kind"/> is TextBlock, RichTextBlock, FactTitle or FactValue.</summary>
public sealed record RenderedText(string Kind, string Text);

/// <summary>An action button as rendered: its text, its class list and its <c>style</c> attribute.</summary>
public sealed record RenderedAction(string Title, string Classes, string? StyleAttribute)
{
    /// <summary>positive, destructive or default: the style the library drew the button in (its <c>style-…</c> class).</summary>
    public string Style =>
        Classes.Split(' ').Contains("style-destructive") ? "destructive"
        : Classes.Split(' ').Contains("style-positive") ? "positive"
        : "default";

    /// <summary>Whether the library drew the button as the primary one (<c>primary</c> class).</summary>
    public bool IsPrimary => Classes.Split(' ').Contains("primary");
}
