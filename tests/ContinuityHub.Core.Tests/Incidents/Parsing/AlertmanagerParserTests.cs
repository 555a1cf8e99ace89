using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class AlertmanagerParserTests
{
    private const AliasSource Source = AliasSource.Alertmanager;

    [Fact]
    public void Firing_group_is_one_incident_from_its_group_key_starting_at_the_earliest_alert()
    {
        // Arrange: firing.json is a group of two firing alerts, both with endsAt 0001-01-01 (still firing).

        // Act
        var incident = Samples.Parse(Source, "firing.json");

        // Assert
        Assert.Equal("{}/{severity=\"critical\"}:{alertname=\"MSSQLAvailabilityGroupReplicaDown\"}", incident.ExternalId);
        Assert.Equal("alertmanager~{}%2F{severity=\"critical\"}:{alertname=\"MSSQLAvailabilityGroupReplicaDown\"}", incident.Key);
        Assert.Equal("SQL Server Always On replicas are down on SQLAG-PROD-01", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 52, 7, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal("http://alertmanager.monitoring.contoso.com:9093", incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Aliases_are_every_label_value_preferred_labels_first_common_labels_before_the_alerts()
    {
        // Act
        var incident = Samples.Parse(Source, "firing.json");

        // Assert
        Assert.Equal(
            ["mssql", "MSSQLAvailabilityGroupReplicaDown", "critical", "dba", "sqlag-prod-01a:4000", "sqlag-prod-01b:4000"],
            incident.Aliases);
    }

    [Fact]
    public void Resolved_status_resolves_the_group_with_the_same_key()
    {
        // Act
        var firing = Samples.Parse(Source, "firing.json");
        var resolved = Samples.Parse(Source, "resolved.json");

        // Assert
        Assert.Equal(IncidentState.Resolved, resolved.State);
        Assert.Equal(firing.Key, resolved.Key);
        Assert.Equal(firing.StartedAt, resolved.StartedAt);
    }

    [Fact]
    public void Grafana_webhook_is_read_as_an_alertmanager_group_without_a_priority()
    {
        // Act
        var incident = Samples.Parse(Source, "grafana-firing.json");

        // Assert
        Assert.Equal("SQL Server Always On replica sqlag-prod-01a is down", incident.Title);
        Assert.Equal(Priority.None, incident.Priority);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 51, 3, TimeSpan.Zero), incident.StartedAt);
        Assert.Contains("mssql", incident.Aliases);
        Assert.Equal("https://grafana.contoso.com/", incident.Link);
    }

    [Theory]
    [InlineData("critical", Priority.P1)]
    [InlineData("Critical", Priority.P1)]
    [InlineData("high", Priority.P2)]
    [InlineData("error", Priority.P2)]
    [InlineData("major", Priority.P2)]
    [InlineData("warning", Priority.P3)]
    [InlineData("info", Priority.P4)]
    [InlineData("low", Priority.P4)]
    [InlineData("none", Priority.None)]
    [InlineData("page", Priority.None)]
    public void Common_severity_label_maps_to_a_priority(string severity, Priority expected)
    {
        // Arrange
        var json = Samples.Edit(Source, "firing.json", o => o["commonLabels"]!["severity"] = severity);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.Priority);
    }

    [Fact]
    public void Without_a_common_severity_the_gravest_alert_severity_is_the_priority()
    {
        // Arrange
        var json = Samples.Edit(Source, "firing.json", o =>
        {
            o["commonLabels"]!.AsObject().Remove("severity");
            o["alerts"]![0]!["labels"]!["severity"] = "warning";
            o["alerts"]![1]!["labels"]!["severity"] = "error";
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(Priority.P2, incident.Priority);
    }

    [Fact]
    public void Priority_label_P1_to_P5_wins_over_severity()
    {
        // Arrange
        var json = Samples.Edit(Source, "firing.json", o => o["alerts"]![1]!["labels"]!["priority"] = "p4");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(Priority.P4, incident.Priority);
    }

    [Fact]
    public void Title_falls_back_to_the_first_alert_summary_then_the_alertname_then_the_group_key()
    {
        // Arrange
        var noCommon = Samples.Edit(Source, "firing.json", o => o["commonAnnotations"] = new JsonObject());
        var noSummary = Samples.Edit(Source, "firing.json", o =>
        {
            o["commonAnnotations"] = new JsonObject();
            foreach (var alert in o["alerts"]!.AsArray())
            {
                alert!["annotations"] = new JsonObject();
            }
        });
        var nothing = Samples.Edit(Source, "firing.json", o =>
        {
            o["commonAnnotations"] = null;
            o["commonLabels"] = new JsonObject();
            foreach (var alert in o["alerts"]!.AsArray())
            {
                alert!["annotations"] = null;
            }
        });

        // Act, Assert
        Assert.Equal("SQL Server Always On replica sqlag-prod-01a is down", IncidentParsers.Parse(Source, noCommon).Title);
        Assert.Equal("MSSQLAvailabilityGroupReplicaDown", IncidentParsers.Parse(Source, noSummary).Title);
        Assert.Equal("{}/{severity=\"critical\"}:{alertname=\"MSSQLAvailabilityGroupReplicaDown\"}", IncidentParsers.Parse(Source, nothing).Title);
    }

    [Fact]
    public void External_url_that_is_not_an_absolute_http_url_is_no_link_and_no_refusal()
    {
        // Arrange: an Alertmanager without --web.external-url sends "http://:9093".
        var json = Samples.Edit(Source, "firing.json", o => o["externalURL"] = "http://:9093");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Null(incident.Link);
    }

    [Fact]
    public void EndsAt_is_held_to_the_hub_time_range_except_the_zero_time_of_a_firing_alert()
    {
        // Arrange
        var json = Samples.Edit(Source, "firing.json", o => o["alerts"]![1]!["endsAt"] = "1500-01-01T00:00:00Z");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        var problem = Assert.Single(e.Problems);
        Assert.Equal("alerts[1].endsAt", problem.Path);
    }

    [Fact]
    public void Invalid_sample_is_refused_naming_each_field()
    {
        // Act
        var e = Samples.RefuseSample(Source, "invalid.json");

        // Assert
        Assert.Equal(
            ["groupKey", "status", "alerts[0].startsAt", "alerts[0].labels.port"],
            e.Problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public void Group_without_alerts_is_refused_at_alerts(string alerts)
    {
        // Arrange
        var json = Samples.Edit(Source, "firing.json", o => o["alerts"] = JsonNode.Parse(alerts));

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal("alerts: is required (a group of at least one alert)", Assert.Single(e.Problems).ToString());
    }
}
