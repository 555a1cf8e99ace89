using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>The sample organisation of <c>infra/seed/catalog.yaml</c>, whose demo "today" is 2026-11-25.</summary>
internal static class SeedCatalog
{
    public static readonly DateOnly Today = new(2026, 11, 25);

    private static readonly Lazy<ContinuityCatalog> _catalog = new(() => CatalogYamlReader.Read(File.ReadAllText(Path.Combine(FindRoot(), "infra", "seed", "catalog.yaml"))));

    public static ContinuityCatalog Catalog => _catalog.Value;

    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Serverless.sln not found above " + AppContext.BaseDirectory);
    }
}
