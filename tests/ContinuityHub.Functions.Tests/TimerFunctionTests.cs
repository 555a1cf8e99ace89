using System.Text;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Assessment;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
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
/// in, the class built from the app's services — against Azurite, with tables and an archive container of their own
/// (so the re-assessment and the re-drive sweep touch nothing of the other tests) and a stopped clock.
/// </summary>
public sealed class TimerFunctionTests(AzuriteFixture azurite) : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly ServiceBusReceiver _receiver = Substitute.For<ServiceBusReceiver>();
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
    private ServiceProvider Services(bool withQueue = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build();
        var prefix = AzuriteFixture.UniqueTableName("timer");
        var container = AzuriteFixture.UniqueContainerName("timer");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ICatalogProvider>(new FixedCatalogProvider(Catalog()));
        services.AddSingleton<IIncidentStore>(sp => new TableIncidentStore(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(sp.GetRequiredService<StorageClients>(), prefix));
        services.AddSingleton<IPayloadArchive>(sp => new BlobPayloadArchive(sp.GetRequiredService<StorageClients>(), container));
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
