using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>Every parser keeps its times within <see cref="IncidentTimes"/>: a time outside is a problem at its field.</summary>
public class IncidentTimeRangeTests
{
    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1600-12-31T23:59:59Z")]
    [InlineData("1601-01-01T00:30:00+01:00")]
    [InlineData("9000-01-01T00:00:00Z")]
    [InlineData("8999-12-31T23:30:00-01:00")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    public void Generic_start_outside_the_range_is_refused_naming_startedAt(string startedAt)
    {
        // Arrange
        var json = Samples.Edit(AliasSource.Generic, "incident-open.json", o => o["startedAt"] = startedAt);

        // Act
        var e = Samples.Refuse(AliasSource.Generic, json);

        // Assert
        Assert.Equal([new ValidationProblem("startedAt", $"{startedAt} is outside the times the hub can keep (1601 to 8999)")], e.Problems);
    }

    [Theory]
    [InlineData("1601-01-01T00:00:00Z", 1601)]
    [InlineData("8999-12-31T23:59:59Z", 8999)]
    [InlineData("1601-01-01T01:00:00+01:00", 1601)]
    public void Generic_start_at_the_ends_of_the_range_is_kept(string startedAt, int year)
    {
        // Arrange
        var json = Samples.Edit(AliasSource.Generic, "incident-open.json", o =>
        {
            o["startedAt"] = startedAt;
            o.Remove("estimatedRestoreAt");
        });

        // Act
        var incident = IncidentParsers.Parse(AliasSource.Generic, json);

        // Assert
        Assert.Equal(year, incident.StartedAt.Year);
        Assert.True(IncidentTimes.Contains(incident.StartedAt));
    }

    [Fact]
    public void Generic_estimated_restore_outside_the_range_is_refused_naming_it()
    {
        // Arrange
        var json = Samples.Edit(AliasSource.Generic, "incident-open.json", o => o["estimatedRestoreAt"] = "9999-12-31T23:59:59Z");

        // Act
        var e = Samples.Refuse(AliasSource.Generic, json);

        // Assert
        Assert.Equal([new ValidationProblem("estimatedRestoreAt", "9999-12-31T23:59:59Z is outside the times the hub can keep (1601 to 8999)")], e.Problems);
    }

    [Fact]
    public void PagerDuty_creation_outside_the_range_is_refused_naming_it()
    {
        // Arrange
        var json = Samples.Edit(AliasSource.PagerDuty, "incident-triggered.json", o => Samples.At(o, "event.data")["created_at"] = "0001-01-01T00:00:00Z");

        // Act
        var e = Samples.Refuse(AliasSource.PagerDuty, json);

        // Assert
        Assert.Equal([new ValidationProblem("event.data.created_at", "0001-01-01T00:00:00Z is outside the times the hub can keep (1601 to 8999)")], e.Problems);
    }

    [Fact]
    public void Jira_creation_outside_the_range_is_refused_naming_it()
    {
        // Arrange
        var json = Samples.Edit(AliasSource.Jira, "issue-created.json", o => Samples.At(o, "issue.fields")["created"] = "9999-12-31T23:59:59.000+0000");

        // Act
        var e = Samples.Refuse(AliasSource.Jira, json);

        // Assert
        Assert.Equal([new ValidationProblem("issue.fields.created", "9999-12-31T23:59:59.000+0000 is outside the times the hub can keep (1601 to 8999)")], e.Problems);
    }

    [Theory]
    [InlineData(-62135596800000L, "0001-01-01T00:00:00Z")]
    [InlineData(253402300799000L, "9999-12-31T23:59:59Z")]
    [InlineData(221845392000000L, "9000-01-01T00:00:00Z")]
    public void Opsgenie_creation_outside_the_range_is_refused_naming_it(long createdAt, string shown)
    {
        // Arrange
        var json = Samples.Edit(AliasSource.Opsgenie, "alert-create.json", o => Samples.At(o, "alert")["createdAt"] = createdAt);

        // Act
        var e = Samples.Refuse(AliasSource.Opsgenie, json);

        // Assert
        Assert.Equal([new ValidationProblem("alert.createdAt", $"{shown} is outside the times the hub can keep (1601 to 8999)")], e.Problems);
    }

    [Fact]
    public void ServiceNow_opening_outside_the_range_is_refused_naming_its_field()
    {
        // Arrange: the ServiceNow parser reads its own time format and holds it to the range where it reads it.
        var json = Samples.Edit(AliasSource.ServiceNow, "incident-open.json", o => Samples.At(o, "result.opened_at")["value"] = "0001-01-01 00:00:00");

        // Act
        var e = Samples.Refuse(AliasSource.ServiceNow, json);

        // Assert
        var problem = Assert.Single(e.Problems);
        Assert.Equal("result.opened_at.value", problem.Path);
        Assert.EndsWith("0001-01-01 00:00:00 is outside the times the hub can keep (1601 to 8999)", problem.Message, StringComparison.Ordinal);
    }
}
