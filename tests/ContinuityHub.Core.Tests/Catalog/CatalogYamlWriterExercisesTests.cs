using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>An exercise's scenario, decisions, participants and liveAutomations written as YAML and read back.</summary>
public class CatalogYamlWriterExercisesTests
{
    /// <summary>A generic payload as a vendor might send it: indented, with numbers, booleans, nulls and text JSON and YAML both escape.</summary>
    private const string InlinePayload = """
        {
          "id": "INC-1",
          "title": "Kärnsystem \"nere\": line\nbreak\ttab \u2028 sep 😀 # not a comment",
          "startedAt": "2026-11-24T09:58:12Z",
          "services": ["sql-cluster", "1", "true", "null", ""],
          "major": true,
          "estimatedRestoreAt": null,
          "epochMs": 1764582000000,
          "ratio": -0.25e-3,
          "nested": {"empty": {}, "none": [], "deep": [[1, 2], {"k": false}]},
          "key: with colon": "{not, a: flow}"
        }
        """;

    private static ContinuityCatalog WithPlay(params ExerciseInject[] scenario)
    {
        var catalog = new CatalogBuilder().WithService("sql-cluster").WithPlan("dr-sql", ["sql-cluster"]).WithExercise("ex-1", "dr-sql", findings: []).Build();
        return catalog with
        {
            Exercises =
            [
                catalog.Exercises[0] with
                {
                    Scenario = scenario,
                    Decisions =
                    [
                        new ScriptedDecision(TimeSpan.FromMinutes(70), DecisionAction.Invoke, "dr-sql", "alex.morgan@contoso.com"),
                        new ScriptedDecision(TimeSpan.FromHours(2), DecisionAction.StandDown, "dr-sql", "noah@contoso.com"),
                    ],
                    Participants = ["alex.morgan@contoso.com", "noah@contoso.com"],
                    LiveAutomations = true,
                },
            ],
        };
    }

    [Fact]
    public void Scenario_decisions_participants_and_live_automations_are_written_and_read_back_to_the_same_model()
    {
        // Arrange
        var catalog = WithPlay(
            new ExerciseInject(TimeSpan.Zero, AliasSource.Generic, InlinePayload, null, false),
            new ExerciseInject(TimeSpan.FromMinutes(45), AliasSource.Generic, InlinePayload, null, false),
            new ExerciseInject(TimeSpan.FromHours(3), null, null, null, true));

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml).Exercises.Single();

        // Assert
        var expected = catalog.Exercises[0];
        Assert.Equal(expected.Participants, back.Participants);
        Assert.True(back.LiveAutomations);
        Assert.Equal(expected.Decisions, back.Decisions);
        Assert.Equal(expected.Scenario.Select(i => (i.At, i.Source, i.Sample, i.Resolve)), back.Scenario.Select(i => (i.At, i.Source, i.Sample, i.Resolve)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(InlinePayload), JsonNode.Parse(back.Scenario[0].Payload!)));
        Assert.Null(back.Scenario[2].Payload);
        Assert.Equal(yaml, CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml)));
    }

    [Fact]
    public void Reading_what_was_written_gives_the_same_payload_text_again()
    {
        var first = CatalogYamlReader.Read(CatalogYamlWriter.Write(WithPlay(new ExerciseInject(TimeSpan.Zero, AliasSource.Generic, InlinePayload, null, false))));

        var second = CatalogYamlReader.Read(CatalogYamlWriter.Write(first));

        Assert.Equal(first.Exercises[0].Scenario, second.Exercises[0].Scenario);
    }

    [Fact]
    public void An_inline_payload_is_written_as_a_json_flow_mapping_on_one_line()
    {
        // Act
        var yaml = CatalogYamlWriter.Write(WithPlay(new ExerciseInject(TimeSpan.FromMinutes(45), AliasSource.Generic, InlinePayload, null, false)));

        // Assert
        var line = Assert.Single(yaml.Split('\n'), l => l.StartsWith("        payload: ", StringComparison.Ordinal));
        var flow = line["        payload: ".Length..];
        Assert.StartsWith("{\"id\": \"INC-1\", ", flow, StringComparison.Ordinal);
        Assert.Contains("\"epochMs\": 1764582000000, \"ratio\": -0.25e-3", flow, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(InlinePayload), JsonNode.Parse(flow)));
    }

    [Fact]
    public void An_inject_from_a_sample_writes_its_sample_not_the_payload_read_from_it()
    {
        // Arrange: as after the sample file was read.
        var catalog = WithPlay(new ExerciseInject(TimeSpan.Zero, AliasSource.AzureMonitor, """{"schemaId": "azureMonitorCommonAlertSchema"}""", "infra/samples/azuremonitor/metric-alert-fired.json", false));

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);

        // Assert
        Assert.Contains("""
                scenario:
                  - at: 0m
                    source: azuremonitor
                    sample: infra/samples/azuremonitor/metric-alert-fired.json
                decisions:
                  - {at: 1h10m, action: Invoke, plan: dr-sql, by: alex.morgan@contoso.com}
                  - {at: 2h, action: StandDown, plan: dr-sql, by: noah@contoso.com}

            """, yaml, StringComparison.Ordinal);
        Assert.Contains("    participants: [alex.morgan@contoso.com, noah@contoso.com]\n    liveAutomations: true\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("schemaId", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exercise_without_a_scenario_writes_none_of_the_keys_for_playing_it()
    {
        var yaml = CatalogYamlWriter.Write(new CatalogBuilder().WithService("sql").WithPlan("dr-sql", ["sql"]).WithExercise("ex-1", "dr-sql").Build());

        foreach (var key in new[] { "scenario:", "decisions:", "participants:", "liveAutomations:" })
        {
            Assert.DoesNotContain(key, yaml, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, "0m")]
    [InlineData(45 * 60, "45m")]
    [InlineData(70 * 60, "1h10m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData((26 * 3600) + 30, "1d2h30s")]
    public void Offsets_are_written_in_falling_units(int seconds, string expected)
    {
        Assert.Equal(expected, CatalogYamlWriter.Offset(TimeSpan.FromSeconds(seconds)));
    }
}
