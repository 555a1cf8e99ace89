using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class PagerDutyParserTests
{
    private const AliasSource Source = AliasSource.PagerDuty;

    [Fact]
    public void Triggered_event_maps_every_field()
    {
        // Arrange: incident-triggered.json is a V3 webhook for incident.triggered.

        // Act
        var incident = Samples.Parse(Source, "incident-triggered.json");

        // Assert
        Assert.Equal("pagerduty~Q2K7VX4M9PL3TZ", incident.Key);
        Assert.Equal(AliasSource.PagerDuty, incident.Source);
        Assert.Equal("Q2K7VX4M9PL3TZ", incident.ExternalId);
        Assert.Equal("SQLAG-PROD-01: availability group replicas not synchronizing", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["PSQL9X1", "SQL Server Platform"], incident.Aliases);
        Assert.Equal("https://contoso.pagerduty.com/incidents/Q2K7VX4M9PL3TZ", incident.Link);
        Assert.Equal("01FG7KQ2R8XJ4M6T9VZB3N5P1C", incident.EventId);
    }

    [Fact]
    public void Resolved_event_maps_to_Resolved()
    {
        // Arrange: incident-resolved.json is a V3 webhook for incident.resolved.

        // Act
        var incident = Samples.Parse(Source, "incident-resolved.json");

        // Assert
        Assert.Equal("pagerduty~Q0LDG5B8RW2NXC", incident.Key);
        Assert.Equal("Q0LDG5B8RW2NXC", incident.ExternalId);
        Assert.Equal("Core Ledger EOD batch aborted at interest accrual", incident.Title);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 41, 30, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["PLDG001", "Core Ledger"], incident.Aliases);
        Assert.Equal("https://contoso.pagerduty.com/incidents/Q0LDG5B8RW2NXC", incident.Link);
        Assert.Equal("01FG7RZ5B2WQ8E3H6JY9K4D7MA", incident.EventId);
    }

    [Fact]
    public void Acknowledged_incident_without_priority_takes_P4_from_low_urgency()
    {
        // Arrange: priority null, a service with only an id, a title with spaces, created_at with an offset.

        // Act
        var incident = Samples.Parse(Source, "incident-acknowledged-no-priority.json");

        // Assert
        Assert.Equal("pagerduty~Q3CRM8W1ZT6YHD", incident.Key);
        Assert.Equal("Q3CRM8W1ZT6YHD", incident.ExternalId);
        Assert.Equal("CRM: case search timing out for contact centre agents", incident.Title);
        Assert.Equal(Priority.P4, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 11, 2, 47, TimeSpan.Zero), incident.StartedAt);
        Assert.Equal(TimeSpan.Zero, incident.StartedAt.Offset);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(["PCRM7B3"], incident.Aliases);
        Assert.Equal("https://contoso.pagerduty.com/incidents/Q3CRM8W1ZT6YHD", incident.Link);
        Assert.Equal("01FG7MC3D4E5F6G7H8J9K0L1M2", incident.EventId);
    }

    [Fact]
    public void Annotation_event_is_refused_naming_the_data_type()
    {
        // Arrange: incident.annotated carries a note, not the incident.

        // Act
        var e = Samples.RefuseSample(Source, "incident-annotated.json");

        // Assert
        Assert.Equal(
            [new ValidationProblem("event.data.type", "expected 'incident', got 'incident_note' (only incident events describe an incident)")],
            e.Problems);
    }

    [Fact]
    public void Custom_priority_name_falls_back_to_high_urgency_as_P2()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-triggered.json", o => Samples.At(o, "event.data.priority")["summary"] = "SEV-1");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.False(incident.Major);
    }

    [Fact]
    public void Resolved_status_on_another_event_maps_to_Resolved()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-triggered.json", o =>
        {
            Samples.At(o, "event")["event_type"] = "incident.priority_updated";
            Samples.At(o, "event.data")["status"] = "resolved";
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Resolved, incident.State);
    }

    [Fact]
    public void Triggered_event_without_created_at_starts_at_occurred_at()
    {
        // Arrange: older v3 deliveries have no data.created_at.
        var json = Samples.Edit(Source, "incident-triggered.json", o => Samples.At(o, "event.data").Remove("created_at"));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.False(incident.StartedAtIsEventTime);
    }

    [Fact]
    public void Acknowledged_event_without_created_at_takes_occurred_at_as_a_start_for_a_new_incident_only()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-acknowledged-no-priority.json", o => Samples.At(o, "event.data").Remove("created_at"));

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 11, 5, 2, TimeSpan.Zero), incident.StartedAt);
        Assert.True(incident.StartedAtIsEventTime);
    }

    [Fact]
    public void Major_incident_type_makes_a_P2_incident_major()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-resolved.json", o => Samples.At(o, "event.data")["incident_type"] = new JsonObject { ["name"] = "Major_Default" });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.True(incident.Major);
    }

    [Fact]
    public void Missing_created_at_and_occurred_at_is_refused_naming_event_data_created_at()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-triggered.json", o =>
        {
            Samples.At(o, "event.data").Remove("created_at");
            Samples.At(o, "event").Remove("occurred_at");
        });

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("event.data.created_at", "is required")], e.Problems);
    }

    [Fact]
    public void No_priority_and_no_urgency_is_an_incident_without_a_priority()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-triggered.json", o =>
        {
            Samples.At(o, "event.data")["priority"] = null;
            Samples.At(o, "event.data").Remove("urgency");
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(Priority.None, incident.Priority);
    }

    [Fact]
    public void Custom_priority_name_falls_back_to_the_urgency_and_is_kept_for_the_policy()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-triggered.json", o => Samples.At(o, "event.data.priority")["summary"] = "SEV-1");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal((Priority.P2, "SEV-1"), (incident.Priority, incident.SourcePriority));
        Assert.Contains("SEV-1", incident.Markers);
    }

    [Fact]
    public void Unknown_urgency_without_priority_is_an_incident_without_a_priority()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-acknowledged-no-priority.json", o => Samples.At(o, "event.data")["urgency"] = "medium");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(Priority.None, incident.Priority);
    }

    [Fact]
    public void Priority_as_a_string_is_refused_as_the_wrong_type()
    {
        // Arrange
        var json = Samples.Edit(Source, "incident-triggered.json", o => Samples.At(o, "event.data")["priority"] = "P1");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("event.data.priority", "expected an object, found a string")], e.Problems);
    }

    [Fact]
    public void Payload_without_the_event_envelope_is_refused_once()
    {
        // Arrange: a V2 webhook ({"messages": [...]}) instead of V3.
        const string json = """{"messages": [{"event": "incident.trigger"}]}""";

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("event", "is required")], e.Problems);
    }

    [Fact]
    public void Every_missing_required_field_is_reported_together()
    {
        // Arrange
        var json = new JsonObject { ["event"] = new JsonObject { ["data"] = new JsonObject { ["type"] = "incident" } } }.ToJsonString();

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal(
            ["event.data.id", "event.data.title", "event.data.created_at"],
            e.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Reopened_event_starts_the_current_outage_at_reopened_at()
    {
        // Arrange: zulip's reopened_v3 fixture, created 2026-03-30, reopened 2026-04-01.
        var json = Samples.ReadVendor(Source, "reopened_v3.json");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        var reopenedAt = new DateTimeOffset(2026, 4, 1, 2, 15, 1, TimeSpan.Zero);
        Assert.Equal((IncidentState.Open, reopenedAt, reopenedAt), (incident.State, incident.StartedAt, incident.ReopenedAt));
    }

    [Fact]
    public void Resolved_event_is_dated_by_when_it_occurred()
    {
        // Arrange
        var json = Samples.ReadVendor(Source, "resolved_v3.json");
        var occurredAt = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("event").GetProperty("occurred_at").GetDateTimeOffset();

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentTimes.WholeSeconds(occurredAt), incident.ResolvedAt);
    }
}
