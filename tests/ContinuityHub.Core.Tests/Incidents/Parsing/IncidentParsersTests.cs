using System.Text;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class IncidentParsersTests
{
    [Fact]
    public void Malformed_JSON_is_refused_at_body_with_line_and_byte()
    {
        // Arrange
        const string json = "{\n  \"id\" 1}";

        // Act
        var e = Samples.Refuse(AliasSource.Generic, json);

        // Assert
        Assert.Equal(
            [new ValidationProblem("body", "not valid JSON: '1' is invalid after a property name. Expected a ':' (line 2, byte 8)")],
            e.Problems);
    }

    [Fact]
    public void A_long_value_quoted_in_a_problem_is_cut_without_splitting_a_surrogate_pair()
    {
        // Arrange: the 60-character cut would fall inside the emoji.
        var value = new string('a', 59) + "\U0001F525 and more";

        // Act
        var quoted = PayloadReader.Quote(value);

        // Assert
        Assert.Equal("'" + new string('a', 59) + "…'", quoted);
    }

    [Fact]
    public void Malformed_UTF8_JSON_is_refused_at_body()
    {
        // Arrange
        var bytes = "{\"id\": \"a\",}"u8.ToArray();

        // Act
        var e = Assert.Throws<HubValidationException>(() => IncidentParsers.Parse(AliasSource.Generic, bytes));

        // Assert
        var problem = Assert.Single(e.Problems);
        Assert.Equal("body", problem.Path);
        Assert.StartsWith("not valid JSON: ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("(line 1, byte 12)", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t")]
    [InlineData("\uFEFF")]
    public void Empty_body_is_refused(string json)
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes(json);

        // Act
        var fromText = Samples.Refuse(AliasSource.PagerDuty, json);
        var fromBytes = Assert.Throws<HubValidationException>(() => IncidentParsers.Parse(AliasSource.PagerDuty, bytes));

        // Assert
        Assert.Equal([new ValidationProblem("body", "is empty")], fromText.Problems);
        Assert.Equal([new ValidationProblem("body", "is empty")], fromBytes.Problems);
        Assert.Equal("body: is empty", fromText.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"incident\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Body_that_is_not_an_object_is_refused(string json)
    {
        // Arrange: any source

        // Act
        var e = Samples.Refuse(AliasSource.Opsgenie, json);

        // Assert
        Assert.Equal([new ValidationProblem("body", "expected a JSON object")], e.Problems);
    }

    [Fact]
    public void Parser_given_an_undefined_element_refuses_it_at_body()
    {
        // Arrange
        var parsers = IncidentParsers.All;

        // Act
        var problems = parsers.Select(p => Assert.Throws<HubValidationException>(() => p.Parse(default)).Problems.Single());

        // Assert
        Assert.All(problems, problem => Assert.Equal(new ValidationProblem("body", "expected a JSON object"), problem));
    }

    [Fact]
    public void Text_and_UTF8_bodies_give_the_same_incident()
    {
        // Arrange
        var json = Samples.Read(AliasSource.ServiceNow, "incident-open.json");

        // Act
        var fromText = IncidentParsers.Parse(AliasSource.ServiceNow, json);
        var fromBytes = IncidentParsers.Parse(AliasSource.ServiceNow, Encoding.UTF8.GetBytes(json));

        // Assert
        string[] none = [];
        Assert.Equal(fromText with { Aliases = none, OtherNames = null, Markers = none }, fromBytes with { Aliases = none, OtherNames = null, Markers = none });
        Assert.Equal(fromText.Aliases, fromBytes.Aliases);
        Assert.Equal(fromText.Markers, fromBytes.Markers);
        Assert.Equal(fromText.OtherNames, fromBytes.OtherNames);
    }

    [Fact]
    public void UTF8_byte_order_mark_is_ignored()
    {
        // Arrange
        var bytes = Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(Path.Combine(Samples.Directory, "jira", "issue-created.json"))).ToArray();

        // Act
        var incident = IncidentParsers.Parse(AliasSource.Jira, bytes);

        // Assert
        Assert.Equal("jira~OPS-1287", incident.Key);
    }

    [Fact]
    public void Invalid_UTF8_inside_a_string_is_refused_naming_the_field()
    {
        // Arrange: 0xFF is never valid UTF-8; the JSON reader lets it through inside a string.
        var bytes = "{\"id\": \"INC-1\", \"title\": \"bad "u8.ToArray().Concat(new byte[] { 0xFF }).Concat("\"}"u8.ToArray()).ToArray();

        // Act
        var e = Assert.Throws<HubValidationException>(() => IncidentParsers.Parse(AliasSource.Generic, bytes));

        // Assert
        Assert.Equal([new ValidationProblem("title", "is not valid Unicode text")], e.Problems);
    }

    [Fact]
    public void Lone_surrogate_escape_in_a_property_name_is_refused()
    {
        // Arrange: reading any property of an object with such a name would otherwise throw InvalidOperationException.
        const string json = """{"alert": {"\uD800": 1, "alertId": "x"}}""";

        // Act
        var e = Samples.Refuse(AliasSource.Opsgenie, json);

        // Assert
        Assert.Equal([new ValidationProblem("alert", "has a property name that is not valid Unicode text")], e.Problems);
    }

    [Fact]
    public void Lone_surrogate_in_the_text_is_refused_at_body()
    {
        // Arrange
        var json = "{\"id\": \"" + '\uD800' + "\"}";

        // Act
        var e = Samples.Refuse(AliasSource.Generic, json);

        // Assert
        Assert.Equal([new ValidationProblem("body", "not valid JSON: the text has an unpaired surrogate character")], e.Problems);
    }

    [Theory]
    [InlineData("servicenow", AliasSource.ServiceNow)]
    [InlineData("jira", AliasSource.Jira)]
    [InlineData("pagerduty", AliasSource.PagerDuty)]
    [InlineData("opsgenie", AliasSource.Opsgenie)]
    [InlineData("azuremonitor", AliasSource.AzureMonitor)]
    [InlineData("generic", AliasSource.Generic)]
    [InlineData("PagerDuty", AliasSource.PagerDuty)]
    [InlineData("AZUREMONITOR", AliasSource.AzureMonitor)]
    public void Source_names_are_recognised_case_insensitively(string name, AliasSource expected)
    {
        // Act
        var found = IncidentParsers.TryGetSource(name, out var source);

        // Assert
        Assert.True(found);
        Assert.Equal(expected, source);
    }

    [Theory]
    [InlineData("zendesk")]
    [InlineData("azure-monitor")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_source_names_are_not_recognised(string? name)
    {
        // Act
        var found = IncidentParsers.TryGetSource(name, out _);

        // Assert
        Assert.False(found);
    }

    [Fact]
    public void Every_source_has_its_own_parser()
    {
        // Act
        var sources = Enum.GetValues<AliasSource>().Select(s => IncidentParsers.For(s).Source);

        // Assert
        Assert.Equal(Enum.GetValues<AliasSource>(), sources);
        Assert.Equal(Enum.GetValues<AliasSource>().Length, IncidentParsers.All.Count);
    }

    [Fact]
    public void Every_source_has_at_least_three_samples_that_parse_and_one_that_is_refused()
    {
        // Arrange
        var samples = Samples.All().ToList();

        // Act
        var refused = new List<string>();
        foreach (var (source, file) in samples)
        {
            try
            {
                IncidentParsers.Parse(source, Samples.Read(source, file));
            }
            catch (HubValidationException e) when (e.Problems.Count > 0)
            {
                refused.Add($"{CatalogNames.Name(source)}/{file}");
            }
        }

        // Assert
        Assert.All(Enum.GetValues<AliasSource>(), source => Assert.True(samples.Count(s => s.Source == source) >= 4, $"{source} has too few samples"));
        Assert.Equal(
            [
                "servicenow/incident-invalid.json",
                "jira/issue-created-invalid.json",
                "pagerduty/incident-annotated.json",
                "opsgenie/alert-invalid.json",
                "azuremonitor/metric-alert-legacy-schema.json",
                "generic/incident-invalid.json",
                "alertmanager/invalid.json",
                "heartbeat/invalid.json",
            ],
            refused);
    }
}
