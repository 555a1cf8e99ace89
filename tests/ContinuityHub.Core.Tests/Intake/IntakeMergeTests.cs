using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Core.Tests.Intake;

public class IntakeMergeTests
{
    [Fact]
    public void Update_takes_the_sources_latest_word_and_keeps_every_alias_and_the_estimate()
    {
        var eta = IncidentBuilder.Start.AddHours(6);
        var first = new IncidentBuilder().On("ledger", "sql").RestoredBy(eta).Build();
        var update = new IncidentBuilder().On("ledger").WithPriority(Priority.P2).InState(IncidentState.Resolved).Build();

        var merged = IntakeService.Merge(first, update);

        Assert.Equal(IncidentState.Resolved, merged.State);
        Assert.Equal(Priority.P2, merged.Priority);
        Assert.Equal(["ledger", "sql"], merged.Aliases);
        Assert.Equal(eta, merged.EstimatedRestoreAt);
    }

    [Fact]
    public void First_delivery_is_the_incident()
    {
        var first = new IncidentBuilder().On("ledger").Build();

        Assert.Same(first, IntakeService.Merge(null, first));
    }

    [Fact]
    public void An_update_whose_start_is_only_its_event_time_keeps_the_incidents_real_start()
    {
        var first = new IncidentBuilder().On("ledger").Build();
        var acknowledged = new IncidentBuilder().On("ledger").Build() with { StartedAt = IncidentBuilder.Start.AddMinutes(20), StartedAtIsEventTime = true };

        Assert.Equal(IncidentBuilder.Start, IntakeService.Merge(first, acknowledged).StartedAt);
    }

    [Fact]
    public void An_update_with_a_real_start_moves_the_start()
    {
        var first = new IncidentBuilder().On("ledger").Build();
        var corrected = new IncidentBuilder().On("ledger").Build() with { StartedAt = IncidentBuilder.Start.AddMinutes(-30) };

        Assert.Equal(IncidentBuilder.Start.AddMinutes(-30), IntakeService.Merge(first, corrected).StartedAt);
    }
}
