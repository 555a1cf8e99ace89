using System.Text;
using Azure;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Azure.Tests.Intake;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ContinuityHub.Azure.Tests.ServiceBus;

/// <summary>
/// The drain of the incident queue: the Service Bus receiver is a substitute (no emulator runs here), the messages
/// come from <see cref="ServiceBusModelFactory"/>, and everything behind the receiver is real — the intake, its
/// archive, incident store and audit log on Azurite.
/// </summary>
public sealed class IncidentQueueDrainerTests
{
    private readonly IntakeHarness _harness;
    private readonly ServiceBusReceiver _receiver = Substitute.For<ServiceBusReceiver>();
    private readonly Queue<IReadOnlyList<ServiceBusReceivedMessage>> _queue = new();
    private readonly List<ServiceBusReceivedMessage> _completed = [];
    private readonly List<(ServiceBusReceivedMessage Message, string Reason, string Description)> _deadLettered = [];
    private readonly List<(ServiceBusReceivedMessage Message, IDictionary<string, object>? Properties)> _abandoned = [];

    public IncidentQueueDrainerTests(AzuriteFixture azurite)
    {
        _harness = new IntakeHarness(azurite);
        _receiver.ReceiveMessagesAsync(Arg.Any<int>(), Arg.Any<TimeSpan?>(), Arg.Any<CancellationToken>())
            .Returns(_ => Task.FromResult(_queue.Count > 0 ? _queue.Dequeue() : []));
        _receiver.CompleteMessageAsync(Arg.Any<ServiceBusReceivedMessage>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _completed.Add(call.ArgAt<ServiceBusReceivedMessage>(0));
                return Task.CompletedTask;
            });
        _receiver.DeadLetterMessageAsync(Arg.Any<ServiceBusReceivedMessage>(), Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _deadLettered.Add((call.ArgAt<ServiceBusReceivedMessage>(0), call.ArgAt<string>(1), call.ArgAt<string>(2)));
                return Task.CompletedTask;
            });
        _receiver.AbandonMessageAsync(Arg.Any<ServiceBusReceivedMessage>(), Arg.Any<IDictionary<string, object>?>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _abandoned.Add((call.ArgAt<ServiceBusReceivedMessage>(0), call.ArgAt<IDictionary<string, object>?>(1)));
                return Task.CompletedTask;
            });
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_generic_message_is_applied_to_its_incident_and_completed()
    {
        var message = Message(IntakeSamples.Generic("INC-SB-1", "Card payments failing"));
        _queue.Enqueue([message]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 1, 0, 0), result);
        Assert.Same(message, Assert.Single(_completed));
        var history = await _harness.Store.GetHistoryAsync("generic~INC-SB-1", Token);
        Assert.NotNull(history);
        Assert.Equal(IntakeChannel.ServiceBus, Assert.Single(history.Events).Channel);
        Assert.NotEqual(AssessmentLevel.None, history.Incident.Level);
    }

    [Fact]
    public async Task A_vendor_payload_named_by_the_source_property_is_parsed_as_that_vendor()
    {
        _queue.Enqueue([Message(IntakeSamples.Read(AliasSource.PagerDuty, "incident-triggered.json"), source: "pagerduty")]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 1, 0, 0), result);
        var stored = await _harness.Store.FindAsync("pagerduty~Q2K7VX4M9PL3TZ", Token);
        Assert.NotNull(stored);
        Assert.Equal(AliasSource.PagerDuty, stored.Incident.Source);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_is_completed_twice_and_recorded_once()
    {
        var body = IntakeSamples.Generic("INC-SB-2", "Card payments failing");
        _queue.Enqueue([Message(body), Message(body)]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(2, 2, 0, 0), result);
        var history = await _harness.Store.GetHistoryAsync("generic~INC-SB-2", Token);
        Assert.Single(history!.Events);
    }

    [Fact]
    public async Task Messages_are_processed_in_the_order_received()
    {
        _queue.Enqueue(
        [
            Message(IntakeSamples.Generic("INC-SB-3", "Payments degraded", priority: "P3")),
            Message(IntakeSamples.Generic("INC-SB-3", "Payments down", priority: "P1")),
        ]);

        await Drainer().DrainAsync(Token);

        var stored = await _harness.Store.FindAsync("generic~INC-SB-3", Token);
        Assert.Equal("Payments down", stored!.Incident.Title);
        Assert.Equal(Priority.P1, stored.Incident.Priority);
    }

    [Fact]
    public async Task An_invalid_payload_is_dead_lettered_with_a_description_naming_the_field()
    {
        var message = Message("""{"id": "INC-SB-4", "priority": "P2", "startedAt": "2026-11-24 09:58"}""");
        _queue.Enqueue([message]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 0, 1, 0), result);
        var (dead, reason, description) = Assert.Single(_deadLettered);
        Assert.Same(message, dead);
        Assert.Equal(DeadLetterReasons.InvalidPayload, reason);
        Assert.Contains("title: ", description, StringComparison.Ordinal);
        Assert.Contains("startedAt: ", description, StringComparison.Ordinal);
        Assert.Contains("; ", description, StringComparison.Ordinal);
        Assert.Null(await _harness.Store.FindAsync("generic~INC-SB-4", Token));
        var archived = Assert.Single(await _harness.ArchivedPathsAsync());
        Assert.Equal("Rejected", (await _harness.MetadataAsync(archived))["status"], ignoreCase: true);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_dead_lettered_as_an_invalid_payload()
    {
        _queue.Enqueue([Message("INC-SB-5 is down")]);

        await Drainer().DrainAsync(Token);

        var (_, reason, description) = Assert.Single(_deadLettered);
        Assert.Equal(DeadLetterReasons.InvalidPayload, reason);
        Assert.StartsWith("body: not valid JSON", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_list_of_problems_is_cut_to_the_limit_Service_Bus_takes()
    {
        var services = string.Join(", ", Enumerable.Range(0, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _queue.Enqueue([Message($$"""{"id": "INC-SB-6", "title": "t", "priority": "P2", "startedAt": "2026-11-24T09:58:00Z", "services": [{{services}}]}""")]);

        await Drainer().DrainAsync(Token);

        var (_, reason, description) = Assert.Single(_deadLettered);
        Assert.Equal(DeadLetterReasons.InvalidPayload, reason);
        Assert.Equal(IncidentQueueDrainer.MaxDescriptionLength, description.Length);
        Assert.EndsWith("…", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_dead_lettered_as_too_large_and_not_stored()
    {
        _queue.Enqueue([Message(new string(' ', IntakeService.MaxBodyBytes) + "{}")]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 0, 1, 0), result);
        var (_, reason, description) = Assert.Single(_deadLettered);
        Assert.Equal(DeadLetterReasons.PayloadTooLarge, reason);
        Assert.Contains("1 MB", description, StringComparison.Ordinal);
        Assert.Empty(await _harness.ArchivedPathsAsync());
    }

    [Theory]
    [InlineData("zendesk", "'zendesk'")]
    [InlineData("", "''")]
    [InlineData(42, "a Int32, not a string")]
    public async Task A_source_the_hub_does_not_know_is_dead_lettered(object source, string described)
    {
        _queue.Enqueue([Message(IntakeSamples.Generic("INC-SB-7", "Card payments failing"), source)]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 0, 1, 0), result);
        var (_, reason, description) = Assert.Single(_deadLettered);
        Assert.Equal(DeadLetterReasons.UnknownSource, reason);
        Assert.Contains($"application property 'source' is {described}", description, StringComparison.Ordinal);
        Assert.Contains("servicenow, jira, pagerduty, opsgenie, azuremonitor, generic", description, StringComparison.Ordinal);
        Assert.Empty(await _harness.ArchivedPathsAsync());
    }

    [Fact]
    public async Task The_source_name_is_case_insensitive()
    {
        _queue.Enqueue([Message(IntakeSamples.Read(AliasSource.PagerDuty, "incident-triggered.json"), source: "PagerDuty")]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 1, 0, 0), result);
    }

    [Fact]
    public async Task A_message_at_the_max_delivery_count_is_dead_lettered_with_its_last_failure_without_another_try()
    {
        var message = Message(
            IntakeSamples.Generic("INC-SB-8", "Card payments failing"),
            deliveryCount: 10,
            lastFailure: "RequestFailedException: The server is busy.");
        _queue.Enqueue([message]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 0, 1, 0), result);
        var (_, reason, description) = Assert.Single(_deadLettered);
        Assert.Equal(DeadLetterReasons.MaxDeliveryCountExceeded, reason);
        Assert.Equal("delivered 10 times (ServiceBus:MaxDeliveryCount is 10); last failure: RequestFailedException: The server is busy.", description);
        Assert.Empty(await _harness.ArchivedPathsAsync());
    }

    [Fact]
    public async Task A_message_below_a_configured_max_delivery_count_is_still_tried()
    {
        _queue.Enqueue([Message(IntakeSamples.Generic("INC-SB-9", "Card payments failing"), deliveryCount: 4)]);
        _queue.Enqueue([Message(IntakeSamples.Generic("INC-SB-10", "Card payments failing"), deliveryCount: 5)]);

        var result = await Drainer(new ServiceBusOptions { MaxDeliveryCount = 5 }).DrainAsync(Token);

        Assert.Equal(new DrainResult(2, 1, 1, 0), result);
        Assert.Contains("none recorded", Assert.Single(_deadLettered).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_failure_abandons_the_message_with_the_failure_and_its_next_delivery_is_applied_once()
    {
        var body = IntakeSamples.Generic("INC-SB-11", "Card payments failing");
        _queue.Enqueue([Message(body)]);
        var failing = new IntakeService(
            _harness.Archive,
            new UnavailableIncidentStore(_harness.Store),
            new FixedCatalogProvider(IntakeHarness.SampleCatalog()),
            _harness.Audit,
            _harness.Time,
            NullLogger<IntakeService>.Instance);

        var first = await Drainer(intake: failing).DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 0, 0, 1), first);
        var (_, properties) = Assert.Single(_abandoned);
        Assert.Equal("RequestFailedException: The server is busy.", properties![IncidentQueueDrainer.LastFailureProperty]);
        Assert.Null(await _harness.Store.FindAsync("generic~INC-SB-11", Token));

        // Service Bus delivers it again, carrying the failure; storage is back.
        _queue.Enqueue([Message(body, deliveryCount: 2, lastFailure: (string)properties[IncidentQueueDrainer.LastFailureProperty])]);
        var second = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 1, 0, 0), second);
        var history = await _harness.Store.GetHistoryAsync("generic~INC-SB-11", Token);
        Assert.Single(history!.Events);
    }

    [Fact]
    public async Task A_concurrency_conflict_that_outlasts_the_retries_abandons_the_message()
    {
        _queue.Enqueue([Message(IntakeSamples.Generic("INC-SB-12", "Card payments failing"))]);
        var conflicted = new IntakeService(
            _harness.Archive,
            new AlwaysConflictingIncidentStore(_harness.Store),
            new FixedCatalogProvider(IntakeHarness.SampleCatalog()),
            _harness.Audit,
            _harness.Time,
            NullLogger<IntakeService>.Instance);

        var result = await Drainer(intake: conflicted).DrainAsync(Token);

        Assert.Equal(new DrainResult(1, 0, 0, 1), result);
        Assert.StartsWith("ConcurrencyConflictException: ", (string)Assert.Single(_abandoned).Properties![IncidentQueueDrainer.LastFailureProperty], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_lock_on_complete_counts_the_message_as_coming_back_and_the_drain_goes_on()
    {
        _receiver.CompleteMessageAsync(Arg.Any<ServiceBusReceivedMessage>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new ServiceBusException("The lock supplied is invalid.", ServiceBusFailureReason.MessageLockLost));
        _queue.Enqueue([Message(IntakeSamples.Generic("INC-SB-13", "Card payments failing")), Message(IntakeSamples.Generic("INC-SB-14", "Card payments failing"))]);

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(new DrainResult(2, 0, 0, 2), result);
        Assert.NotNull(await _harness.Store.FindAsync("generic~INC-SB-13", Token));
        Assert.NotNull(await _harness.Store.FindAsync("generic~INC-SB-14", Token));
    }

    [Fact]
    public async Task An_empty_queue_ends_the_drain_after_one_short_receive()
    {
        var before = _harness.Time.GetUtcNow();

        var result = await Drainer().DrainAsync(Token);

        Assert.Equal(DrainResult.None, result);
        await _receiver.Received(1).ReceiveMessagesAsync(IncidentQueueDrainer.BatchSize, IncidentQueueDrainer.ReceiveWait, Arg.Any<CancellationToken>());
        Assert.Equal(before, _harness.Time.GetUtcNow());
    }

    [Fact]
    public async Task The_budget_stops_the_drain_while_messages_keep_coming()
    {
        var receives = 0;
        _receiver.ReceiveMessagesAsync(Arg.Any<int>(), Arg.Any<TimeSpan?>(), Arg.Any<CancellationToken>())
            .Returns(_ =>
            {
                // Each receive takes 3 s of the 8 s budget, and the queue never runs dry.
                receives++;
                _harness.Time.Advance(TimeSpan.FromSeconds(3));
                return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(
                    [Message(IntakeSamples.Generic($"INC-SB-BUDGET-{receives}", "Card payments failing"))]);
            });

        var result = await Drainer(new ServiceBusOptions { DrainBudget = TimeSpan.FromSeconds(8) }).DrainAsync(Token);

        Assert.Equal(3, receives);
        Assert.Equal(new DrainResult(3, 3, 0, 0), result);
    }

    [Fact]
    public async Task A_receive_never_waits_past_the_budget()
    {
        _receiver.ReceiveMessagesAsync(Arg.Any<int>(), Arg.Any<TimeSpan?>(), Arg.Any<CancellationToken>())
            .Returns(
                _ =>
                {
                    _harness.Time.Advance(TimeSpan.FromMilliseconds(7700));
                    return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>([Message(IntakeSamples.Generic("INC-SB-15", "Card payments failing"))]);
                },
                _ => Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>([]));

        await Drainer().DrainAsync(Token);

        await _receiver.Received(1).ReceiveMessagesAsync(IncidentQueueDrainer.BatchSize, TimeSpan.FromMilliseconds(300), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Without_a_receiver_the_drain_is_off_and_does_nothing()
    {
        var drainer = new IncidentQueueDrainer(null, _harness.Intake, new ServiceBusOptions(), _harness.Time, NullLogger<IncidentQueueDrainer>.Instance);

        Assert.False(drainer.IsEnabled);
        Assert.Equal(DrainResult.None, await drainer.DrainAsync(Token));
        Assert.Equal(DrainResult.None, await drainer.DrainAsync(Token));
    }

    [Fact]
    public void A_receive_and_delete_receiver_is_refused()
    {
        var receiver = Substitute.For<ServiceBusReceiver>();
        receiver.ReceiveMode.Returns(ServiceBusReceiveMode.ReceiveAndDelete);

        Assert.Throws<ArgumentException>(() =>
            new IncidentQueueDrainer(receiver, _harness.Intake, new ServiceBusOptions(), _harness.Time, NullLogger<IncidentQueueDrainer>.Instance));
    }

    private IncidentQueueDrainer Drainer(ServiceBusOptions? options = null, IntakeService? intake = null) =>
        new(_receiver, intake ?? _harness.Intake, options ?? new ServiceBusOptions(), _harness.Time, NullLogger<IncidentQueueDrainer>.Instance);

    private static ServiceBusReceivedMessage Message(string body, object? source = null, int deliveryCount = 1, string? lastFailure = null)
    {
        var properties = new Dictionary<string, object>(StringComparer.Ordinal);
        if (source is not null)
        {
            properties[IncidentQueueDrainer.SourceProperty] = source;
        }

        if (lastFailure is not null)
        {
            properties[IncidentQueueDrainer.LastFailureProperty] = lastFailure;
        }

        return ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: new BinaryData(Encoding.UTF8.GetBytes(body)),
            messageId: Guid.NewGuid().ToString("N"),
            deliveryCount: deliveryCount,
            properties: properties);
    }

    /// <summary>Storage answering 503 to every incident write: the archive write before it succeeds.</summary>
    private sealed class UnavailableIncidentStore(IIncidentStore inner) : IIncidentStore
    {
        public Task<StoredIncident?> FindAsync(string key, CancellationToken cancellationToken) => inner.FindAsync(key, cancellationToken);

        public Task<IncidentHistory?> GetHistoryAsync(string key, CancellationToken cancellationToken) => inner.GetHistoryAsync(key, cancellationToken);

        public Task<WriteOutcome> WriteAsync(IncidentWrite write, CancellationToken cancellationToken) =>
            throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null);

        public IAsyncEnumerable<StoredIncident> ListOpenAsync(CancellationToken cancellationToken) => inner.ListOpenAsync(cancellationToken);

        public IAsyncEnumerable<IncidentHistory> ListHistoriesAsync(DateTimeOffset startedFrom, DateTimeOffset startedBefore, CancellationToken cancellationToken) =>
            inner.ListHistoriesAsync(startedFrom, startedBefore, cancellationToken);
    }

    /// <summary>An incident that changes under every write, so the intake runs out of attempts.</summary>
    private sealed class AlwaysConflictingIncidentStore(IIncidentStore inner) : IIncidentStore
    {
        public Task<StoredIncident?> FindAsync(string key, CancellationToken cancellationToken) => inner.FindAsync(key, cancellationToken);

        public Task<IncidentHistory?> GetHistoryAsync(string key, CancellationToken cancellationToken) => inner.GetHistoryAsync(key, cancellationToken);

        public Task<WriteOutcome> WriteAsync(IncidentWrite write, CancellationToken cancellationToken) => Task.FromResult(WriteOutcome.Conflict);

        public IAsyncEnumerable<StoredIncident> ListOpenAsync(CancellationToken cancellationToken) => inner.ListOpenAsync(cancellationToken);

        public IAsyncEnumerable<IncidentHistory> ListHistoriesAsync(DateTimeOffset startedFrom, DateTimeOffset startedBefore, CancellationToken cancellationToken) =>
            inner.ListHistoriesAsync(startedFrom, startedBefore, cancellationToken);
    }
}
