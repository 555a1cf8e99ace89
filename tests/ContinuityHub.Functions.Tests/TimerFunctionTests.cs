using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Assessment;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Reporting;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Reporting;
using ContinuityHub.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// The timer functions called as the host calls them — a <see cref="TimerInfo"/> and a <see cref="FunctionContext"/>
/// in, the class built from the app's services — against Azurite, with tables, an archive container and a reports
/// container of their own (so the re-assessment, the re-drive sweep and the report touch nothing of the other tests)
/// and a stopped clock.
/// </summary>
public sealed class TimerFunctionTests(AzuriteFixture azurite) : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    /// <summary>A Monday, when the report timer runs by default (07:00 UTC).</summary>
    private static readonly DateTimeOffset ReportMorning = new(2026, 11, 30, 7, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly ServiceBusReceiver _receiver = Substitute.For<ServiceBusReceiver>();
    private readonly string _reportsContainer = AzuriteFixture.UniqueContainerName("reports");
    private ServiceProvider? _services;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReassessOpenIncidents_raises_the_level_as_the_clock_runs()
    {
        var services = Services();
        var intake = services.GetRequiredService<IntakeService>();
        var received = await intake.ReceiveAsync(Request(Generic("INC-T-1", Now)), Token);
        Assert.Equal(AssessmentLevel.Monitor, received.Level);

        _time.Advance(TimeSpan.FromHours(3)); // past half the 4 h RTO of the service
        await Functions(services).ReassessOpenIncidents(new TimerInfo(), Context());

        var history = await services.GetRequiredService<IIncidentStore>().GetHistoryAsync(received.IncidentKey, Token);
        Assert.Equal(AssessmentLevel.Alert, history!.Incident.Level);
        Assert.Equal([AssessmentLevel.Monitor, AssessmentLevel.Alert], history.Assessments.Select(a => a.Level));
        Assert.Equal(Now + TimeSpan.FromHours(3), history.Assessments[^1].At);
    }

    [Fact]
    public async Task ReassessOpenIncidents_leaves_an_unchanged_level_alone()
    {
        var services = Services();
        var received = await services.GetRequiredService<IntakeService>().ReceiveAsync(Request(Generic("INC-T-2", Now)), Token);

        _time.Advance(TimeSpan.FromMinutes(30));
        await Functions(services).ReassessOpenIncidents(new TimerInfo { IsPastDue = true }, Context());

        var history = await services.GetRequiredService<IIncidentStore>().GetHistoryAsync(received.IncidentKey, Token);
        Assert.Equal(AssessmentLevel.Monitor, history!.Incident.Level);
        Assert.Single(history.Assessments);
    }

    [Fact]
    public async Task DrainIncidentQueue_takes_the_queued_messages_into_the_incident_store()
    {
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: new BinaryData(Encoding.UTF8.GetBytes(Generic("INC-T-3", Now))),
            messageId: "msg-1",
            deliveryCount: 1);
        _receiver.ReceiveMessagesAsync(Arg.Any<int>(), Arg.Any<TimeSpan?>(), Arg.Any<CancellationToken>())
            .Returns([message], new List<ServiceBusReceivedMessage>());
        var services = Services(withQueue: true);

        await Functions(services).DrainIncidentQueue(new TimerInfo(), Context());

        await _receiver.Received(1).CompleteMessageAsync(message, Arg.Any<CancellationToken>());
        var stored = await services.GetRequiredService<IIncidentStore>().FindAsync("generic~INC-T-3", Token);
        Assert.NotNull(stored);
    }

    [Fact]
    public async Task DrainIncidentQueue_without_a_ServiceBus_setting_does_nothing()
    {
        var services = Services();

        await Functions(services).DrainIncidentQueue(new TimerInfo(), Context());

        Assert.False(services.GetRequiredService<IncidentQueueDrainer>().IsEnabled);
    }

    [Fact]
    public async Task RedriveIntakeArchive_applies_a_delivery_archived_but_never_processed_once_the_grace_is_over()
    {
        var services = Services();
        var archive = services.GetRequiredService<IPayloadArchive>();
        var path = await archive.ArchiveAsync(AliasSource.Generic, Now, Encoding.UTF8.GetBytes(Generic("INC-T-4", Now)), IntakeChannel.Http, Token);
        var store = services.GetRequiredService<IIncidentStore>();

        // Still in flight, as far as the sweep can tell.
        _time.Advance(IntakeRedriveService.Grace - TimeSpan.FromSeconds(1));
        await Functions(services).RedriveIntakeArchive(new TimerInfo(), Context());
        Assert.Null(await store.FindAsync("generic~INC-T-4", Token));

        _time.Advance(TimeSpan.FromSeconds(2));
        await Functions(services).RedriveIntakeArchive(new TimerInfo(), Context());

        var history = await store.GetHistoryAsync("generic~INC-T-4", Token);
        Assert.Equal(path, Assert.Single(history!.Events).ArchivePath);
        Assert.Empty(await ToListAsync(archive.ListUnprocessedAsync(Now - TimeSpan.FromDays(1), _time.GetUtcNow(), Token)));
    }

    [Fact]
    public async Task WriteContinuityReport_writes_the_html_json_and_csv_for_today_under_the_report_date()
    {
        var services = Services(SeedCatalog());
        await ImportSeedAsync(services);
        await ReceiveAtAsync(services, "INC-R-0", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero)); // before the period
        await ReceiveAtAsync(services, "INC-R-1", new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        _time.SetUtcNow(ReportMorning);

        await Functions(services).WriteContinuityReport(new TimerInfo(), Context());

        var blobs = await ReportBlobsAsync(services);
        Assert.Equal(
            [
                ("2026-11-30/continuity-report.csv", "text/csv; charset=utf-8"),
                ("2026-11-30/continuity-report.html", "text/html; charset=utf-8"),
                ("2026-11-30/continuity-report.json", "application/json; charset=utf-8"),
            ],
            blobs.Select(b => (b.Name, b.Properties.ContentType)));
        Assert.All(blobs, b => Assert.Matches("^[0-9a-f]{64}$", b.Metadata[BlobReportStore.Sha256Metadata]));

        using var json = JsonDocument.Parse(await DownloadAsync(services, "2026-11-30/continuity-report.json"));
        var root = json.RootElement;
        Assert.Equal("2026-11-30", root.GetProperty("reportDate").GetString());
        Assert.Equal("2026-11-23", root.GetProperty("periodStart").GetString());
        Assert.Equal("dr-sql-cluster", root.GetProperty("overdueReviews")[0].GetProperty("id").GetString());
        var incidents = root.GetProperty("incidents");
        Assert.Equal(1, incidents.GetProperty("assessed").GetInt32());
        Assert.Equal("generic~INC-R-1", Assert.Single(incidents.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var csv = await DownloadAsync(services, "2026-11-30/continuity-report.csv");
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), csv[..3]);
    }

    [Fact]
    public async Task WriteContinuityReport_run_again_for_the_same_period_writes_nothing()
    {
        var services = Services(SeedCatalog());
        await ImportSeedAsync(services);
        await ReceiveAtAsync(services, "INC-R-2", new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero));
        _time.SetUtcNow(ReportMorning);
        await Functions(services).WriteContinuityReport(new TimerInfo(), Context());
        var first = await ReportBlobsAsync(services);

        _time.Advance(TimeSpan.FromHours(2)); // the same UTC day: the same report date and period
        await Functions(services).WriteContinuityReport(new TimerInfo { IsPastDue = true }, Context());

        var second = await ReportBlobsAsync(services);
        Assert.Equal(3, second.Count);
        Assert.Equal(first.Select(b => (b.Name, b.Properties.ETag)), second.Select(b => (b.Name, b.Properties.ETag)));
    }

    [Fact]
    public async Task WriteContinuityReport_after_the_catalogue_changed_replaces_the_files_that_changed()
    {
        var services = Services(SeedCatalog());
        await ImportSeedAsync(services);
        _time.SetUtcNow(ReportMorning);
        await Functions(services).WriteContinuityReport(new TimerInfo(), Context());
        var before = await ReportBlobsAsync(services);

        var seed = SeedCatalog();
        var reviewed = seed with
        {
            Plans = [.. seed.Plans.Select(p => p.Id == "dr-sql-cluster" ? p with { LastReviewed = new DateOnly(2026, 11, 27), NextReview = new DateOnly(2027, 11, 27) } : p)],
        };
        await services.GetRequiredService<CatalogImporter>().ImportAsync(reviewed, SeedDocuments(), null, Token);
        await Functions(services).WriteContinuityReport(new TimerInfo(), Context());

        // The review dates are in the HTML and the JSON, not in the CSV sheet: only what changed is written.
        var after = await ReportBlobsAsync(services);
        Assert.Equal(
            [("2026-11-30/continuity-report.csv", false), ("2026-11-30/continuity-report.html", true), ("2026-11-30/continuity-report.json", true)],
            before.Zip(after, (b, a) => (a.Name, b.Properties.ETag != a.Properties.ETag)));
        using var json = JsonDocument.Parse(await DownloadAsync(services, "2026-11-30/continuity-report.json"));
        Assert.Empty(json.RootElement.GetProperty("overdueReviews").EnumerateArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    /// <summary>
    /// The app's services as Program.cs composes them, with the edges a test owns registered first: the clock, the
    /// catalogue, storage of this test's own, and (<paramref name="withQueue"/>) the Service Bus receiver.
    /// </summary>
    private ServiceProvider Services(ContinuityCatalog? catalog = null, bool withQueue = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build();
        var prefix = AzuriteFixture.UniqueTableName("timer");
        var container = AzuriteFixture.UniqueContainerName("timer");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ICatalogProvider>(new FixedCatalogProvider(catalog ?? Catalog()));
        services.AddSingleton<ICatalogStore>(sp => new TableCatalogStore(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IIncidentStore>(sp => new TableIncidentStore(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<ContinuityHub.Heartbeats.IHeartbeatStore>(sp => new ContinuityHub.Azure.Heartbeats.TableHeartbeatStore(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IPayloadArchive>(sp => new BlobPayloadArchive(sp.GetRequiredService<StorageClients>(), container));
        services.AddSingleton<IReportStore>(sp => new BlobReportStore(sp.GetRequiredService<StorageClients>(), _reportsContainer));
        if (withQueue)
        {
            services.AddSingleton(sp => new IncidentQueueDrainer(
                _receiver,
                sp.GetRequiredService<IntakeService>(),
                new ServiceBusOptions(),
                _time,
                sp.GetRequiredService<ILogger<IncidentQueueDrainer>>()));
        }

        services.AddContinuityHub(configuration);
        _services = services.BuildServiceProvider();
        return _services;
    }

    /// <summary>The function class as the worker builds it for an invocation.</summary>
    private static TimerFunctions Functions(IServiceProvider services) => ActivatorUtilities.CreateInstance<TimerFunctions>(services);

    private static FunctionContext Context()
    {
        var context = Substitute.For<FunctionContext>();
        context.CancellationToken.Returns(Token);
        context.InvocationId.Returns(Guid.NewGuid().ToString());
        return context;
    }

    /// <summary>One tier-2 service, payments: RTO 4 h, MTPD 24 h; P2 incidents on it are assessed (<see cref="Policy.Default"/>).</summary>
    private static ContinuityCatalog Catalog() =>
        new(
            Policy.Default,
            [
                new BusinessService(
                    "payments",
                    "Card payments",
                    2,
                    TimeSpan.FromHours(4),
                    TimeSpan.FromHours(1),
                    TimeSpan.FromHours(24),
                    "owner@contoso.example",
                    [],
                    new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Generic] = ["payments"] },
                    new DateOnly(2026, 1, 15)),
            ],
            [],
            []);

    /// <summary>The sample organisation of infra/seed/catalog.yaml.</summary>
    private static ContinuityCatalog SeedCatalog() =>
        CatalogYamlReader.Read(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "seed", "catalog.yaml")));

    private static DirectoryDocumentSource SeedDocuments() => new(Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "seed"));

    /// <summary>Imports the seed into this test's catalogue tables, as `hub catalog import` does.</summary>
    private static async Task ImportSeedAsync(IServiceProvider services) =>
        await services.GetRequiredService<CatalogImporter>().ImportAsync(SeedCatalog(), SeedDocuments(), null, Token);

    /// <summary>An incident on the Core Ledger that started at <paramref name="startedAt"/>, received through the intake five minutes later (or now, if later).</summary>
    private async Task ReceiveAtAsync(IServiceProvider services, string id, DateTimeOffset startedAt)
    {
        if (_time.GetUtcNow() < startedAt + TimeSpan.FromMinutes(5))
        {
            _time.SetUtcNow(startedAt + TimeSpan.FromMinutes(5));
        }

        var json = $$"""{"id": "{{id}}", "title": "Core Ledger unavailable", "priority": "P1", "startedAt": "{{startedAt:O}}", "services": ["core-ledger"]}""";
        await services.GetRequiredService<IntakeService>().ReceiveAsync(Request(json), Token);
    }

    /// <summary>The blobs of this test's reports container, by name, with their properties and metadata.</summary>
    private async Task<List<BlobItem>> ReportBlobsAsync(IServiceProvider services)
    {
        var container = await services.GetRequiredService<StorageClients>().GetContainerAsync(_reportsContainer, Token);
        var blobs = new List<BlobItem>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, Token))
        {
            blobs.Add(blob);
        }

        return [.. blobs.OrderBy(b => b.Name, StringComparer.Ordinal)];
    }

    private async Task<byte[]> DownloadAsync(IServiceProvider services, string name)
    {
        var container = await services.GetRequiredService<StorageClients>().GetContainerAsync(_reportsContainer, Token);
        var content = await container.GetBlobClient(name).DownloadContentAsync(Token);
        return content.Value.Content.ToArray();
    }

    private static string Generic(string id, DateTimeOffset startedAt) =>
        $$"""{"id": "{{id}}", "title": "Card payments failing", "priority": "P2", "startedAt": "{{startedAt:O}}", "services": ["payments"]}""";

    private static IntakeRequest Request(string json) => new(AliasSource.Generic, Encoding.UTF8.GetBytes(json), IntakeChannel.Http);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
