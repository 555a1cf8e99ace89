using Azure;
using Azure.Core;
using Azure.Data.Tables;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>The store fails after the archive write; the re-drive recovers the delivery from the archive, once.</summary>
public sealed class IntakeRedriveServiceTests(AzuriteFixture azurite)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivery_the_store_failed_to_take_is_applied_by_the_redrive_and_a_second_redrive_finds_nothing()
    {
        var (hub, faults) = Harness(afterSend: false);
        faults.FailNext(1);
        var body = IntakeSamples.Read(AliasSource.PagerDuty, "incident-triggered.json");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => hub.ReceiveAsync(AliasSource.PagerDuty, body));
        var path = Assert.Single(await hub.ArchivedPathsAsync());
        var stillReceived = (await hub.MetadataAsync(path))["status"];
        Assert.Empty(await hub.IncidentTableAsync());
        hub.Time.Advance(TimeSpan.FromMinutes(1));

        var redrive = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);
        var again = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);

        Assert.Equal(503, failure.Status);
        Assert.Equal(1, faults.Injected);
        Assert.Equal("Received", stillReceived);
        Assert.Equal(new RedriveResult(1, 1, 0, 0, 0), redrive);
        Assert.Equal(new RedriveResult(0, 0, 0, 0, 0), again);
        var history = await hub.Store.GetHistoryAsync("pagerduty~Q2K7VX4M9PL3TZ", Token);
        var delivery = Assert.Single(history!.Events);
        Assert.Equal((IntakeChannel.Redrive, path, IntakeHarness.Start), (delivery.Channel, delivery.ArchivePath, delivery.ReceivedAt));
        Assert.Equal([path], history.Incident.ArchivePaths);
        Assert.Equal("Applied", (await hub.MetadataAsync(path))["status"]);
    }

    [Fact]
    public async Task A_delivery_whose_write_got_through_before_the_failure_is_counted_by_the_redrive_as_a_duplicate()
    {
        var (hub, faults) = Harness(afterSend: true);
        faults.FailNext(1);
        var body = IntakeSamples.Read(AliasSource.Jira, "issue-created.json");

        await Assert.ThrowsAsync<RequestFailedException>(() => hub.ReceiveAsync(AliasSource.Jira, body));
        var path = Assert.Single(await hub.ArchivedPathsAsync());
        hub.Time.Advance(TimeSpan.FromMinutes(1));

        var redrive = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);
        var again = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);

        Assert.Equal(new RedriveResult(1, 0, 1, 0, 0), redrive);
        Assert.Equal(new RedriveResult(0, 0, 0, 0, 0), again);
        var history = await hub.Store.GetHistoryAsync("jira~OPS-1287", Token);
        var delivery = Assert.Single(history!.Events);
        Assert.Equal((IntakeChannel.Http, path), (delivery.Channel, delivery.ArchivePath));
        Assert.Equal(("Duplicate", "jira~OPS-1287 (duplicate delivery)"), ((await hub.MetadataAsync(path))["status"], (await hub.MetadataAsync(path))["note"]));
    }

    [Fact]
    public async Task The_redrive_leaves_deliveries_younger_than_the_grace_alone_and_survives_an_outage_that_lasts()
    {
        var (hub, faults) = Harness(afterSend: false);
        faults.FailNext(1);
        await Assert.ThrowsAsync<RequestFailedException>(() => hub.ReceiveAsync(AliasSource.Generic, IntakeSamples.Generic("INC-LATE", "Payments down")));

        var tooEarly = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), IntakeRedriveService.Grace, progress: null, Token);
        hub.Time.Advance(IntakeRedriveService.Grace);
        faults.FailNext(1);
        var duringOutage = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), IntakeRedriveService.Grace, progress: null, Token);
        var afterOutage = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), IntakeRedriveService.Grace, progress: null, Token);

        Assert.Equal(new RedriveResult(0, 0, 0, 0, 0), tooEarly);
        Assert.Equal(new RedriveResult(1, 0, 0, 0, 1), duringOutage);
        Assert.Equal(new RedriveResult(1, 1, 0, 0, 0), afterOutage);
        Assert.Single((await hub.Store.GetHistoryAsync("generic~INC-LATE", Token))!.Events);
    }

    private (IntakeHarness Hub, FaultInjectionPolicy Faults) Harness(bool afterSend)
    {
        var faults = new FaultInjectionPolicy { AfterSend = afterSend };
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(faults, HttpPipelinePosition.PerCall);
        return (new IntakeHarness(azurite, options), faults);
    }
}
