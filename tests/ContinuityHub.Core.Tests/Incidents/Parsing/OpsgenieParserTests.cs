using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class OpsgenieParserTests
{
    private const AliasSource Source = AliasSource.Opsgenie;

    [Fact]
    public void Create_action_maps_every_field()
    {
        // Arrange: alert-create.json is an outgoing webhook for the Create action.

        // Act
        var incident = Samples.Parse(Source, "alert-create.json");

        // Assert
        Assert.Equal("opsgenie~6f1c2e9a-3b4d-4a7e-9c21-5d8e0f7a1b36", incident.Key);
        Assert.Equal(AliasSource.Opsgenie, incident.Source);
        Assert.Equal("6f1c2e9a-3b4d-4a7e-9c21-5d8e0f7a1b36", incident.ExternalId);
        Assert.Equal("Payments Gateway: SWIFT Alliance Access connection lost", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["payments", "swift", "prod", "paygw-prod/swift-alliance-connection-lost"], incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Close_action_maps_to_Resolved()
    {
        // Arrange: alert-close.json is an outgoing webhook for the Close action.

        // Act
        var incident = Samples.Parse(Source, "alert-close.json");

        // Assert
        Assert.Equal("opsgenie~0b8d4f63-7e2a-4c15-a9d0-3e6f1c8b2a74", incident.Key);
        Assert.Equal("0b8d4f63-7e2a-4c15-a9d0-3e6f1c8b2a74", incident.ExternalId);
        Assert.Equal("Core Ledger: EOD batch LDG-EOD-01 aborted", incident.Title);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 41, 30, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["ledger", "batch", "core-ledger/eod-batch-aborted"], incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Acknowledge_action_stays_Open_and_cleans_up_messy_tags()
    {
        // Arrange: empty entity; tags repeated in other case, padded, empty and null; priority in lower case.

        // Act
        var incident = Samples.Parse(Source, "alert-acknowledge-odd-tags.json");

        // Assert
        Assert.Equal("opsgenie~c47a91e2-58b3-4d06-8f1e-2a9b7c3d6e05", incident.Key);
        Assert.Equal("c47a91e2-58b3-4d06-8f1e-2a9b7c3d6e05", incident.ExternalId);
        Assert.Equal("SQLAG-PROD-01 log send queue above 5 GB", incident.Title);
        Assert.Equal(Priority.P3, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 11, 2, 47, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["sql", "dba", "sqlag-prod-01/log-send-queue"], incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void An_ISO_createdAt_is_refused_and_P7_is_not_a_reason_to_refuse()
    {
        // Arrange: alert-invalid.json has priority P7 (no priority the hub knows) and createdAt as an ISO string.

        // Act
        var e = Samples.RefuseSample(Source, "alert-invalid.json");

        // Assert
        Assert.Equal(
            [
                new ValidationProblem("alert.createdAt", "expected epoch milliseconds"),
            ],
            e.Problems);
    }

    [Theory]
    [InlineData(1795514292000.5)]
    [InlineData(1.7955142920001E+21)]
    public void CreatedAt_that_is_not_whole_milliseconds_in_range_is_refused(double createdAt)
    {
        // Arrange
        var json = Samples.Edit(Source, "alert-create.json", o => Samples.At(o, "alert")["createdAt"] = createdAt);

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("alert.createdAt", "expected epoch milliseconds")], e.Problems);
    }

    [Fact]
    public void Nanosecond_createdAt_is_refused()
    {
        // Arrange: updatedAt is in nanoseconds; a createdAt copied from it is out of range.
        var json = Samples.Edit(Source, "alert-create.json", o => Samples.At(o, "alert")["createdAt"] = 1795514292118000000L);

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("alert.createdAt", "expected epoch milliseconds")], e.Problems);
    }

    [Fact]
    public void Missing_alert_is_refused_once()
    {
        // Arrange
        const string json = """{"action": "Create", "integrationName": "ContinuityHub webhook"}""";

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("alert", "is required")], e.Problems);
    }

    [Fact]
    public void Tag_that_is_not_a_string_is_refused_naming_its_index()
    {
        // Arrange
        var json = Samples.Edit(Source, "alert-create.json", o => Samples.At(o, "alert")["tags"] = new System.Text.Json.Nodes.JsonArray("payments", 42));

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("alert.tags[1]", "expected a string, found a number")], e.Problems);
    }

    [Theory]
    [InlineData("create.json", false)]
    [InlineData("acknowledge.json", false)]
    [InlineData("close.json", false)]
    [InlineData("delete.json", false)]
    [InlineData("addtags.json", true)]
    public void Only_actions_that_say_the_alerts_state_set_it(string file, bool implied)
    {
        // Arrange
        var json = Samples.ReadVendor(Source, file);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(implied, incident.StateIsImplied);
    }
}
