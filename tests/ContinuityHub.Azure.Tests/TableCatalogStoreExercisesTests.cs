using Azure.Data.Tables;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests;

/// <summary>An exercise's scenario, scripted decisions, participants and liveAutomations in the Exercises table, against Azurite.</summary>
public sealed class TableCatalogStoreExercisesTests
{
    private const string Payload = """{"id": "INC-7", "title": "Kärnsystem \"nere\" 😀", "startedAt": "2026-11-24T09:58:12Z", "epochMs": 1764582000000}""";

    private readonly StorageClients _clients;
    private readonly TableCatalogStore _store;

    public TableCatalogStoreExercisesTests(AzuriteFixture azurite)
    {
        _clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        _store = new TableCatalogStore(_clients, AzuriteFixture.UniqueTableName());
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ContinuityCatalog Played(params ExerciseInject[] scenario) =>
        CatalogBuilder.Sample().ChangeExercise("ex-2025-q3", e => e with
        {
            Scenario = scenario,
            Decisions =
            [
                new ScriptedDecision(TimeSpan.FromMinutes(70), DecisionAction.Invoke, "dr-payments", "alex.morgan@contoso.com"),
                new ScriptedDecision(TimeSpan.FromHours(2), DecisionAction.StandDown, "cm-main", "noah@contoso.com"),
            ],
            Participants = ["alex.morgan@contoso.com", "noah@contoso.com"],
            LiveAutomations = true,
        }).Build();

    private static ExerciseInject[] Scenario =>
    [
        new(TimeSpan.Zero, AliasSource.AzureMonitor, "{\n  \"schemaId\": \"azureMonitorCommonAlertSchema\"\n}\n", "infra/samples/azuremonitor/metric-alert-fired.json", false),
        new(TimeSpan.FromMinutes(45), AliasSource.Generic, Payload, null, false),
        new(TimeSpan.FromHours(3), null, null, null, true),
    ];

    private async Task<TableEntity> RowAsync(string plan, string exercise)
    {
        var table = _clients.Tables.GetTableClient(_store.TableName(StorageNames.ExercisesTable));
        return (await table.GetEntityAsync<TableEntity>(plan, exercise, cancellationToken: Token)).Value;
    }

    [Fact]
    public async Task Scenario_decisions_participants_and_live_automations_are_stored_and_loaded_back()
    {
        // Arrange
        var catalog = Played(Scenario);

        // Act
        await _store.ReplaceAsync(catalog, progress: null, Token);
        var loaded = await _store.LoadAsync(Token);

        // Assert
        CatalogAssert.Equal(catalog, loaded);
        var exercise = loaded.Exercises.Single(e => e.Id == "ex-2025-q3");
        Assert.Equal(Payload, exercise.Scenario[1].Payload);
        Assert.True(exercise.LiveAutomations);
        Assert.False((await _store.ReplaceAsync(loaded, progress: null, Token)).Changed);
    }

    [Fact]
    public async Task The_columns_are_readable_json_with_iso_durations_and_absent_when_empty()
    {
        // Act
        await _store.ReplaceAsync(Played(Scenario), progress: null, Token);
        var played = await RowAsync("cm-main", "ex-2025-q3");
        var other = await RowAsync("dr-payments", "ex-2025-q1");

        // Assert
        Assert.Equal(
            "[{\"at\":\"PT0S\",\"source\":\"azuremonitor\",\"sample\":\"infra/samples/azuremonitor/metric-alert-fired.json\",\"payload\":\"{\\n  \\\"schemaId\\\": \\\"azureMonitorCommonAlertSchema\\\"\\n}\\n\"},"
            + "{\"at\":\"PT45M\",\"source\":\"generic\",\"payload\":\"{\\\"id\\\": \\\"INC-7\\\", \\\"title\\\": \\\"Kärnsystem \\\\\\\"nere\\\\\\\" \\uD83D\\uDE00\\\", \\\"startedAt\\\": \\\"2026-11-24T09:58:12Z\\\", \\\"epochMs\\\": 1764582000000}\"},"
            + "{\"at\":\"PT3H\",\"resolve\":true}]",
            played.GetString("Scenario"));
        Assert.Equal(
            "[{\"at\":\"PT1H10M\",\"action\":\"Invoke\",\"plan\":\"dr-payments\",\"by\":\"alex.morgan@contoso.com\"},{\"at\":\"PT2H\",\"action\":\"StandDown\",\"plan\":\"cm-main\",\"by\":\"noah@contoso.com\"}]",
            played.GetString("Decisions"));
        Assert.Equal("[\"alex.morgan@contoso.com\",\"noah@contoso.com\"]", played.GetString("Participants"));
        Assert.True(played.GetBoolean("LiveAutomations"));
        foreach (var column in new[] { "Scenario", "Decisions", "Participants", "LiveAutomations" })
        {
            Assert.False(other.ContainsKey(column), column);
        }
    }

    [Fact]
    public async Task An_exercise_row_written_before_scenarios_existed_loads_with_none_and_is_not_rewritten()
    {
        // Arrange: the sample catalogue's exercises have none of the new keys, so their rows have none of the columns.
        var catalog = CatalogBuilder.Sample().Build();
        await _store.ReplaceAsync(catalog, progress: null, Token);

        // Act
        var loaded = await _store.LoadAsync(Token);
        var changes = await _store.ReplaceAsync(catalog, progress: null, Token);

        // Assert
        Assert.All(loaded.Exercises, e => Assert.Equal((0, 0, 0, false), (e.Scenario.Count, e.Decisions.Count, e.Participants.Count, e.LiveAutomations)));
        Assert.False(changes.Changed);
    }

    [Fact]
    public async Task A_scenario_longer_than_one_property_holds_is_stored_in_parts_and_loaded_whole()
    {
        // Arrange: about 50,000 characters, more than the 32 Ki one string property holds, within the 60,000 a scenario may.
        var title = new string('x', 24_000) + "😀";
        var big = $$"""{"id": "INC-7", "title": "{{title}}", "startedAt": "2026-11-24T09:58:12Z"}""";
        var catalog = Played(new(TimeSpan.Zero, AliasSource.Generic, big, null, false), new(TimeSpan.FromMinutes(5), AliasSource.Generic, big, null, false));
        Assert.Empty(CatalogValidator.Validate(catalog));

        // Act
        await _store.ReplaceAsync(catalog, progress: null, Token);
        var row = await RowAsync("cm-main", "ex-2025-q3");
        var loaded = await _store.LoadAsync(Token);

        // Assert
        Assert.False(row.ContainsKey("Scenario"));
        Assert.True(row.ContainsKey("Scenario0") && row.ContainsKey("Scenario1"));
        Assert.Equal([big, big], loaded.Exercises.Single(e => e.Id == "ex-2025-q3").Scenario.Select(i => i.Payload));
        Assert.False((await _store.ReplaceAsync(catalog, progress: null, Token)).Changed);
    }
}
