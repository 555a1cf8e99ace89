namespace ContinuityHub.Local;

/// <summary>
/// The repository's <c>infra/</c> folder (the one holding <c>package.json</c>: Azurite, the card renderer, the samples,
/// the seed catalogue), found above the current directory first, then above the binaries' folder, so the CLI works
/// from anywhere inside a clone and from its build output.
/// </summary>
public static class InfraFolder
{
    /// <summary>Every <c>infra/</c> found, nearest to the current directory first (at most two, usually the same).</summary>
    public static IEnumerable<string> Candidates() =>
        new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
            .Select(Above)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    /// <summary>The first <c>infra/</c> that holds <paramref name="relativePath"/>, as the full path of that file or folder; null when none does.</summary>
    public static string? Find(string relativePath) =>
        Candidates().Select(infra => Path.Combine(infra, relativePath)).FirstOrDefault(p => File.Exists(p) || Directory.Exists(p));

    private static string? Above(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var infra = Path.Combine(directory.FullName, "infra");
            if (File.Exists(Path.Combine(infra, "package.json")))
            {
                return infra;
            }
        }

        return null;
    }
}
