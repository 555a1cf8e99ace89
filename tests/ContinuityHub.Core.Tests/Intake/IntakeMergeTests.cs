using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Core.Tests.Intake;

public class IntakeMergeTests
{
    private static readonly DateTimeOffset _received = IncidentBuilder.Start.AddHours(1);

    [Fact]
    public void Update_takes_the_sources_latest_word_and_keeps_every_alias_and_the_estimate()
    {
        // Arrange
        var eta = IncidentBuilder.Start.AddHours(6);
        var first = new IncidentBuilder().On("ledger", "sql").RestoredBy(eta).Build();
        var update = new IncidentBuilder().On("ledger").WithPriority(Priority.P2).InState(IncidentState.Mitigated).Build();

        // Act
        var merged = IntakeService.Merge(first, update, _received);

        // Assert
        Assert.Equal(IncidentState.Mitigated, merged.State);
        Assert.Equal(Priority.P2, merged.Priority);
        Assert.Equal(["ledger", "sql"], merged.Aliases);
        Assert.Equal(eta, merged.EstimatedRestoreAt);
    }

    [Fact]
    public void First_delivery_is_the_incident()
    {
        // Arrange
        var first = new IncidentBuilder().On("ledger").Build();

        // Act
        var merged = IntakeService.Merge(null, first, _received);

        // Assert
        Assert.Same(first, merged);
    }

    [Fact]
    public void An_update_whose_start_is_only_its_event_time_keeps_the_incidents_real_start()
    {
        // Arrange
        var first = new IncidentBuilder().On("ledger").Build();
        var acknowledged = new IncidentBuilder().On("ledger").Build() with { StartedAt = IncidentBuilder.Start.AddMinutes(20), StartedAtIsEventTime = true };

        // Act
        var merged = IntakeService.Merge(first, acknowledged, _received);

        // Assert
        Assert.Equal(IncidentBuilder.Start, merged.StartedAt);
    }

    [Fact]
    public void An_update_with_a_real_start_moves_the_start()
    {
        // Arrange
        var first = new IncidentBuilder().On("ledger").Build();
        var corrected = new IncidentBuilder().On("ledger").Build() with { StartedAt = IncidentBuilder.Start.AddMinutes(-30) };

        // Act
        var merged = IntakeService.Merge(first, corrected, _received);

        // Assert
        Assert.Equal(IncidentBuilder.Start.AddMinutes(-30), merged.StartedAt);
    }

    [Fact]
    public void A_resolve_is_dated_by_the_source_when_it_says_and_by_its_receipt_when_not()
    {
        // Arrange
        var open = new IncidentBuilder().On("ledger").Build();
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build();
        var sourceTime = IncidentBuilder.Start.AddMinutes(50);

        // Act
        var byReceipt = IntakeService.Merge(open, resolved, _received);
        var bySource = IntakeService.Merge(open, resolved with { ResolvedAt = sourceTime }, _received);

        // Assert
        Assert.Equal(_received, byReceipt.ResolvedAt);
        Assert.Equal(sourceTime, bySource.ResolvedAt);
    }

    [Fact]
    public void Closing_a_resolved_incident_keeps_when_it_was_resolved()
    {
        // Arrange
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build() with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var closed = new IncidentBuilder().On("ledger").InState(IncidentState.Closed).Build();

        // Act
        var merged = IntakeService.Merge(resolved, closed, _received.AddDays(2));

        // Assert
        Assert.Equal((IncidentState.Closed, IncidentBuilder.Start.AddMinutes(40)), (merged.State, merged.ResolvedAt));
    }

    [Fact]
    public void Reopen_that_repeats_the_original_creation_restarts_the_clock_when_the_hub_hears_of_it()
    {
        // Arrange: ServiceNow and Jira send the original opened_at/created with the reopen.
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).RestoredBy(IncidentBuilder.Start.AddHours(2)).Build()
            with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var reopened = new IncidentBuilder().On("ledger").Build();
        var reopenedAt = IncidentBuilder.Start.AddHours(3);

        // Act
        var merged = IntakeService.Merge(resolved, reopened, reopenedAt.AddTicks(1234));

        // Assert
        Assert.Equal(IncidentState.Open, merged.State);
        Assert.Equal(reopenedAt, merged.StartedAt);
        Assert.Null(merged.ResolvedAt);
        Assert.Null(merged.EstimatedRestoreAt);
        Assert.Equal([new Outage(IncidentBuilder.Start, IncidentBuilder.Start.AddMinutes(40))], merged.EarlierOutages);
    }

    [Fact]
    public void Reopen_starts_at_the_sources_reopen_time_when_it_gives_one()
    {
        // Arrange
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build() with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var reopenedAt = IncidentBuilder.Start.AddHours(2);
        var reopened = new IncidentBuilder().On("ledger").Build() with { ReopenedAt = reopenedAt };

        // Act
        var merged = IntakeService.Merge(resolved, reopened, reopenedAt.AddMinutes(1));

        // Assert
        Assert.Equal(reopenedAt, merged.StartedAt);
        Assert.Null(merged.ReopenedAt);
    }

    [Fact]
    public void Reopen_starts_at_the_sources_new_start_when_it_is_after_the_resolve()
    {
        // Arrange: Alertmanager fires the same group again with a new startsAt.
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build() with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var firing = new IncidentBuilder().On("ledger").Build() with { StartedAt = IncidentBuilder.Start.AddMinutes(90) };

        // Act
        var merged = IntakeService.Merge(resolved, firing, IncidentBuilder.Start.AddMinutes(95));

        // Assert
        Assert.Equal(IncidentBuilder.Start.AddMinutes(90), merged.StartedAt);
    }

    [Fact]
    public void Updates_after_a_reopen_that_repeat_the_original_start_keep_the_reopens_start()
    {
        // Arrange
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build() with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var reopened = IntakeService.Merge(resolved, new IncidentBuilder().On("ledger").Build(), IncidentBuilder.Start.AddHours(3));
        var update = new IncidentBuilder().On("ledger").WithPriority(Priority.P2).Build();

        // Act
        var merged = IntakeService.Merge(reopened, update, IncidentBuilder.Start.AddHours(4));

        // Assert
        Assert.Equal((IncidentBuilder.Start.AddHours(3), Priority.P2), (merged.StartedAt, merged.Priority));
        Assert.Single(merged.EarlierOutages);
    }

    [Fact]
    public void A_second_resolve_and_reopen_keeps_both_earlier_outages_in_order()
    {
        // Arrange
        var incident = new IncidentBuilder().On("ledger").Build();
        var resolve = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build();
        var open = new IncidentBuilder().On("ledger").Build();

        // Act
        incident = IntakeService.Merge(incident, resolve, IncidentBuilder.Start.AddHours(1));
        incident = IntakeService.Merge(incident, open, IncidentBuilder.Start.AddHours(2));
        incident = IntakeService.Merge(incident, resolve, IncidentBuilder.Start.AddHours(3));
        incident = IntakeService.Merge(incident, open, IncidentBuilder.Start.AddHours(4));

        // Assert
        Assert.Equal(
            [new Outage(IncidentBuilder.Start, IncidentBuilder.Start.AddHours(1)), new Outage(IncidentBuilder.Start.AddHours(2), IncidentBuilder.Start.AddHours(3))],
            incident.EarlierOutages);
        Assert.Equal(IncidentBuilder.Start.AddHours(4), incident.StartedAt);
    }

    [Fact]
    public void A_flapping_incident_keeps_only_its_latest_earlier_outages()
    {
        // Arrange
        var incident = new IncidentBuilder().On("ledger").Build();
        var resolve = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build();
        var open = new IncidentBuilder().On("ledger").Build();

        // Act
        for (var i = 1; i <= Incident.MaxEarlierOutages + 5; i++)
        {
            incident = IntakeService.Merge(incident, resolve, IncidentBuilder.Start.AddMinutes((2 * i) - 1));
            incident = IntakeService.Merge(incident, open, IncidentBuilder.Start.AddMinutes(2 * i));
        }

        // Assert
        Assert.Equal(Incident.MaxEarlierOutages, incident.EarlierOutages.Count);
        Assert.Equal(new Outage(IncidentBuilder.Start.AddMinutes(10), IncidentBuilder.Start.AddMinutes(11)), incident.EarlierOutages[0]);
        Assert.Equal(IncidentBuilder.Start.AddMinutes((2 * (Incident.MaxEarlierOutages + 5)) - 1), incident.EarlierOutages[^1].End);
    }

    [Fact]
    public void A_delivery_that_does_not_say_the_state_leaves_a_closed_incident_closed()
    {
        // Arrange: an Opsgenie AddTags on a closed alert.
        var closed = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build() with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var tagged = new IncidentBuilder().On("ledger", "db").Build() with { StateIsImplied = true };

        // Act
        var merged = IntakeService.Merge(closed, tagged, _received);

        // Assert
        Assert.Equal((IncidentState.Resolved, IncidentBuilder.Start, false), (merged.State, merged.StartedAt, merged.StateIsImplied));
        Assert.Equal(["ledger", "db"], merged.Aliases);
        Assert.Empty(merged.EarlierOutages);
    }

    [Fact]
    public void A_late_delivery_adds_its_aliases_but_never_reopens_or_resolves()
    {
        // Arrange
        var resolved = new IncidentBuilder().On("ledger").InState(IncidentState.Resolved).Build() with { ResolvedAt = IncidentBuilder.Start.AddMinutes(40) };
        var lateOpen = new IncidentBuilder().On("sql").WithPriority(Priority.P3).Build();

        // Act
        var merged = IntakeService.MergeLate(resolved, lateOpen);

        // Assert
        Assert.Equal((IncidentState.Resolved, Priority.P1), (merged.State, merged.Priority));
        Assert.Equal(["ledger", "sql"], merged.Aliases);
        Assert.Empty(merged.EarlierOutages);
    }
}
