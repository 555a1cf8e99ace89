using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class GenericParserTests
{
    private const AliasSource Source = AliasSource.Generic;

    [Fact]
    public void Open_incident_maps_every_field()
    {
        // Arrange: incident-open.json uses every field of the hub's own schema.

        // Act
        var incident = Samples.Parse(Source, "incident-open.json");

        // Assert
        Assert.Equal("generic~INC-2026-0142", incident.Key);
        Assert.Equal(AliasSource.Generic, incident.Source);
        Assert.Equal("INC-2026-0142", incident.ExternalId);
        Assert.Equal("Core Ledger unavailable after storage failure in DC1", incident.Title);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Equal(TimeSpan.Zero, incident.StartedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero), incident.EstimatedRestoreAt);
        Assert.Equal(["core-ledger", "Ledger Database", "CI0012345"], incident.Aliases);
        Assert.Equal("https://status.contoso.com/incidents/INC-2026-0142", incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Resolved_incident_maps_to_Resolved()
    {
        // Arrange: incident-resolved.json

        // Act
        var incident = Samples.Parse(Source, "incident-resolved.json");

        // Assert
        Assert.Equal("generic~INC-2026-0139", incident.Key);
        Assert.Equal("INC-2026-0139", incident.ExternalId);
        Assert.Equal("Contact centre telephony degraded (Genesys Cloud EU region)", incident.Title);
        Assert.Equal(Priority.P3, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 21, 14, 5, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["telephony"], incident.Aliases);
        Assert.Equal("https://status.contoso.com/incidents/INC-2026-0139", incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Minimal_incident_with_odd_spelling_is_read_leniently()
    {
        // Arrange: padded id, lower-case p1 and mitigated, nine fraction digits, repeated and empty services, an unknown field.

        // Act
        var incident = Samples.Parse(Source, "incident-minimal-odd.json");

        // Assert
        Assert.Equal("generic~drill-2026-11-24", incident.Key);
        Assert.Equal("drill-2026-11-24", incident.ExternalId);
        Assert.Equal("Exercise: payments regional failover rehearsal", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Mitigated, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["payments-gateway"], incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Invalid_incident_is_refused_naming_every_field()
    {
        // Arrange: incident-invalid.json has P7 (not refused: no priority), an unknown state, a time without offset and two wrong types.

        // Act
        var e = Samples.RefuseSample(Source, "incident-invalid.json");

        // Assert
        Assert.Equal(
            [
                new ValidationProblem("major", "expected true or false, found a string"),
                new ValidationProblem("state", "unknown state 'Paused' (expected Open, Mitigated, Resolved, Closed)"),
                new ValidationProblem("startedAt", "expected an ISO 8601 time with an offset, like 2026-11-24T09:58:12Z, got '2026-11-24 09:58'"),
                new ValidationProblem("services", "expected an array of strings, found a string"),
            ],
            e.Problems);
    }

    [Theory]
    [InlineData("Open", IncidentState.Open)]
    [InlineData("mitigated", IncidentState.Mitigated)]
    [InlineData("RESOLVED", IncidentState.Resolved)]
    [InlineData("Closed", IncidentState.Closed)]
    public void State_is_read_case_insensitively(string state, IncidentState expected)
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["state"] = state);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.State);
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

    [Fact]
    public void Empty_object_is_refused_naming_each_required_field()
    {
        // Arrange
        const string json = "{}";

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal(
            [
                new ValidationProblem("id", "is required"),
                new ValidationProblem("title", "is required"),
                new ValidationProblem("startedAt", "is required"),
            ],
            e.Problems);
    }

    [Fact]
    public void Blank_title_is_refused_as_empty()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["title"] = "   ");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("title", "is empty")], e.Problems);
    }

    [Fact]
    public void Estimated_restore_before_the_start_is_refused()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["estimatedRestoreAt"] = "2026-11-24T08:00:00Z");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("estimatedRestoreAt", "is before startedAt (2026-11-24T09:58:12.0000000+00:00)")], e.Problems);
    }

    [Fact]
    public void Link_that_is_not_an_http_url_is_refused()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["link"] = "status page");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("link", "expected an absolute http(s) URL, got 'status page'")], e.Problems);
    }

    [Theory]
    [InlineData("2026-11-24T09:58:12Z", 12)]
    [InlineData("2026-11-24t09:58:12z", 12)]
    [InlineData("2026-11-24T09:58Z", 0)]
    [InlineData("2026-11-24T11:58:12+02:00", 12)]
    [InlineData("2026-11-24T04:28:12.000-05:30", 12)]
    public void StartedAt_accepts_ISO_8601_with_any_offset(string startedAt, int second)
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["startedAt"] = startedAt);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, second, TimeSpan.Zero), incident.StartedAt);
        Assert.Equal(TimeSpan.Zero, incident.StartedAt.Offset);
    }

    [Theory]
    [InlineData("2026-11-24T09:58:12")]
    [InlineData("2026-11-24")]
    [InlineData("2026-13-24T09:58:12Z")]
    [InlineData("2026-11-24T24:00:00Z")]
    [InlineData("2026-11-24T09:58:12+15:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("Tuesday")]
    public void StartedAt_without_an_offset_or_out_of_range_is_refused(string startedAt)
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["startedAt"] = startedAt);

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        var problem = Assert.Single(e.Problems);
        Assert.Equal("startedAt", problem.Path);
    }

    [Fact]
    public void Id_with_reserved_characters_is_escaped_in_the_key()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-open.json", o => o["id"] = "ops/42#b");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal("ops/42#b", incident.ExternalId);
        Assert.Equal("generic~ops%2F42%23b", incident.Key);
    }
}
