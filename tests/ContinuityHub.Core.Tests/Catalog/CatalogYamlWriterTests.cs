using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

public class CatalogYamlWriterTests
{
    [Fact]
    public void Written_catalogue_reads_back_to_the_same_text()
    {
        var catalog = new CatalogBuilder()
            .WithService("sql", tier: 2, aliases: new() { [AliasSource.AzureMonitor] = ["/subscriptions/x/resourceGroups/sql"] })
            .WithService("ledger", dependsOn: ["sql"], name: "Core: Ledger # main \"books\"")
            .WithPlan("dr-ledger", ["ledger"], version: "3.10", documents: [new PlanDocument("docs/run book.md", new string('a', 64))])
            .WithExercise("ex-1", "dr-ledger", completed: new DateOnly(2026, 4, 1), result: ExerciseResult.Failed, achieved: TimeSpan.FromMinutes(90))
            .Build();

        var yaml = CatalogYamlWriter.Write(catalog);
        var again = CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml));

        Assert.Equal(yaml, again);
        Assert.Contains("version: \"3.10\"", yaml, StringComparison.Ordinal);
        Assert.Contains("achievedRecovery: 90m", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_priority_names_and_major_markers_are_written_and_read_back()
    {
        // Arrange
        var catalog = new CatalogBuilder()
            .WithPolicy(Policy.Default with
            {
                Priorities = new Dictionary<AliasSource, IReadOnlyDictionary<string, Priority>>
                {
                    [AliasSource.ServiceNow] = new Dictionary<string, Priority> { ["1 - Critical"] = Priority.P1 },
                    [AliasSource.Jira] = new Dictionary<string, Priority> { ["Blocker"] = Priority.P1, ["Major"] = Priority.P2 },
                },
                MajorMarkers = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Opsgenie] = ["major-incident"] },
            })
            .WithService("sql")
            .Build();

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml).Policy;

        // Assert
        Assert.Equal(yaml, CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml)));
        Assert.Contains("    jira: {Blocker: P1, Major: P2}\n", yaml, StringComparison.Ordinal);
        Assert.Equal(Priority.P1, back.PriorityOf(AliasSource.ServiceNow, "1 - Critical"));
        Assert.True(back.MarksMajor(AliasSource.Opsgenie, ["major-incident"]));
    }

    [Fact]
    public void Strings_a_yaml_reader_could_mistake_are_quoted()
    {
        var catalog = new CatalogBuilder()
            .WithService("s1", name: "true")
            .WithService("s2", name: "2026-01-01")
            .WithService("s3", name: "- dash")
            .WithService("s4", name: "12")
            .Build();

        var back = CatalogYamlReader.Read(CatalogYamlWriter.Write(catalog));

        Assert.Equal(["true", "2026-01-01", "- dash", "12"], back.Services.Select(s => s.Name));
    }
}
