using ContinuityHub.Catalog;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// Every real vendor payload Core.Tests keeps (its Incidents/Parsing/Samples, copied here as VendorSamples) runs
/// through <c>hub simulate</c> against the seed catalogue as a user would run it.
/// </summary>
public class VendorSampleSimulateTests
{
    private static readonly string _directory = Path.Combine(AppContext.BaseDirectory, "VendorSamples");

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var (source, file) in Stored())
        {
            data.Add(source, file);
        }

        return data;
    }

    private static IEnumerable<(string Source, string File)> Stored() => VendorSampleFiles.Under(_directory);

    [Fact]
    public void Every_source_folder_is_linked_with_its_samples()
    {
        // Arrange
        var sources = Stored().Select(s => s.Source).ToHashSet(StringComparer.Ordinal);

        // Act
        var missing = CatalogNames.ToolSourceNames.Where(s => s != "generic" && !sources.Contains(s)).ToList();

        // Assert
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Stored_vendor_sample_is_simulated_with_the_seed_catalogue_and_names_the_state_read(string source, string file)
    {
        // Arrange
        var path = Path.Combine(_directory, source, file);
        Assert.True(CatalogNames.TryParseSource(source, out var alias), $"{source} is not a source");
        var state = IncidentParsers.Parse(alias, await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).State;

        // Act
        var run = await CliRun.RunAsync("simulate", path, "--source", source, "--catalog", CliRun.Seed);

        // Assert
        Assert.True(run.ExitCode == 0, run.Error);
        var incident = Assert.Single(run.OutLines, l => l.StartsWith("Incident: ", StringComparison.Ordinal));
        Assert.Contains($", {state}, started ", incident, StringComparison.Ordinal);
    }
}
