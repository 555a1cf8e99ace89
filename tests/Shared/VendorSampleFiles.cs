namespace ContinuityHub.Testing;

/// <summary>The vendor payload samples kept under a directory: one folder per source, its JSON files, in a stable order.</summary>
internal static class VendorSampleFiles
{
    public static IEnumerable<(string Source, string File)> Under(string directory) =>
        from source in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal)
        from file in Directory.EnumerateFiles(source, "*.json").Order(StringComparer.Ordinal)
        select (Path.GetFileName(source), Path.GetFileName(file));
}
