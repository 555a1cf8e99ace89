using ContinuityHub.Azure.Heartbeats;
using ContinuityHub.Azure.Reporting;
using ContinuityHub.Azure.Tests.Intake;
using ContinuityHub.Catalog;
using ContinuityHub.Heartbeats;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Tests.Reporting;

/// <summary>The report's RPO exposures read from the heartbeats on Azurite: one row per service, its worst heartbeat.</summary>
public sealed class HeartbeatExposureSourceTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Rpo = TimeSpan.FromMinutes(5);

    private static readonly ContinuityCatalog Catalog = new CatalogBuilder()
        .WithService("sql-cluster", s => s with { Name = "SQL Cluster", Rpo = Rpo, Heartbeats = [Beat("log-backup"), Beat("ag-dc2-replica")] })
        .WithService("svc")
        .WithService("ledger-db", s => s with { Name = "Ledger Database", Rpo = Rpo, Heartbeats = [Beat("dc2-log-shipping")] })
        .Build();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_service_with_heartbeats_is_one_row_with_its_oldest_recovery_point_and_a_service_all_paused_is_paused()
    {
        var h = new IntakeHarness(azurite, catalog: Catalog);
        var heartbeats = new HeartbeatService(
            new TableHeartbeatStore(h.Clients, AzuriteFixture.UniqueTableName()), new FixedCatalogProvider(Catalog), h.Intake, h.Time, NullLogger<HeartbeatService>.Instance);
        await heartbeats.BeatAsync("sql-cluster", "ag-dc2-replica", null, Token);
        await heartbeats.BeatAsync("ledger-db", "dc2-log-shipping", null, Token);
        await heartbeats.PauseAsync("ledger-db", "dc2-log-shipping", null, "DC2 maintenance", Token);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await heartbeats.BeatAsync("sql-cluster", "log-backup", null, Token);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var rows = await new HeartbeatExposureSource(heartbeats).ReadAsync(Token);

        Assert.Equal(
            [
                new RpoExposure("sql-cluster", "SQL Cluster", Rpo, TimeSpan.FromMinutes(3), "ag-dc2-replica", HeartbeatState.Late),
                new RpoExposure("ledger-db", "Ledger Database", Rpo, TimeSpan.FromMinutes(3), "dc2-log-shipping", HeartbeatState.Paused),
            ],
            rows);
    }

    [Fact]
    public void The_hub_registration_reads_the_reports_rpo_exposures_from_the_heartbeats()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        Assert.IsType<HeartbeatExposureSource>(services.GetRequiredService<IRpoExposureSource>());
    }

    private static HeartbeatDeclaration Beat(string name) => new(name, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
}
