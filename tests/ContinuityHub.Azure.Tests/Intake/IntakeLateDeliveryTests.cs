using System.Text;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>A delivery archived before a newer one but applied after it (a re-drive after an outage) must not undo it.</summary>
public sealed class IntakeLateDeliveryTests(AzuriteFixture azurite)
{
    private readonly IntakeHarness _hub = new(azurite);

    [Fact]
    public async Task Late_redrive_of_an_older_open_delivery_joins_the_log_without_reopening_a_resolved_incident()
    {
        var ct = TestContext.Current.CancellationToken;
        var open = IntakeSamples.Read(AliasSource.PagerDuty, "incident-triggered.json");
        var externalId = IncidentParsers.Parse(AliasSource.PagerDuty, open).ExternalId;
        var resolved = IntakeSamples.With(AliasSource.PagerDuty, "incident-resolved.json", "event.data.id", externalId);

        // The open delivery was archived first, but its processing was lost (a crash between archive and store).
        var lostPath = await _hub.Archive.ArchiveAsync(AliasSource.PagerDuty, _hub.Time.GetUtcNow(), Encoding.UTF8.GetBytes(open), IntakeChannel.Http, ct);
        _hub.Time.Advance(TimeSpan.FromMinutes(5));
        var closed = await _hub.ReceiveAsync(AliasSource.PagerDuty, resolved);
        _hub.Time.Advance(TimeSpan.FromMinutes(10));

        var redrive = await _hub.Redrive.RedriveAsync(IntakeHarness.Start.AddDays(-1), TimeSpan.Zero, null, ct);

        Assert.Equal(1, redrive.Accepted);
        var history = await _hub.Store.GetHistoryAsync(closed.IncidentKey, ct);
        Assert.Equal(IncidentState.Resolved, history!.Incident.Incident.State);
        Assert.Equal(2, history.Events.Count);
        Assert.Contains(history.Events, e => e.ArchivePath == lostPath && e.State == IncidentState.Open);
    }
}
