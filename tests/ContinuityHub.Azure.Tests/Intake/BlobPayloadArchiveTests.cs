using System.Text;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

public sealed class BlobPayloadArchiveTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset _day1 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _day2 = _day1.AddDays(1);

    private readonly IntakeHarness _storage = new(azurite);

    private BlobPayloadArchive Archive => _storage.Archive;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Archive_stores_the_body_under_a_dated_name_with_status_Received_and_reads_back()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"INC-1"}""");
        var receivedAt = new DateTimeOffset(2026, 11, 24, 11, 30, 15, 123, TimeSpan.FromHours(1));

        var path = await Archive.ArchiveAsync(AliasSource.PagerDuty, receivedAt, body, IntakeChannel.ServiceBus, Token);

        Assert.Matches($"^{Archive.ContainerName}/2026/11/24/pagerduty/103015123-[0-9a-f]{{32}}\\.json$", path);
        Assert.Equal(body, await Archive.ReadAsync(path, Token));
        var metadata = await _storage.MetadataAsync(path);
        Assert.Equal("Received", metadata["status"]);
        Assert.Equal("ServiceBus", metadata["channel"]);
        Assert.Equal("pagerduty", metadata["source"]);
        Assert.Equal(receivedAt, DateTimeOffset.Parse(metadata["receivedAt"], System.Globalization.CultureInfo.InvariantCulture));
        var container = await _storage.Clients.GetContainerAsync(Archive.ContainerName, Token);
        var properties = await container.GetBlobClient(path[(Archive.ContainerName.Length + 1)..]).GetPropertiesAsync(cancellationToken: Token);
        Assert.Equal("application/json", properties.Value.ContentType);
    }

    [Fact]
    public async Task Two_deliveries_at_the_same_instant_get_two_blobs()
    {
        var first = await Archive.ArchiveAsync(AliasSource.Generic, _day1, "{}"u8.ToArray(), IntakeChannel.Http, Token);
        var second = await Archive.ArchiveAsync(AliasSource.Generic, _day1, "{}"u8.ToArray(), IntakeChannel.Http, Token);

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await _storage.ArchivedPathsAsync()).Count);
    }

    [Fact]
    public async Task Mark_sets_the_status_and_a_metadata_safe_note_and_keeps_the_rest()
    {
        var path = await Archive.ArchiveAsync(AliasSource.Jira, _day1, "{}"u8.ToArray(), IntakeChannel.Http, Token);
        var note = "  title: is required;\nsummary: 'Zahlungsausfall – Größe' " + new string('x', 3000);

        await Archive.MarkAsync(path, ArchiveStatus.Rejected, note, Token);

        var metadata = await _storage.MetadataAsync(path);
        Assert.Equal("Rejected", metadata["status"]);
        Assert.StartsWith("title: is required; summary: 'Zahlungsausfall %E2%80%93 Gr%C3%B6%C3%9Fe' xxx", metadata["note"], StringComparison.Ordinal);
        Assert.Equal(BlobPayloadArchive.MaxNoteLength, metadata["note"].Length);
        Assert.Equal(("Http", "jira"), (metadata["channel"], metadata["source"]));
        Assert.True(metadata.ContainsKey("receivedAt"));
    }

    [Fact]
    public async Task List_unprocessed_walks_the_days_from_since_to_until_and_yields_only_Received_ones_in_range()
    {
        var beforeSince = await Archive.ArchiveAsync(AliasSource.Generic, _day1.AddHours(22), "{}"u8.ToArray(), IntakeChannel.Http, Token);
        var lateDay1 = await Archive.ArchiveAsync(AliasSource.Generic, _day1.AddHours(24).AddMilliseconds(-100), "{}"u8.ToArray(), IntakeChannel.Http, Token);
        var earlyDay2 = await Archive.ArchiveAsync(AliasSource.ServiceNow, _day2.AddMilliseconds(100), "{}"u8.ToArray(), IntakeChannel.ServiceBus, Token);
        var accepted = await Archive.ArchiveAsync(AliasSource.Generic, _day2.AddMinutes(30), "{}"u8.ToArray(), IntakeChannel.Http, Token);
        var afterUntil = await Archive.ArchiveAsync(AliasSource.Generic, _day2.AddHours(2), "{}"u8.ToArray(), IntakeChannel.Http, Token);
        await Archive.MarkAsync(accepted, ArchiveStatus.Applied, "generic~INC-1", Token);

        var listed = await ListAsync(_day1.AddHours(23), _day2.AddHours(1));

        Assert.Equal([lateDay1, earlyDay2], listed.Select(p => p.Path));
        Assert.Equal(
            new ArchivedPayload(earlyDay2, AliasSource.ServiceNow, _day2.AddMilliseconds(100), IntakeChannel.ServiceBus, ArchiveStatus.Received),
            listed[1]);
        Assert.DoesNotContain(beforeSince, listed.Select(p => p.Path));
        Assert.DoesNotContain(afterUntil, listed.Select(p => p.Path));
    }

    [Fact]
    public async Task List_unprocessed_over_months_finds_deliveries_in_each()
    {
        var january = await Archive.ArchiveAsync(AliasSource.Opsgenie, new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), "{}"u8.ToArray(), IntakeChannel.Http, Token);
        var march = await Archive.ArchiveAsync(AliasSource.Opsgenie, new DateTimeOffset(2026, 3, 20, 8, 0, 0, TimeSpan.Zero), "{}"u8.ToArray(), IntakeChannel.Http, Token);

        var listed = await ListAsync(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal([january, march], listed.Select(p => p.Path));
    }

    [Fact]
    public async Task A_path_outside_the_container_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Archive.ReadAsync("elsewhere/2026/11/24/generic/x.json", Token));
    }

    [Theory]
    [InlineData("generic~INC-1", "generic~INC-1")]
    [InlineData("  padded\t", "padded")]
    [InlineData("line\r\nbreak", "line  break")]
    [InlineData("naïve", "na%C3%AFve")]
    [InlineData("emoji 🚨", "emoji %F0%9F%9A%A8")]
    public void Notes_are_made_printable_ASCII(string note, string expected)
    {
        Assert.Equal(expected, BlobPayloadArchive.MetadataSafe(note));
    }

    [Fact]
    public void A_long_note_is_cut_between_characters_never_inside_an_escape()
    {
        var safe = BlobPayloadArchive.MetadataSafe(new string('é', 600));

        Assert.Equal(170 * "%C3%A9".Length, safe.Length);
        Assert.EndsWith("%C3%A9", safe, StringComparison.Ordinal);
    }

    private async Task<List<ArchivedPayload>> ListAsync(DateTimeOffset since, DateTimeOffset until)
    {
        var listed = new List<ArchivedPayload>();
        await foreach (var payload in Archive.ListUnprocessedAsync(since, until, Token))
        {
            listed.Add(payload);
        }

        return listed;
    }
}
