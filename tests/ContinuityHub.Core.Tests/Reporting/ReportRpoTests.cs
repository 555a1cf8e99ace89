using System.Runtime.CompilerServices;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Heartbeats;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>The report's RPO part: the services' exposures a source reads, and the RPO incidents of the period from the histories.</summary>
public class ReportRpoTests
{
    private static readonly DateOnly Today = new(2026, 11, 25); // period 2026-11-18 to 2026-11-24
    private static readonly TimeSpan Rpo = TimeSpan.FromMinutes(5);

    private static readonly ContinuityCatalog Catalog = new CatalogBuilder()
        .WithService("sql-cluster", name: "SQL Cluster", rpo: Rpo, heartbeats: [Beat("log-backup"), Beat("ag-dc2-replica")])
        .WithService("svc")
        .WithService("ledger-db", name: "Ledger Database", rpo: Rpo, heartbeats: [Beat("dc2-log-shipping")])
        .Build();

    private static ContinuityReport Build(IReadOnlyList<IncidentHistory> histories, IReadOnlyList<RpoExposure>? exposures = null) =>
        ContinuityReportBuilder.Build(Catalog, histories, Today, Today.AddDays(-7), exposures);

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    private static HeartbeatDeclaration Beat(string name) => new(name, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));

    private static TimeSpan Minutes(int minutes) => TimeSpan.FromMinutes(minutes);

    // --- events ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Rpo_events_are_the_heartbeat_incidents_of_the_period_at_risk_or_breached_and_other_incidents_are_not()
    {
        var atRisk = new HeartbeatHistoryBuilder("ledger-db", "dc2-log-shipping").Raised(At(20, 8), raisedAfter: Minutes(4), resolvedAfter: Minutes(9)).Build();
        var breached = new HeartbeatHistoryBuilder("sql-cluster", "log-backup").Raised(At(22, 10), raisedAfter: Minutes(4), breachedAfter: Minutes(5)).Build();
        var before = new HeartbeatHistoryBuilder("sql-cluster", "ag-dc2-replica").Raised(At(17, 23, 50), raisedAfter: Minutes(20), resolvedAfter: Minutes(30)).Build();
        var outage = new HistoryBuilder("INC-9", At(21, 9)).Assessed(Minutes(10), AssessmentLevel.RecommendInvocation).Build();

        var report = Build([breached, outage, before, atRisk]);

        Assert.Equal(
            [
                new RpoEvent("heartbeat~ledger-db~dc2-log-shipping", "ledger-db", "dc2-log-shipping", RpoLevel.AtRisk, At(20, 8), At(20, 8, 4), At(20, 8, 9)),
                new RpoEvent("heartbeat~sql-cluster~log-backup", "sql-cluster", "log-backup", RpoLevel.Breached, At(22, 10), At(22, 10, 4), null),
            ],
            report.Rpo.Events);
    }

    [Fact]
    public void A_heartbeat_incident_raised_again_is_one_event_per_raise_in_the_period()
    {
        var history = new HeartbeatHistoryBuilder()
            .Raised(At(15, 6), raisedAfter: Minutes(4), resolvedAfter: Minutes(6)) // before the period
            .Raised(At(19, 6), raisedAfter: Minutes(4), breachedAfter: Minutes(5), resolvedAfter: Minutes(12))
            .Raised(At(23, 6), raisedAfter: Minutes(4))
            .Build();

        var report = Build([history]);

        Assert.Equal(
            [
                (RpoLevel.Breached, At(19, 6), At(19, 6, 4), (DateTimeOffset?)At(19, 6, 12)),
                (RpoLevel.AtRisk, At(23, 6), At(23, 6, 4), null),
            ],
            report.Rpo.Events.Select(e => (e.Worst, e.RecoveryPointAt, e.RaisedAt, e.ResolvedAt)));
    }

    // --- services -------------------------------------------------------------------------------------------------

    [Fact]
    public void Rpo_services_are_the_sources_exposures_in_catalogue_order_for_the_catalogued_services_with_heartbeats()
    {
        RpoExposure[] exposures =
        [
            new("ledger-db", "Ledger Database", Rpo, Minutes(4), "dc2-log-shipping", HeartbeatState.AtRisk),
            new("gone", "No longer catalogued", Rpo, Minutes(9), "job", HeartbeatState.Breached),
            new("svc", "svc", Minutes(15), Minutes(1), "job", HeartbeatState.Ok), // the catalogue declares none for it
            new("sql-cluster", "SQL Cluster", Rpo, Minutes(1), "log-backup", HeartbeatState.Ok),
        ];

        var report = Build([], exposures);

        Assert.Equal([exposures[3], exposures[0]], report.Rpo.Services);
        Assert.Empty(report.Rpo.Events);
    }

    [Fact]
    public void A_services_exposure_is_that_of_its_heartbeat_with_the_oldest_recovery_point()
    {
        var now = At(24, 12);
        var sql = Catalog.Services[0];
        HeartbeatStatus[] heartbeats =
        [
            Status(sql, "log-backup", now, recoveryPointAgo: Minutes(1)),
            Status(sql, "ag-dc2-replica", now, recoveryPointAgo: Minutes(6)),
            Status(Catalog.Services[2], "dc2-log-shipping", now, recoveryPointAgo: Minutes(2)),
        ];

        var rows = RpoExposure.PerService(heartbeats);

        Assert.Equal(
            [
                new RpoExposure("sql-cluster", "SQL Cluster", Rpo, Minutes(6), "ag-dc2-replica", HeartbeatState.Breached),
                new RpoExposure("ledger-db", "Ledger Database", Rpo, Minutes(2), "dc2-log-shipping", HeartbeatState.Ok),
            ],
            rows);
    }

    [Fact]
    public void Paused_heartbeats_count_only_when_all_of_a_services_heartbeats_are_paused()
    {
        var now = At(24, 12);
        var sql = Catalog.Services[0];

        var some = RpoExposure.PerService([Status(sql, "log-backup", now, Minutes(1)), Status(sql, "ag-dc2-replica", now, Minutes(9), paused: true)]);
        var all = RpoExposure.PerService([Status(sql, "log-backup", now, Minutes(1), paused: true), Status(sql, "ag-dc2-replica", now, Minutes(9), paused: true)]);

        Assert.Equal(("log-backup", HeartbeatState.Ok), (Assert.Single(some).Heartbeat, some[0].State));
        Assert.Equal(("ag-dc2-replica", HeartbeatState.Paused, Minutes(9)), (Assert.Single(all).Heartbeat, all[0].State, all[0].Exposure));
    }

    // --- the report service ---------------------------------------------------------------------------------------

    [Fact]
    public async Task The_report_service_reads_the_exposures_from_its_source_and_the_events_from_the_histories()
    {
        var exposure = new RpoExposure("ledger-db", "Ledger Database", Rpo, Minutes(4), "dc2-log-shipping", HeartbeatState.AtRisk);
        var history = new HeartbeatHistoryBuilder().Raised(At(20, 8), raisedAfter: Minutes(4)).Build();
        var stores = new Stores(Catalog, history);
        var service = new ReportService(stores, stores, stores, NullLogger<ReportService>.Instance, exposures: new Source([exposure]));

        var report = (await service.BuildAsync(Today, TestContext.Current.CancellationToken)).Report;

        Assert.Equal([exposure], report.Rpo.Services);
        Assert.Equal(history.Incident.Incident.Key, Assert.Single(report.Rpo.Events).IncidentKey);
    }

    [Fact]
    public void Rendered_without_a_source_the_rpo_services_are_empty_but_the_events_come_from_the_histories()
    {
        var history = new HeartbeatHistoryBuilder().Raised(At(20, 8), raisedAfter: Minutes(4)).Build();

        var report = ReportService.Render(Catalog, [history], Today).Report;

        Assert.Empty(report.Rpo.Services);
        Assert.Equal(RpoLevel.AtRisk, Assert.Single(report.Rpo.Events).Worst);
    }

    // --- JSON -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Rpo_json_has_the_services_and_events_fields_with_whole_seconds_and_utc_times()
    {
        var exposure = new RpoExposure("ledger-db", "Ledger Database", Rpo, TimeSpan.FromSeconds(245.7), "dc2-log-shipping", HeartbeatState.AtRisk);
        var history = new HeartbeatHistoryBuilder().Raised(At(20, 8), raisedAfter: Minutes(4), breachedAfter: Minutes(5)).Build();

        using var json = JsonDocument.Parse(ReportRenderer.ToJson(Build([history], [exposure])));

        var rpo = json.RootElement.GetProperty("rpo");
        Assert.Equal(["services", "events"], rpo.EnumerateObject().Select(p => p.Name));
        var service = rpo.GetProperty("services")[0];
        Assert.Equal(["service", "name", "rpoSeconds", "exposureSeconds", "heartbeat", "state"], service.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ("ledger-db", "Ledger Database", 300, 245, "dc2-log-shipping", "AtRisk"),
            (service.GetProperty("service").GetString(), service.GetProperty("name").GetString(), service.GetProperty("rpoSeconds").GetInt32(),
                service.GetProperty("exposureSeconds").GetInt32(), service.GetProperty("heartbeat").GetString(), service.GetProperty("state").GetString()));
        var raised = rpo.GetProperty("events")[0];
        Assert.Equal(["incidentKey", "service", "heartbeat", "worst", "recoveryPointAt", "raisedAt", "resolvedAt"], raised.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            ("heartbeat~ledger-db~dc2-log-shipping", "ledger-db", "dc2-log-shipping", "Breached", "2026-11-20T08:00:00Z", "2026-11-20T08:04:00Z", JsonValueKind.Null),
            (raised.GetProperty("incidentKey").GetString(), raised.GetProperty("service").GetString(), raised.GetProperty("heartbeat").GetString(), raised.GetProperty("worst").GetString(),
                raised.GetProperty("recoveryPointAt").GetString(), raised.GetProperty("raisedAt").GetString(), raised.GetProperty("resolvedAt").ValueKind));
    }

    [Fact]
    public void Rpo_json_reads_back_the_same_report()
    {
        var exposure = new RpoExposure("sql-cluster", "SQL Cluster", Rpo, Minutes(6), "ag-dc2-replica", HeartbeatState.Breached);
        var history = new HeartbeatHistoryBuilder().Raised(At(20, 8), raisedAfter: Minutes(4), resolvedAfter: Minutes(7)).Build();
        var text = ReportRenderer.ToJson(Build([history], [exposure]));

        var read = JsonSerializer.Deserialize<ContinuityReport>(text, ReportRenderer.JsonOptions)!;

        Assert.Equal([exposure], read.Rpo.Services);
        Assert.Equal(text, ReportRenderer.ToJson(read));
    }

    // --- HTML -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Html_shows_the_rpo_section_with_the_exposure_chart_and_the_rpo_incidents_every_name_escaped()
    {
        const string Hostile = "<script>alert(\"x\")</script> & 'q'";
        const string HostileEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
        var catalog = new CatalogBuilder()
            .WithService("ledger-db", name: "Ledger " + Hostile, rpo: Rpo, heartbeats: [Beat("dc2-log-shipping")])
            .WithService("sql-cluster", name: "SQL Cluster", rpo: Rpo, heartbeats: [Beat("log-backup")])
            .Build();
        RpoExposure[] exposures =
        [
            new("ledger-db", "Ledger " + Hostile, Rpo, Minutes(120), Hostile, HeartbeatState.Breached),
            new("sql-cluster", "SQL Cluster", Rpo, Minutes(4), "log-backup", HeartbeatState.AtRisk),
        ];
        var history = new HeartbeatHistoryBuilder().Raised(At(20, 8), raisedAfter: Minutes(4), breachedAfter: Minutes(5), resolvedAfter: Minutes(20)).Build();
        var report = ContinuityReportBuilder.Build(catalog, [history], Today, Today.AddDays(-7), exposures);

        var html = ReportRenderer.ToHtml(report, catalog);

        Assert.Contains("<h2 id=\"rpo-exposure\">RPO exposure</h2>", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Data exposure against the RPO, per service\"", html, StringComparison.Ordinal);
        Assert.Contains(">2400%</tspan> 2 h of 5 min · Breached</text>", html, StringComparison.Ordinal);
        Assert.Contains("<path d=\"M760 ", html, StringComparison.Ordinal); // past the axis end (300% of the RPO): cut off with an arrow
        Assert.Contains(">80%</tspan> 4 min of 5 min · At risk</text>", html, StringComparison.Ordinal);
        Assert.Contains($"Ledger {HostileEscaped} (ledger-db): last recovery point 2 h ago ({HostileEscaped})", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(">2400%", StringComparison.Ordinal) < html.IndexOf(">80%", StringComparison.Ordinal), "The worst exposure comes first.");
        Assert.Contains("RPO incidents of the period <span class=\"count\">1</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>Ledger {HostileEscaped}<small>ledger-db</small></td><td>dc2-log-shipping</td><td class=\"bad\">Breached</td><td>20 Nov 2026 08:00 UTC</td><td>20 Nov 2026 08:04 UTC</td><td>20 Nov 2026 08:20 UTC</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<li class=\"bad\"><b>RPO incidents in the period: 1 (1 breached)</b>: Ledger {HostileEscaped}.</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'q'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_says_in_one_sentence_that_no_service_declares_heartbeats()
    {
        var catalog = new CatalogBuilder().WithService("svc").Build();

        var html = ReportRenderer.ToHtml(ContinuityReportBuilder.Build(catalog, [], Today, Today.AddDays(-7)), catalog);

        Assert.Contains("<h2 id=\"rpo-exposure\">RPO exposure</h2>\n<p class=\"block note\">No service in the catalogue declares heartbeats, so there is no RPO exposure to show.</p>\n</section>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Data exposure against the RPO", html, StringComparison.Ordinal);
        Assert.DoesNotContain("RPO incidents", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_of_a_catalogue_file_alone_says_the_heartbeats_were_not_read_and_still_lists_the_rpo_incidents()
    {
        var history = new HeartbeatHistoryBuilder().Raised(At(20, 8), raisedAfter: Minutes(4)).Build();

        var html = ReportService.Render(Catalog, [history], Today).Files.Select(f => System.Text.Encoding.UTF8.GetString(f.Content.Span)).First();

        Assert.Contains("This report was built from the catalogue alone, without the heartbeats&#39; current state, so it shows no service&#39;s RPO exposure.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Data exposure against the RPO, per service\"", html, StringComparison.Ordinal);
        Assert.Contains("RPO incidents of the period <span class=\"count\">1</span>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"warn\">At risk</td><td>20 Nov 2026 08:00 UTC</td><td>20 Nov 2026 08:04 UTC</td><td>open</td>", html, StringComparison.Ordinal);
    }

    private static HeartbeatStatus Status(BusinessService service, string name, DateTimeOffset now, TimeSpan recoveryPointAgo, bool paused = false)
    {
        var record = HeartbeatRecord.New(service.Id, name, now - TimeSpan.FromDays(1)) with
        {
            LastRecoveryPoint = now - recoveryPointAgo,
            LastBeatAt = now - TimeSpan.FromSeconds(10),
            Paused = paused,
        };
        return HeartbeatStatus.Of(service, service.Heartbeats.Single(h => h.Name == name), record, Catalog.Policy, now);
    }

    private sealed class Source(IReadOnlyList<RpoExposure> exposures) : IRpoExposureSource
    {
        public Task<IReadOnlyList<RpoExposure>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(exposures);
    }

    /// <summary>The stores the report service reads: a catalogue, the histories of the period; nothing is written.</summary>
    private sealed class Stores(ContinuityCatalog catalog, params IncidentHistory[] histories) : ICatalogStore, IIncidentStore, IReportStore
    {
        public Task<ContinuityCatalog> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);

        public async IAsyncEnumerable<IncidentHistory> ListHistoriesAsync(DateTimeOffset startedFrom, DateTimeOffset startedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var history in histories.Where(h => h.Incident.Incident.StartedAt >= startedFrom && h.Incident.Incident.StartedAt < startedBefore))
            {
                yield return history;
            }
        }

        public Task<CatalogChanges> ReplaceAsync(ContinuityCatalog catalog, IProgress<string>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoredIncident?> FindAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IncidentHistory?> GetHistoryAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<WriteOutcome> WriteAsync(IncidentWrite write, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<StoredIncident> ListOpenAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ReportWrite> WriteAsync(DateOnly reportDate, string fileName, string contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
