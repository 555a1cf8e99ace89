namespace ContinuityHub.Local;

/// <summary>
/// Finds the official Adaptive Cards renderer's browser bundle, <c>infra/node_modules/adaptivecards/dist/adaptivecards.min.js</c>
/// (the pinned <c>adaptivecards</c> package, installed by <c>npm ci</c> in <see cref="InfraFolder"/>).
/// </summary>
public static class AdaptiveCardsLibrary
{
    public const string FileName = "adaptivecards.min.js";

    /// <summary>markdown-it's browser bundle: the library formats a TextBlock's markdown with it, as Teams does with its own.</summary>
    public const string MarkdownFileName = "markdown-it.min.js";

    /// <summary>The bundle's full path, or null when no repository is found above either folder or <c>npm ci</c> has not run there.</summary>
    public static string? Locate() => InfraFolder.Find(Path.Combine("node_modules", "adaptivecards", "dist", FileName));

    /// <summary>markdown-it's bundle beside the library's (the pinned <c>markdown-it</c>), or null.</summary>
    public static string? LocateMarkdown(string library)
    {
        var path = Path.Combine(Path.GetDirectoryName(library)!, "..", "..", "markdown-it", "dist", MarkdownFileName);
        return File.Exists(path) ? Path.GetFullPath(path) : null;
    }

    /// <summary>
    /// Copies the library at <paramref name="library"/> and, when it is beside it, markdown-it into
    /// <paramref name="directory"/> (as <see cref="FileName"/> and <see cref="MarkdownFileName"/>), replacing older copies,
    /// so pages there load them by relative URL. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    public static void CopyTo(string library, string directory)
    {
        File.Copy(library, Path.Combine(directory, FileName), overwrite: true);
        if (LocateMarkdown(library) is { } markdown)
        {
            File.Copy(markdown, Path.Combine(directory, MarkdownFileName), overwrite: true);
        }
    }
}
