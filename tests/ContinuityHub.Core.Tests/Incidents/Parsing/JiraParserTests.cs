using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class JiraParserTests
{
    private const AliasSource Source = AliasSource.Jira;

    [Fact]
    public void Created_issue_maps_every_field()
    {
        // Arrange: issue-created.json is a Jira Cloud jira:issue_created webhook.

        // Act
        var incident = Samples.Parse(Source, "issue-created.json");

        // Assert
        Assert.Equal("jira~OPS-1287", incident.Key);
        Assert.Equal(AliasSource.Jira, incident.Source);
        Assert.Equal("OPS-1287", incident.ExternalId);
        Assert.Equal("Core Ledger end-of-day batch failing after DC2 failover", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["Ledger", "Database Platform", "continuity", "dc2"], incident.Aliases);
        Assert.Equal("https://contoso.atlassian.net/browse/OPS-1287", incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Issue_in_the_done_status_category_maps_to_Resolved()
    {
        // Arrange: issue-updated-done.json is a jira:issue_updated webhook moving the issue to Done.

        // Act
        var incident = Samples.Parse(Source, "issue-updated-done.json");

        // Assert
        Assert.Equal("jira~OPS-1284", incident.Key);
        Assert.Equal("OPS-1284", incident.ExternalId);
        Assert.Equal("Faster Payments outbound queue stalled", incident.Title);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 21, 14, 5, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["Payments Gateway", "faster-payments"], incident.Aliases);
        Assert.Equal("https://contoso.atlassian.net/browse/OPS-1284", incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Done_issue_whose_status_is_Closed_maps_to_Closed()
    {
        // Arrange: Jira Server's default workflow resolves an issue, then closes it.
        var json = Samples.Edit(Source, "issue-updated-done.json", o => Samples.At(o, "issue.fields.status")["name"] = "Closed");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Closed, incident.State);
    }

    [Theory]
    [InlineData("Resolved", IncidentState.Resolved)]
    [InlineData("Closed", IncidentState.Closed)]
    public void Issue_without_a_status_category_is_done_when_its_resolution_is_set(string status, IncidentState expected)
    {
        // Arrange: Jira 5 sends a status without statusCategory; the resolution says the issue is done.
        var json = Samples.Edit(Source, "issue-created.json", o =>
        {
            var fields = Samples.At(o, "issue.fields");
            fields["status"] = new JsonObject { ["name"] = status, ["id"] = "5" };
            fields["resolution"] = new JsonObject { ["id"] = "1", ["name"] = "Fixed" };
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.State);
    }

    [Fact]
    public void Issue_without_a_status_category_or_a_resolution_is_open()
    {
        // Arrange: Jira 5's Open status, resolution null.
        var json = Samples.Edit(Source, "issue-created.json", o =>
        {
            var fields = Samples.At(o, "issue.fields");
            fields["status"] = new JsonObject { ["name"] = "Open", ["id"] = "1" };
            fields["resolution"] = null;
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Open, incident.State);
    }

    [Fact]
    public void Data_Center_issue_keeps_its_port_in_the_link_and_converts_its_offset_to_UTC()
    {
        // Arrange: a server on port 8443, created at +0530, lower-case priority, no components, repeated labels.

        // Act
        var incident = Samples.Parse(Source, "issue-created-data-center-odd.json");

        // Assert
        Assert.Equal("jira~SD-88", incident.Key);
        Assert.Equal("SD-88", incident.ExternalId);
        Assert.Equal("Branch printers offline in Leeds", incident.Title);
        Assert.Equal(Priority.P5, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 48, 15, TimeSpan.Zero), incident.StartedAt);
        Assert.Equal(TimeSpan.Zero, incident.StartedAt.Offset);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["Branch-Systems", "leeds"], incident.Aliases);
        Assert.Equal("https://jira.contoso.com:8443/browse/SD-88", incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Missing_created_is_refused_and_a_custom_priority_is_not_a_reason_to_refuse()
    {
        // Arrange: issue-created-invalid.json uses a custom priority scheme ('Urgent') and has no created time.

        // Act
        var e = Samples.RefuseSample(Source, "issue-created-invalid.json");

        // Assert
        Assert.Equal(
            [
                new ValidationProblem("issue.fields.created", "is required"),
            ],
            e.Problems);
    }

    [Theory]
    [InlineData("Highest", Priority.P1)]
    [InlineData("High", Priority.P2)]
    [InlineData("Medium", Priority.P3)]
    [InlineData("Low", Priority.P4)]
    [InlineData("Lowest", Priority.P5)]
    [InlineData("Blocker", Priority.P1)]
    [InlineData("Critical", Priority.P2)]
    [InlineData("Major", Priority.P3)]
    [InlineData("minor", Priority.P4)]
    [InlineData("Trivial", Priority.P5)]
    public void Cloud_and_server_priority_names_map_to_priorities(string name, Priority expected)
    {
        // Arrange
        var json = Samples.Edit(Source, "issue-created.json", o => Samples.At(o, "issue.fields.priority")["name"] = name);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.Priority);
    }

    [Theory]
    [InlineData("2026-11-24T09:58:12.000+0000")]
    [InlineData("2026-11-24T10:58:12.000+01:00")]
    [InlineData("2026-11-24T09:58:12Z")]
    public void Created_time_is_read_with_or_without_a_colon_in_its_offset(string created)
    {
        // Arrange
        var json = Samples.Edit(Source, "issue-created.json", o => Samples.At(o, "issue.fields")["created"] = created);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
    }

    [Fact]
    public void Project_without_priorities_gives_an_incident_without_a_priority()
    {
        // Arrange
        var json = Samples.Edit(Source, "issue-created.json", o => Samples.At(o, "issue.fields")["priority"] = null);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal((Priority.None, null), (incident.Priority, incident.SourcePriority));
    }

    [Fact]
    public void Custom_priority_name_is_kept_for_the_policy_and_labels_and_issue_type_are_markers()
    {
        // Arrange
        var json = Samples.Edit(Source, "issue-created.json", o =>
        {
            Samples.At(o, "issue.fields.priority")["name"] = "Sev 1";
            Samples.At(o, "issue.fields")["labels"] = new JsonArray("ledger", "major-incident");
            Samples.At(o, "issue.fields")["issuetype"] = new JsonObject { ["name"] = "[System] Incident" };
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal((Priority.None, "Sev 1"), (incident.Priority, incident.SourcePriority));
        Assert.Equal(["ledger", "major-incident", "[System] Incident"], incident.Markers);
    }

    [Fact]
    public void Component_that_is_not_an_object_is_refused_naming_its_index()
    {
        // Arrange
        var json = Samples.Edit(Source, "issue-created.json", o => Samples.At(o, "issue.fields")["components"] = new JsonArray(new JsonObject { ["name"] = "Ledger" }, "Database Platform"));

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("issue.fields.components[1]", "expected an object, found a string")], e.Problems);
    }

    [Fact]
    public void Issue_without_a_usable_self_url_has_no_link()
    {
        // Arrange
        var json = Samples.Edit(Source, "issue-created.json", o => Samples.At(o, "issue").Remove("self"));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Null(incident.Link);
    }
}
