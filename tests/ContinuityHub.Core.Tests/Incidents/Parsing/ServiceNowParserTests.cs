using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class ServiceNowParserTests
{
    private const AliasSource Source = AliasSource.ServiceNow;

    [Fact]
    public void Table_API_record_with_display_values_maps_every_field()
    {
        // Arrange: incident-open.json is a GET /api/now/table/incident/{sys_id}?sysparm_display_value=all response.

        // Act
        var incident = Samples.Parse(Source, "incident-open.json");

        // Assert
        Assert.Equal("servicenow~d3f1a6c24f8b1210a1e5c2d18e0a7c41", incident.Key);
        Assert.Equal(AliasSource.ServiceNow, incident.Source);
        Assert.Equal("d3f1a6c24f8b1210a1e5c2d18e0a7c41", incident.ExternalId);
        Assert.Equal("Core Ledger: end-of-day batch aborted, postings not applied", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Equal(TimeSpan.Zero, incident.StartedAt.Offset);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(
            ["0c43af40c0a8010e01ab1c2f3d4e5f60", "Core Ledger", "27d32778c0a8000b00db970eeaa60f16", "Retail Payments"],
            incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Resolved_record_of_plain_strings_maps_to_Resolved()
    {
        // Arrange: incident-resolved.json is a bare record with plain string fields, as a business rule sends it.

        // Act
        var incident = Samples.Parse(Source, "incident-resolved.json");

        // Assert
        Assert.Equal("servicenow~9b2e4d7a1b5c0210c3d8e6f4a2b7c915", incident.Key);
        Assert.Equal("9b2e4d7a1b5c0210c3d8e6f4a2b7c915", incident.ExternalId);
        Assert.Equal("SQL Server availability group SQLAG-PROD-01 failed over to DC2", incident.Title);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 21, 14, 5, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["SQLAG-PROD-01", "SQL Server Platform"], incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Canceled_record_without_sys_id_uses_the_number_and_maps_to_Closed()
    {
        // Arrange: display values only (sysparm_display_value=true), no sys_id, an empty CI, a reference without value.

        // Act
        var incident = Samples.Parse(Source, "incident-canceled-display-values.json");

        // Assert
        Assert.Equal("servicenow~INC0012371", incident.Key);
        Assert.Equal("INC0012371", incident.ExternalId);
        Assert.Equal("Intranet news page slow to load", incident.Title);
        Assert.Equal(Priority.P4, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Closed, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 45, 0, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["Staff Intranet"], incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Invalid_record_is_refused_naming_each_field()
    {
        // Arrange: no priority (that is allowed), state 42, opened_at in a display format.

        // Act
        var e = Samples.RefuseSample(Source, "incident-invalid.json");

        // Assert
        Assert.Equal(
            [
                new ValidationProblem("state", "unknown state '42' (expected 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled)"),
                new ValidationProblem("opened_at", "expected a UTC time as yyyy-MM-dd HH:mm:ss, got '24/11/2026 09:58'"),
            ],
            e.Problems);
    }

    [Theory]
    [InlineData("1", IncidentState.Open)]
    [InlineData("2", IncidentState.Open)]
    [InlineData("3", IncidentState.Open)]
    [InlineData("6", IncidentState.Resolved)]
    [InlineData("7", IncidentState.Closed)]
    [InlineData("8", IncidentState.Closed)]
    [InlineData("New", IncidentState.Open)]
    [InlineData("in progress", IncidentState.Open)]
    [InlineData("ON HOLD", IncidentState.Open)]
    [InlineData("Resolved", IncidentState.Resolved)]
    [InlineData("closed", IncidentState.Closed)]
    [InlineData("Canceled", IncidentState.Closed)]
    public void State_value_or_name_maps_to_the_hub_state(string state, IncidentState expected)
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["state"] = state);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.State);
    }

    [Fact]
    public void Unknown_state_value_falls_back_to_the_display_value()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["state"] = Pair("42", "Resolved"));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Resolved, incident.State);
    }

    [Fact]
    public void Missing_state_is_Open()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o.Remove("state"));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Open, incident.State);
    }

    [Theory]
    [InlineData("1", Priority.P1)]
    [InlineData("1 - Critical", Priority.P1)]
    [InlineData("3 - Moderate", Priority.P3)]
    [InlineData("5", Priority.P5)]
    public void Priority_is_its_leading_digit(string priority, Priority expected)
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["priority"] = priority);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.Priority);
    }

    [Fact]
    public void Priority_without_a_leading_digit_in_its_value_is_read_from_the_display_value()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["priority"] = Pair("", "3 - Moderate"));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(Priority.P3, incident.Priority);
    }

    [Theory]
    [InlineData("0 - None")]
    [InlineData("7")]
    [InlineData("12 - Custom")]
    [InlineData("Critical")]
    public void Priority_outside_1_to_5_is_no_priority_keeping_the_name_for_the_policy(string priority)
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["priority"] = priority);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal((Priority.None, priority), (incident.Priority, incident.SourcePriority));
    }

    [Fact]
    public void Accepted_major_incident_state_makes_a_P3_major()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o =>
        {
            o["priority"] = "3";
            o["major_incident_state"] = Pair("accepted", "Accepted");
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.True(incident.Major);
    }

    [Fact]
    public void Proposed_major_incident_state_is_not_major()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["major_incident_state"] = "proposed");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.False(incident.Major);
    }

    [Fact]
    public void Reference_field_gives_its_value_then_its_display_value_as_aliases()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o =>
        {
            o["cmdb_ci"] = new JsonObject { ["display_value"] = "Core Ledger", ["link"] = "https://contoso.service-now.com/x", ["value"] = "0c43af40" };
            o.Remove("business_service");
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(["0c43af40", "Core Ledger"], incident.Aliases);
    }

    [Fact]
    public void Opened_at_with_only_a_display_value_is_refused_naming_its_value()
    {
        // Arrange: the display value is in the user's time zone and format, so it cannot be used.
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["opened_at"] = Pair("", "24-11-2026 10:58:12"));

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        var problem = Assert.Single(e.Problems);
        Assert.Equal("opened_at.value", problem.Path);
    }

    [Fact]
    public void Record_without_sys_id_or_number_is_refused_naming_sys_id()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o =>
        {
            o.Remove("sys_id");
            o["number"] = "  ";
        });

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("sys_id", "is required (or number)")], e.Problems);
    }

    [Fact]
    public void Number_where_a_string_is_expected_is_refused_naming_the_field()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => o["priority"] = 1);

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("priority", "expected a string or {value, display_value}, found a number")], e.Problems);
    }

    [Fact]
    public void Problems_inside_a_Table_API_result_are_named_under_result()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => Samples.At(o, "result").Remove("short_description"));

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("result.short_description", "is required")], e.Problems);
    }

    [Fact]
    public void Result_list_of_one_record_is_read_as_that_record()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["result"] = new JsonArray(o["result"]!.DeepClone()));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        var record = Samples.Parse(Source, "incident-open.json");
        Assert.Equal((record.Key, record.Title, record.Priority, record.State, record.StartedAt), (incident.Key, incident.Title, incident.Priority, incident.State, incident.StartedAt));
        Assert.Equal(record.Aliases, incident.Aliases);
    }

    [Fact]
    public void Result_list_of_two_records_is_refused_counting_them()
    {
        // Arrange
        const string json = """{"result": [{"number": "INC0012345"}, {"number": "INC0012346"}]}""";

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("result", "expected one record, found 2")], e.Problems);
    }

    [Fact]
    public void Display_value_all_takes_the_value_for_codes_and_the_display_value_for_text()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o =>
        {
            var r = Samples.At(o, "result");
            r["short_description"] = Pair("raw text", "Payments down");
            r["priority"] = Pair("2", "1 - Critical");
            r["state"] = Pair("6", "In Progress");
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(("Payments down", Priority.P2, IncidentState.Resolved), (incident.Title, incident.Priority, incident.State));
    }

    private static JsonObject Pair(string value, string display) => new() { ["display_value"] = display, ["value"] = value };
}
