namespace ContinuityHub.Testing.Cards;

/// <summary>A Teams host config the card tests render and check under (files in <c>infra/teams-hostconfig/</c>).</summary>
public enum TeamsTheme
{
    Light,
    Dark,
    HighContrast,
}

/// <summary>
/// The files the card harness reads from the repository: the official renderer (installed by <c>npm ci</c> in
/// <c>infra/</c>), the Teams host configs and the Adaptive Cards 1.5 schema. The repository is the first folder above
/// <see cref="AppContext.BaseDirectory"/> that holds <c>Serverless.sln</c>.
/// </summary>
public static class CardAssets
{
    private static readonly Lazy<string> _root = new(FindRoot);

    public static IReadOnlyList<TeamsTheme> Themes { get; } = [TeamsTheme.Light, TeamsTheme.Dark, TeamsTheme.HighContrast];

    /// <summary>The repository's root folder (the one with <c>Serverless.sln</c>).</summary>
    public static string RepositoryRoot => _root.Value;

    /// <summary>The browser bundle of the pinned <c>adaptivecards</c> package; throws when <c>npm ci</c> has not run in <c>infra/</c>.</summary>
    public static string LibraryPath
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "infra", "node_modules", "adaptivecards", "dist", "adaptivecards.min.js");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"The official Adaptive Cards renderer is missing ({path}): run npm ci in infra/ (cd infra && npm ci --no-audit --no-fund).");
        }
    }

    /// <summary>
    /// The browser bundle of the pinned <c>markdown-it</c>, which the library uses (as Teams uses its own) to format a
    /// TextBlock's markdown; without it the library shows markdown as written.
    /// </summary>
    public static string MarkdownPath
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "infra", "node_modules", "markdown-it", "dist", "markdown-it.min.js");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"markdown-it is missing ({path}): run npm ci in infra/ (cd infra && npm ci --no-audit --no-fund).");
        }
    }

    public static string SchemaPath => Path.Combine(RepositoryRoot, "infra", "teams-hostconfig", "adaptive-card-1.5.schema.json");

    /// <summary>The name used in file names and messages: light, dark, high-contrast.</summary>
    public static string Name(this TeamsTheme theme) => theme switch
    {
        TeamsTheme.Light => "light",
        TeamsTheme.Dark => "dark",
        TeamsTheme.HighContrast => "high-contrast",
        _ => throw new ArgumentOutOfRangeException(nameof(theme), theme, null),
    };

    /// <summary>The theme of a name (light | dark | high-contrast).</summary>
    public static TeamsTheme Parse(string name)
    {
        foreach (var theme in Themes)
        {
            if (string.Equals(theme.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                return theme;
            }
        }

        throw new ArgumentException($"Unknown host config '{name}': light, dark or high-contrast.", nameof(name));
    }

    public static string HostConfigPath(TeamsTheme theme) =>
        Path.Combine(RepositoryRoot, "infra", "teams-hostconfig", $"microsoft-teams-{theme.Name()}.json");

    /// <summary>The background Teams draws a channel on under the theme (what a card sits on).</summary>
    public static string ChannelBackground(this TeamsTheme theme) => theme switch
    {
        TeamsTheme.Light => "#f5f5f5",
        TeamsTheme.Dark => "#1f1f1f",
        _ => "#000000",
    };

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Serverless.sln: the card harness runs from the repository's build output.");
    }
}
