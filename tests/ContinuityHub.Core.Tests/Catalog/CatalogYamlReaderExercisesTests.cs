using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>
/// An exercise's <c>scenario</c>, <c>decisions</c>, <c>participants</c> and <c>liveAutomations</c> as the file gives
/// them, the inline payload's conversion to JSON, and each rule they keep, by its path.
/// </summary>
public class CatalogYamlReaderExercisesTests
{
    private const string Base = """
        services:
          - id: sql-cluster
            name: SQL cluster
            tier: 1
            rto: 1h
            rpo: 5m
            mtpd: 6h
        plans:
          - id: dr-sql
            title: SQL failover
            type: DisasterRecovery
            version: "1.0"
            status: Approved
            services: [sql-cluster]
            recoveryTime: 45m
            nextReview: 2027-01-01
          - id: er-dc1
            title: DC1 emergency response
            type: EmergencyResponse
            version: "1.0"
            status: Approved
            services: [sql-cluster]
            recoveryTime: 30m
            nextReview: 2027-01-01
        exercises:
          - id: ex-sql
            plan: dr-sql
            type: simulation
            scheduled: 2026-12-10

        """;

    /// <summary>A generic payload the hub's own parser takes, as a JSON flow mapping.</summary>
    private const string Generic = """{id: INC-1, title: SQL down, startedAt: "2026-11-24T09:58:12Z", services: [sql-cluster], major: true}""";

    private const string Catalogue = Base + """
            participants: [noah@contoso.com, sam@contoso.com]
            liveAutomations: true
            scenario:
              - at: 0m
                source: azuremonitor
                sample: infra/samples/azuremonitor/metric-alert-fired.json
              - at: 45m
                source: generic
                payload:
                  id: INC-1
                  title: SQL down
                  startedAt: "2026-11-24T09:58:12Z"
                  services: [sql-cluster]
              - at: 3h
                resolve: true
            decisions:
              - {at: 1h10m, action: Invoke, plan: dr-sql, by: alex.morgan@contoso.com}
              - {at: 2h, action: standdown, plan: er-dc1, by: noah@contoso.com}
        """;

    /// <summary>The base catalogue with <paramref name="lines"/> added to its exercise (indented under it).</summary>
    private static string With(string lines) => Base + string.Concat(lines.Split('\n').Select(l => "    " + l + "\n"));

    /// <summary>The base catalogue whose exercise has the given injects (list items under <c>scenario:</c>).</summary>
    private static string Scenario(string injects) => With("scenario:\n" + string.Concat(injects.Split('\n').Select(l => "  " + l + "\n")).TrimEnd('\n'));

    private static Exercise Read(string yaml) => CatalogYamlReader.Read(yaml).Exercises.Single();

    /// <summary>
    /// The JSON an inline generic payload of <paramref name="payloadLines"/> (indented under <c>payload:</c>) becomes,
    /// without the fields the generic parser requires (which the payload starts with).
    /// </summary>
    private static string PayloadOf(string payloadLines)
    {
        const string required = "id: INC-1\ntitle: t\nstartedAt: \"2026-11-24T09:58:12Z\"\n";
        var lines = string.Concat((required + payloadLines).Split('\n').Select(l => "    " + l + "\n")).TrimEnd('\n');
        var json = Read(Scenario("- at: 0m\n  source: generic\n  payload:\n" + lines)).Scenario[0].Payload!;
        const string prefix = """{"id":"INC-1","title":"t","startedAt":"2026-11-24T09:58:12Z",""";
        Assert.StartsWith(prefix, json, StringComparison.Ordinal);
        return "{" + json[prefix.Length..];
    }

    private static List<string> Problems(string yaml) =>
        [.. Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml)).Problems.Select(p => p.ToString())];

    [Fact]
    public void Scenario_decisions_participants_and_live_automations_read_in_file_order()
    {
        // Act
        var exercise = Read(Catalogue);

        // Assert
        Assert.Equal(["noah@contoso.com", "sam@contoso.com"], exercise.Participants);
        Assert.True(exercise.LiveAutomations);
        Assert.Equal(3, exercise.Scenario.Count);
        Assert.Equal(new ExerciseInject(TimeSpan.Zero, AliasSource.AzureMonitor, null, "infra/samples/azuremonitor/metric-alert-fired.json", false), exercise.Scenario[0]);
        Assert.Equal((TimeSpan.FromMinutes(45), AliasSource.Generic, null, false), (exercise.Scenario[1].At, exercise.Scenario[1].Source, exercise.Scenario[1].Sample, exercise.Scenario[1].Resolve));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"id": "INC-1", "title": "SQL down", "startedAt": "2026-11-24T09:58:12Z", "services": ["sql-cluster"]}"""),
            JsonNode.Parse(exercise.Scenario[1].Payload!)));
        Assert.Equal(new ExerciseInject(TimeSpan.FromHours(3), null, null, null, true), exercise.Scenario[2]);
        Assert.Equal(
            [
                new ScriptedDecision(TimeSpan.FromMinutes(70), DecisionAction.Invoke, "dr-sql", "alex.morgan@contoso.com"),
                new ScriptedDecision(TimeSpan.FromHours(2), DecisionAction.StandDown, "er-dc1", "noah@contoso.com"),
            ],
            exercise.Decisions);
    }

    [Fact]
    public void An_exercise_without_the_new_keys_reads_as_before_with_no_scenario_and_recorded_automations()
    {
        var exercise = Read(Base);

        Assert.Empty(exercise.Scenario);
        Assert.Empty(exercise.Decisions);
        Assert.Empty(exercise.Participants);
        Assert.False(exercise.LiveAutomations);
    }

    [Theory]
    [InlineData("0m", 0)]
    [InlineData("90s", 90)]
    [InlineData("45m", 45 * 60)]
    [InlineData("1h10m", 70 * 60)]
    [InlineData("2d3h", (51 * 3600))]
    [InlineData("1h0m30s", 3630)]
    public void An_offset_is_a_duration_or_a_few_in_falling_units(string at, int seconds)
    {
        var exercise = Read(Scenario($"- {{at: {at}, resolve: true}}"));

        Assert.Equal(TimeSpan.FromSeconds(seconds), exercise.Scenario[0].At);
    }

    [Fact]
    public void Plain_numbers_become_json_numbers_with_their_digits_kept()
    {
        // Act
        var json = PayloadOf("""
            epochMs: 1764582000000
            big: 123456789012345678901234567890
            negative: -42
            plus: +7
            zero: 0
            padded: 007
            float: 1968231.25
            exponent: 1.5e3
            leadingPoint: .5
            trailingPoint: 3.
            hex: 0x1F
            octal: 0o17
            """);

        // Assert
        Assert.Equal(
            """{"epochMs":1764582000000,"big":123456789012345678901234567890,"negative":-42,"plus":7,"zero":0,"padded":7,"float":1968231.25,"exponent":1.5e3,"leadingPoint":0.5,"trailingPoint":3.0,"hex":31,"octal":15}""",
            json);
        Assert.Equal(1764582000000L, JsonNode.Parse(json)!["epochMs"]!.GetValue<long>());
    }

    [Fact]
    public void Booleans_and_nulls_follow_the_yaml_core_schema()
    {
        var json = PayloadOf("""
            a: true
            b: False
            c: TRUE
            d: null
            e: ~
            f:
            g: NULL
            h: yes
            i: off
            j: nULL
            """);

        Assert.Equal("""{"a":true,"b":false,"c":true,"d":null,"e":null,"f":null,"g":null,"h":"yes","i":"off","j":"nULL"}""", json);
    }

    [Fact]
    public void Quoted_block_and_str_tagged_scalars_stay_strings()
    {
        var json = PayloadOf("""
            number: "1764582000000"
            single: 'true'
            empty: ""
            nothing: "null"
            tagged: !!str 42
            text: plain words, with a comma
            time: 2026-11-24T09:58:12Z
            block: |
              two
              lines
            """);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"number":"1764582000000","single":"true","empty":"","nothing":"null","tagged":"42","text":"plain words, with a comma","time":"2026-11-24T09:58:12Z","block":"two\nlines\n"}"""),
            JsonNode.Parse(json)));
    }

    [Fact]
    public void Sequences_become_arrays_mappings_objects_and_every_key_a_string()
    {
        var json = PayloadOf("""
            1: one
            true: yes-key
            nested: {list: [1, "1", [], {}], obj: {k: [null]}}
            items:
              - name: a
              - 2.5
            """);

        Assert.Equal("""{"1":"one","true":"yes-key","nested":{"list":[1,"1",[],{}],"obj":{"k":[null]}},"items":[{"name":"a"},2.5]}""", json);
    }

    [Fact]
    public void A_json_flow_mapping_reads_the_same_as_the_yaml_block_form()
    {
        var flow = Read(Scenario($"- at: 0m\n  source: generic\n  payload: {Generic}")).Scenario[0].Payload;
        var block = Read(Scenario("- at: 0m\n  source: generic\n  payload:\n    id: INC-1\n    title: SQL down\n    startedAt: \"2026-11-24T09:58:12Z\"\n    services: [sql-cluster]\n    major: true")).Scenario[0].Payload;

        Assert.Equal(block, flow);
    }

    [Fact]
    public void Non_ascii_text_and_escapes_keep_their_characters()
    {
        var json = PayloadOf("name: \"Kärnsystem ↯ \\\"nere\\\"\\t\\u00e9 😀\"");

        Assert.Equal("Kärnsystem ↯ \"nere\"\té 😀", JsonNode.Parse(json)!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("- at: 45 minutes\n  resolve: true", "exercises[0].scenario[0].at: '45 minutes' is not an offset (expected an offset from the start like 0m, 45m, 3h or 1h10m)")]
    [InlineData("- at: 1m1h\n  resolve: true", "exercises[0].scenario[0].at: '1m1h' is not an offset (expected an offset from the start like 0m, 45m, 3h or 1h10m)")]
    [InlineData("- at: 10600000d9000000h\n  resolve: true", "exercises[0].scenario[0].at: '10600000d9000000h' is not an offset (expected an offset from the start like 0m, 45m, 3h or 1h10m)")]
    [InlineData("- resolve: true", "exercises[0].scenario[0].at: is required")]
    [InlineData("- at: 0m\n  source: nagios\n  sample: x.json", "exercises[0].scenario[0].source: unknown source 'nagios' (expected one of servicenow, jira, pagerduty, opsgenie, azuremonitor, generic, alertmanager)")]
    [InlineData("- at: 0m\n  sample: x.json", "exercises[0].scenario[0].source: is required (one of servicenow, jira, pagerduty, opsgenie, azuremonitor, generic, alertmanager)")]
    [InlineData("- at: 0m\n  source: generic\n  sample: x.json\n  payload: {id: x}", "exercises[0].scenario[0].payload: is given beside sample: an inject is either a sample file or an inline payload")]
    [InlineData("- at: 0m\n  source: generic", "exercises[0].scenario[0]: needs a sample (a file) or a payload (inline), or resolve: true to end the scenario")]
    [InlineData("- at: 0m\n  source: generic\n  sample: \"\"", "exercises[0].scenario[0].sample: must not be empty")]
    [InlineData("- at: 3h\n  resolve: true\n  source: generic", "exercises[0].scenario[0].source: a resolve inject has none: it ends the scenario's outage (every open incident of the exercise resolved)")]
    [InlineData("- at: 3h\n  resolve: maybe", "exercises[0].scenario[0].resolve: 'maybe' is not true or false")]
    [InlineData("- at: 0m\n  source: generic\n  payload: '{\"id\": 1}'", "exercises[0].scenario[0].payload: expected a mapping: the vendor's JSON written as YAML, or as a JSON flow mapping { … }")]
    [InlineData("- at: 0m\n  source: generic\n  payload: {value: .inf}", "exercises[0].scenario[0].payload.value: '.inf' is a YAML number JSON cannot hold; quote it to send the text")]
    [InlineData("- at: 0m\n  source: generic\n  payload: {list: [1, !!binary aGk=]}", "exercises[0].scenario[0].payload.list[1]: the tag tag:yaml.org,2002:binary has no JSON form; write the value plainly (or !!str for text)")]
    [InlineData("- at: 0m\n  source: generic\n  payload: {[a]: b}", "exercises[0].scenario[0].payload: a key is a list or mapping; JSON keys are text")]
    [InlineData("- at: 0m\n  source: generic\n  sampel: x.json", "exercises[0].scenario[0].sampel: unknown key; did you mean 'sample'?")]
    [InlineData("- 45m", "exercises[0].scenario[0]: expected a mapping with keys at, source, sample, payload, resolve")]
    public void Each_problem_with_an_inject_is_one_message_named_by_its_path(string injects, string expected)
    {
        Assert.Equal([expected], Problems(Scenario(injects)));
    }

    [Theory]
    [InlineData("scenario: {at: 0m}", "exercises[0].scenario: expected a list of injects, e.g. - {at: 0m, source: azuremonitor, sample: samples/alert.json}")]
    [InlineData("decisions: Invoke", "exercises[0].decisions: expected a list of decisions, e.g. - {at: 1h10m, action: Invoke, plan: dr-sql, by: alex@contoso.com}")]
    [InlineData("decisions:\n  - {at: 1h, action: Escalate, plan: dr-sql, by: a@contoso.com}", "exercises[0].decisions[0].action: unknown decision action 'Escalate' (expected one of Acknowledge, Invoke, StandDown)")]
    [InlineData("decisions:\n  - {at: 1h, action: Invoke, plan: dr-sql}", "exercises[0].decisions[0].by: is required")]
    [InlineData("decisions:\n  - {action: Invoke, plan: dr-sql, by: a@contoso.com}", "exercises[0].decisions[0].at: is required")]
    [InlineData("decisions:\n  - {at: soon, action: Invoke, plan: dr-sql, by: a@contoso.com}", "exercises[0].decisions[0].at: 'soon' is not an offset (expected an offset from the start like 0m, 45m, 3h or 1h10m)")]
    [InlineData("decisions:\n  - {at: 1h, action: Invoke, plan: dr-sql, by: a@contoso.com, note: x}", "exercises[0].decisions[0].note: unknown key (expected one of at, action, plan, by)")]
    [InlineData("participants: a@contoso.com", "exercises[0].participants: expected a list, e.g. [a@contoso.com]")]
    [InlineData("liveAutomations: sometimes", "exercises[0].liveAutomations: 'sometimes' is not true or false")]
    public void Each_problem_with_decisions_participants_or_live_automations_is_one_message_named_by_its_path(string lines, string expected)
    {
        Assert.Equal([expected], Problems(With(lines)));
    }

    [Theory]
    [InlineData("- {at: 1h, resolve: true}\n- {at: 2h, resolve: true}", "exercises[0].scenario[0].resolve: only the last inject may resolve: it ends the scenario's outage")]
    [InlineData("- at: 0m\n  source: generic\n  payload: " + Generic + "\n- {at: 3h, resolve: true}\n- {at: 4h, source: generic, payload: " + Generic + "}", "exercises[0].scenario[1].resolve: only the last inject may resolve: it ends the scenario's outage")]
    [InlineData("- {at: 8d, resolve: true}", "exercises[0].scenario[0].at: 8d is beyond the 7d an exercise may run")]
    [InlineData("- {at: 0m, source: heartbeat, payload: {service: sql-cluster, heartbeat: log-backup, recoveryPointAt: \"2026-11-24T09:58:12Z\"}}", "exercises[0].scenario[0].source: heartbeat is the hub's own RPO report, not a tool a scenario injects from (expected one of servicenow, jira, pagerduty, opsgenie, azuremonitor, generic, alertmanager)")]
    [InlineData("- {at: 0m, source: generic, payload: {id: INC-1, startedAt: \"2026-11-24T09:58:12Z\"}}", "exercises[0].scenario[0].payload: the generic parser refuses it: title: is required")]
    [InlineData("- {at: 0m, source: generic, payload: {id: INC-1, title: 42, startedAt: yesterday}}", "exercises[0].scenario[0].payload: the generic parser refuses it: title: expected a string, found a number; startedAt: expected an ISO 8601 time with an offset, like 2026-11-24T09:58:12Z, got 'yesterday'")]
    public void Each_broken_scenario_rule_is_one_message_named_by_its_path(string injects, string expected)
    {
        Assert.Equal([expected], Problems(Scenario(injects)));
    }

    [Fact]
    public void Injects_out_of_time_order_name_the_later_one_and_the_offset_before_it()
    {
        var yaml = Scenario("- {at: 1h, source: generic, payload: " + Generic + "}\n- {at: 45m, source: generic, payload: " + Generic + "}");

        Assert.Equal(["exercises[0].scenario[1].at: 45m is before the previous inject's 1h"], Problems(yaml));
    }

    [Fact]
    public void Injects_at_the_same_offset_are_in_order()
    {
        var exercise = Read(Scenario("- {at: 10m, source: generic, payload: " + Generic + "}\n- {at: 10m, resolve: true}"));

        Assert.Equal(2, exercise.Scenario.Count);
    }

    [Theory]
    [InlineData("decisions:\n  - {at: 1h, action: Invoke, plan: dr-nowhere, by: a@contoso.com}", "exercises[0].decisions[0].plan: unknown plan 'dr-nowhere'")]
    [InlineData("decisions:\n  - {at: 8d, action: Invoke, plan: dr-sql, by: a@contoso.com}", "exercises[0].decisions[0].at: 8d is beyond the 7d an exercise may run")]
    [InlineData("decisions:\n  - {at: 1h, action: Invoke, plan: dr-sql, by: alex}", "exercises[0].decisions[0].by: 'alex' is not a user principal name (name@domain)")]
    [InlineData("participants: [a@contoso.com, alex]", "exercises[0].participants[1]: 'alex' is not a user principal name (name@domain)")]
    [InlineData("participants: [a@contoso.com, b@contoso.com, A@Contoso.com]", "exercises[0].participants[2]: 'A@Contoso.com' is listed twice (also participants[0])")]
    public void Each_broken_decision_or_participant_rule_is_one_message_named_by_its_path(string lines, string expected)
    {
        Assert.Equal([expected], Problems(With(lines)));
    }

    [Fact]
    public void A_scenario_of_more_than_100_injects_is_refused()
    {
        var injects = string.Join('\n', Enumerable.Range(0, 101).Select(i => $"- {{at: {i}m, source: azuremonitor, sample: alert.json}}"));

        Assert.Equal(["exercises[0].scenario: 101 injects; a scenario holds at most 100"], Problems(Scenario(injects)));
    }

    [Fact]
    public void A_scenario_too_large_to_store_is_refused_with_its_size()
    {
        // Arrange: ten injects of about 7,000 characters each.
        var title = new string('x', 7_000);
        var injects = string.Join('\n', Enumerable.Range(0, 10).Select(i =>
            $"- {{at: {i}m, source: generic, payload: {{id: INC-{i}, title: {title}, startedAt: \"2026-11-24T09:58:12Z\"}}}}"));

        // Act
        var problem = Assert.Single(Problems(Scenario(injects)));

        // Assert
        Assert.Matches(@"^exercises\[0\]\.scenario: the injects are too large to store \(7\d{4} characters as JSON; at most 60000\): use smaller samples or fewer injects$", problem);
    }

    [Fact]
    public void Aliases_that_would_multiply_a_payload_past_a_delivery_are_refused()
    {
        // Arrange: each level repeats the one before ten times (10^7 leaves from a few lines).
        var lines = new List<string> { "l0: &l0 [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]" };
        for (var i = 1; i <= 7; i++)
        {
            lines.Add($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]");
        }

        var yaml = Scenario("- at: 0m\n  source: generic\n  payload:\n" + string.Concat(lines.Select(l => "    " + l + "\n")).TrimEnd('\n'));

        // Act
        var problems = Problems(yaml);

        // Assert
        Assert.Contains(problems, p => p.StartsWith("exercises[0].scenario[0].payload.l", StringComparison.Ordinal) && p.EndsWith(": the payload is larger than 1048576 bytes as JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_inject_without_sample_or_payload_is_refused_by_the_validator()
    {
        var catalog = new CatalogBuilder().WithService("sql").WithPlan("dr-sql", ["sql"]).WithExercise("ex-1", "dr-sql").Build();
        catalog = catalog with { Exercises = [catalog.Exercises[0] with { Scenario = [new ExerciseInject(TimeSpan.Zero, AliasSource.Generic, null, null, false)] }] };

        var problems = CatalogValidator.Validate(catalog);

        Assert.Equal(["exercises[0].scenario[0]: needs a sample (a file) or a payload (inline)"], problems.Select(p => p.ToString()));
    }
}
