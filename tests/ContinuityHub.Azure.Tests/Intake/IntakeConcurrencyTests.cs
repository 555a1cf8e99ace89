using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>Many deliveries at once, through the real intake and Azurite: nothing lost, nothing counted twice.</summary>
public sealed class IntakeConcurrencyTests
{
    private const int Deliveries = 50;

    private readonly IntakeHarness _hub;

    public IntakeConcurrencyTests(AzuriteFixture azurite)
    {
        _hub = new IntakeHarness(azurite);

        // Every reading of the clock moves it on, so each write of the incident row has its own LastUpdated, in order.
        _hub.Time.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fifty_deliveries_of_one_incident_at_once_are_each_applied_once_and_no_update_is_lost()
    {
        var bodies = Enumerable.Range(0, Deliveries).Select(i => IntakeSamples.Generic("INC-HOT", $"Payments down (update {i:D2})")).ToList();

        var results = await Task.WhenAll(bodies.Select(body => Task.Run(() => _hub.ReceiveAsync(AliasSource.Generic, body), Token)));

        Assert.All(results, r => Assert.False(r.Duplicate));
        var key = Assert.Single(results.Select(r => r.IncidentKey).Distinct());
        Assert.Single(await _hub.IncidentTableAsync("RowKey eq 'incident'"));
        var history = await _hub.Store.GetHistoryAsync(key, Token);
        Assert.NotNull(history);
        Assert.Equal(Deliveries, history.Events.Count);
        Assert.Equal(Deliveries, history.Events.Select(e => e.DeliveryKey).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(results.Select(r => r.ArchivePath).Order(StringComparer.Ordinal), history.Events.Select(e => e.ArchivePath).Order(StringComparer.Ordinal));

        // No lost update: the incident row is the last write of a chain in which every write saw the one before, so it
        // lists the archive paths of the last deliveries applied, in the order applied, and says what the last one said.
        var applied = history.Events.Select(e => e.ArchivePath).ToList();
        Assert.Equal(applied.TakeLast(history.Incident.ArchivePaths.Count), history.Incident.ArchivePaths);
        Assert.Equal(20, history.Incident.ArchivePaths.Count);
        // The incident says what the newest delivery said (by receipt: one received earlier but applied later is history only).
        Assert.Equal(history.Events.MaxBy(e => e.ReceivedAt)!.Title, history.Incident.Incident.Title);
        Assert.Single(history.Assessments);
        foreach (var result in results)
        {
            Assert.Equal("Applied", (await _hub.MetadataAsync(result.ArchivePath))["status"]);
        }
    }

    [Fact]
    public async Task Fifty_different_incidents_at_once_each_get_one_row_one_event_and_one_assessment()
    {
        var bodies = Enumerable.Range(0, Deliveries).Select(i => IntakeSamples.Generic($"INC-{i:D3}", $"Incident {i}")).ToList();

        var results = await Task.WhenAll(bodies.Select(body => Task.Run(() => _hub.ReceiveAsync(AliasSource.Generic, body), Token)));

        Assert.Equal(Deliveries, results.Select(r => r.IncidentKey).Distinct().Count());
        Assert.Equal(Deliveries, (await _hub.IncidentTableAsync("RowKey eq 'incident'")).Count);
        foreach (var result in results)
        {
            var history = await _hub.Store.GetHistoryAsync(result.IncidentKey, Token);
            Assert.Equal(result.ArchivePath, Assert.Single(history!.Events).ArchivePath);
            Assert.Equal([result.ArchivePath], history.Incident.ArchivePaths);
            Assert.Single(history.Assessments);
        }
    }

    [Fact]
    public async Task The_same_delivery_fifty_times_at_once_is_applied_once()
    {
        var body = IntakeSamples.Generic("INC-ECHO", "Payments down");

        var results = await Task.WhenAll(Enumerable.Range(0, Deliveries).Select(_ => Task.Run(() => _hub.ReceiveAsync(AliasSource.Generic, body), Token)));

        Assert.Single(results, r => !r.Duplicate);
        var history = await _hub.Store.GetHistoryAsync(results[0].IncidentKey, Token);
        Assert.Single(history!.Events);
        Assert.Single(history.Incident.ArchivePaths);
    }
}
