using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>
/// The worst hour: storage failing under a replay, and payloads that can never be kept. Every delivery is stored
/// exactly once, nothing is acknowledged that is not archived, and every archive ends Applied, Duplicate or Rejected.
/// </summary>
public sealed class StorageFaultTests(AzuriteFixture azurite)
{
    private const int Incidents = 50;
    private const int DeliveriesEach = 20;
    private const int SenderAttempts = 30;

    private static readonly string[] s_settled = ["Applied", "Duplicate"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_thousand_deliveries_through_storage_failing_one_call_in_five_are_each_stored_exactly_once_and_none_acknowledged_unarchived()
    {
        var (hub, faults) = Harness();
        faults.Rate = 0.2;
        var answered = new ConcurrentBag<(string Body, IntakeResult Result)>();
        var refused = 0;

        // A sender per incident, in order, each delivery sent again until it is acknowledged (as webhook senders do).
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Incidents),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Token },
            async (incident, _) =>
            {
                foreach (var body in Deliveries(incident))
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            answered.Add((body, await hub.ReceiveAsync(AliasSource.Generic, body)));
                            break;
                        }
                        catch (Exception e) when (attempt < SenderAttempts && e is not HubValidationException)
                        {
                            Interlocked.Increment(ref refused);
                        }
                    }
                }
            });

        faults.Rate = 0;
        hub.Time.Advance(TimeSpan.FromMinutes(10));
        var redrive = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);

        Assert.True(faults.Injected > 500, $"only {faults.Injected} faults injected");
        Assert.True(refused > 0, "no delivery was ever refused: the faults did not reach the sender");
        Assert.Equal(0, redrive.Failed);
        Assert.Equal(Incidents * DeliveriesEach, answered.Count);

        // Each acknowledged delivery is archived, and the archive says what became of it.
        var archived = (await hub.ArchivedPathsAsync()).ToHashSet(StringComparer.Ordinal);
        foreach (var (_, result) in answered)
        {
            Assert.Contains(result.ArchivePath, archived);
        }

        foreach (var path in archived)
        {
            Assert.Contains((await hub.MetadataAsync(path))["status"], s_settled);
        }

        // Each delivery is in its incident's log exactly once.
        for (var incident = 0; incident < Incidents; incident++)
        {
            var history = await hub.Store.GetHistoryAsync($"generic~{Id(incident)}", Token);
            Assert.NotNull(history);
            var expected = Deliveries(incident).Select(b => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(b)))).Order(StringComparer.Ordinal);
            Assert.Equal(expected, history.Events.Select(e => e.DeliveryKey).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task An_archive_write_retried_after_it_succeeded_is_recognised_by_its_content_and_the_delivery_goes_on()
    {
        var (hub, faults) = Harness();
        faults.FailCall(1, StorageFault.ResponseLost, StorageFaultPolicy.BlobUpload); // stored, its answer lost; the SDK sends it again

        var result = await hub.ReceiveAsync(AliasSource.Generic, IntakeSamples.Generic("INC-RETRIED", "Payments down"));

        Assert.Equal(1, faults.Injected);
        Assert.False(result.Duplicate);
        Assert.Equal([result.ArchivePath], await hub.ArchivedPathsAsync());
        Assert.Equal("Applied", (await hub.MetadataAsync(result.ArchivePath))["status"]);
        Assert.Single((await hub.Store.GetHistoryAsync(result.IncidentKey, Token))!.Events);
    }

    [Fact]
    public async Task A_new_delivery_costs_two_storage_calls_its_transaction_then_its_archive_already_marked_applied()
    {
        var (hub, faults) = Harness();
        await hub.ReceiveAsync(AliasSource.Generic, IntakeSamples.Generic("INC-WARM", "Tables and containers made"));
        var before = faults.Seen.Count;

        var result = await hub.ReceiveAsync(AliasSource.Generic, IntakeSamples.Generic("INC-TWO-CALLS", "Payments down"));

        var calls = faults.Seen.Skip(before).ToList();
        Assert.Equal(2, calls.Count);
        Assert.EndsWith("/$batch", calls[0], StringComparison.Ordinal);
        Assert.StartsWith("PUT ", calls[1], StringComparison.Ordinal);
        Assert.EndsWith(result.ArchivePath, calls[1], StringComparison.Ordinal);
        Assert.Equal("Applied", (await hub.MetadataAsync(result.ArchivePath))["status"]);
        Assert.Equal(result.IncidentKey, (await hub.MetadataAsync(result.ArchivePath))["note"]);
    }

    [Fact]
    public async Task A_delivery_whose_transaction_fails_is_refused_archived_as_received_and_applied_by_the_redrive()
    {
        var (hub, faults) = Harness();
        var body = IntakeSamples.Generic("INC-TX-DOWN", "Payments down");
        faults.FailCall(1, StorageFault.Unavailable, StorageFaultPolicy.Transaction, times: int.MaxValue / 2);

        await Assert.ThrowsAnyAsync<global::Azure.RequestFailedException>(() => hub.ReceiveAsync(AliasSource.Generic, body));
        faults.Heal();

        var path = Assert.Single(await hub.ArchivedPathsAsync());
        Assert.Equal("Received", (await hub.MetadataAsync(path))["status"]);
        Assert.Null(await hub.Store.FindAsync("generic~INC-TX-DOWN", Token));

        hub.Time.Advance(TimeSpan.FromMinutes(10));
        var redrive = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);

        Assert.Equal((1, 1, 0), (redrive.Found, redrive.Accepted, redrive.Failed));
        Assert.Equal("Applied", (await hub.MetadataAsync(path))["status"]);
        Assert.Equal(path, Assert.Single((await hub.Store.GetHistoryAsync("generic~INC-TX-DOWN", Token))!.Events).ArchivePath);
    }

    [Fact]
    public async Task A_delivery_written_but_not_archived_is_not_acknowledged_and_the_senders_retry_is_a_duplicate_archived_once()
    {
        var (hub, faults) = Harness();
        var body = IntakeSamples.Generic("INC-BLOB-DOWN", "Payments down");
        faults.FailCall(1, StorageFault.Unavailable, StorageFaultPolicy.BlobUpload, times: int.MaxValue / 2); // the archive, and keeping it for a re-drive

        await Assert.ThrowsAnyAsync<global::Azure.RequestFailedException>(() => hub.ReceiveAsync(AliasSource.Generic, body));
        faults.Heal();
        Assert.Empty(await hub.ArchivedPathsAsync());

        var retry = await hub.ReceiveAsync(AliasSource.Generic, body);

        Assert.True(retry.Duplicate);
        Assert.Equal("Duplicate", (await hub.MetadataAsync(Assert.Single(await hub.ArchivedPathsAsync())))["status"]);
        Assert.Single((await hub.Store.GetHistoryAsync(retry.IncidentKey, Token))!.Events);
    }

    public static TheoryData<string, AliasSource, string, string> Poison()
    {
        var data = new TheoryData<string, AliasSource, string, string>();
        foreach (var (kind, source, body, field) in PoisonCases())
        {
            data.Add(kind, source, body, field);
        }

        return data;
    }

    private static List<(string Kind, AliasSource Source, string Body, string Field)> PoisonCases() =>
    [
        ("a start in year 9999", AliasSource.Generic, IntakeSamples.Generic("INC-9999", "Far future").Replace(StartOf(IntakeSamples.Generic("INC-9999", "Far future")), "9999-12-31T23:59:59Z", StringComparison.Ordinal), "startedAt"),
        ("a start in year 1", AliasSource.Generic, IntakeSamples.Generic("INC-0001", "Far past").Replace(StartOf(IntakeSamples.Generic("INC-0001", "Far past")), "0001-01-01T00:00:00Z", StringComparison.Ordinal), "startedAt"),
        ("a start before 1601", AliasSource.Generic, IntakeSamples.Generic("INC-1600", "Before Azure").Replace(StartOf(IntakeSamples.Generic("INC-1600", "Before Azure")), "1600-12-31T23:59:59Z", StringComparison.Ordinal), "startedAt"),
        ("an Opsgenie createdAt at the end of 9999", AliasSource.Opsgenie, IntakeSamples.Read(AliasSource.Opsgenie, "alert-create.json").Replace("1795514292000", "253402300799999", StringComparison.Ordinal), "createdAt"),
        ("an id of 40,000 characters", AliasSource.Generic, IntakeSamples.Generic(new string('x', 40_000), "Huge id"), "id"),
        ("aliases too big for one row", AliasSource.Generic, WithServices(IntakeSamples.Generic("INC-HUGE", "Huge row"), 4000), ""),
    ];

    [Theory]
    [MemberData(nameof(Poison))]
    public async Task Every_poison_delivery_ends_rejected_with_its_reason_and_the_redrive_converges(string kind, AliasSource source, string body, string field)
    {
        var hub = new IntakeHarness(azurite);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => hub.ReceiveAsync(source, body));
        hub.Time.Advance(TimeSpan.FromMinutes(10));
        var redrive = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);

        Assert.True(refused is HubValidationException or UnprocessableDeliveryException, $"{kind}: {refused.GetType().Name}: {refused.Message}");
        Assert.Contains(field, refused.Message, StringComparison.OrdinalIgnoreCase);
        var path = Assert.Single(await hub.ArchivedPathsAsync());
        var metadata = await hub.MetadataAsync(path);
        Assert.Equal("Rejected", metadata["status"]);
        Assert.False(string.IsNullOrWhiteSpace(metadata["note"]), kind);
        Assert.Equal(new RedriveResult(0, 0, 0, 0, 0), redrive);
        Assert.Empty(await hub.IncidentTableAsync());
    }

    [Fact]
    public async Task Poison_an_earlier_version_left_received_is_rejected_by_the_redrive_which_fails_nothing()
    {
        var hub = new IntakeHarness(azurite);
        foreach (var (_, source, body, _) in PoisonCases())
        {
            await hub.Archive.ArchiveAsync(source, IntakeHarness.Start, Encoding.UTF8.GetBytes(body), IntakeChannel.Http, Token);
        }

        hub.Time.Advance(TimeSpan.FromMinutes(10));
        var first = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);
        var second = await hub.Redrive.RedriveAsync(IntakeHarness.Start.AddHours(-1), TimeSpan.Zero, progress: null, Token);

        Assert.Equal(new RedriveResult(PoisonCases().Count, 0, 0, PoisonCases().Count, 0), first);
        Assert.Equal(new RedriveResult(0, 0, 0, 0, 0), second);
        foreach (var path in await hub.ArchivedPathsAsync())
        {
            Assert.Equal("Rejected", (await hub.MetadataAsync(path))["status"]);
        }
    }

    private static string Id(int incident) => string.Create(CultureInfo.InvariantCulture, $"INC-F{incident:D3}");

    /// <summary>An incident's deliveries: it opens, changes title and priority, and resolves last.</summary>
    private static List<string> Deliveries(int incident) =>
        [.. Enumerable.Range(0, DeliveriesEach).Select(n => IntakeSamples.Generic(
            Id(incident),
            string.Create(CultureInfo.InvariantCulture, $"Payments degraded (update {n})"),
            state: n == DeliveriesEach - 1 ? "Resolved" : "Open",
            priority: n % 3 == 0 ? "P1" : "P2"))];

    private static string StartOf(string generic) =>
        System.Text.Json.Nodes.JsonNode.Parse(generic)!["startedAt"]!.GetValue<string>();

    private static string WithServices(string generic, int count)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(generic)!;
        json["services"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, count).Select(i => (System.Text.Json.Nodes.JsonNode?)string.Create(CultureInfo.InvariantCulture, $"unknown-service-with-a-long-name-{i:D5}-{new string('s', 200)}"))]);
        return json.ToJsonString();
    }

    private (IntakeHarness Hub, StorageFaultPolicy Faults) Harness()
    {
        var faults = new StorageFaultPolicy();
        var tables = new TableClientOptions();
        var blobs = new BlobClientOptions();
        foreach (var options in new ClientOptions[] { tables, blobs })
        {
            options.Retry.MaxRetries = 3;
            options.Retry.Mode = RetryMode.Fixed;
            options.Retry.Delay = TimeSpan.FromMilliseconds(1);
            options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        }

        return (new IntakeHarness(azurite, tables, blobOptions: blobs), faults);
    }
}
