using ContinuityHub.Azure.Intake;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

public sealed class TableAuditLogTests(AzuriteFixture azurite)
{
    private readonly IntakeHarness _storage = new(azurite);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_are_appended_to_their_month_newest_first()
    {
        var earlier = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        var later = earlier.AddMinutes(5);

        await _storage.Audit.AppendAsync(new AuditEntry(earlier, "intake:jira", "PayloadRejected", "archive/a.json", "issue.key: is required"), Token);
        await _storage.Audit.AppendAsync(new AuditEntry(later, "alice@contoso.example", "PlanInvoked", "dr-payments", "from the Teams card"), Token);
        await _storage.Audit.AppendAsync(new AuditEntry(earlier.AddMonths(-1), "intake:generic", "PayloadRejected", "archive/b.json", "id: is required"), Token);

        var rows = await _storage.AuditRowsAsync();

        Assert.Equal(["202610", "202611", "202611"], rows.Select(r => r.PartitionKey));
        var november = rows.Where(r => r.PartitionKey == "202611").ToList();
        Assert.Equal(["PlanInvoked", "PayloadRejected"], november.Select(r => r.GetString("Action")));
        var rejected = november[1];
        Assert.Equal(
            (earlier, "intake:jira", "archive/a.json", "issue.key: is required"),
            (rejected.GetDateTimeOffset("At")!.Value, rejected.GetString("Actor"), rejected.GetString("Subject"), rejected.GetString("Detail")));
    }

    [Fact]
    public void Row_keys_are_inverted_ticks_and_an_id()
    {
        var at = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var key = TableAuditLog.RowKey(at, id);

        Assert.Equal($"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-0f8fad5bd9cb469fa16570867728950e", key);
        Assert.True(string.CompareOrdinal(TableAuditLog.RowKey(at.AddTicks(1), id), key) < 0);
        Assert.Equal("202611", TableAuditLog.PartitionKey(at));
    }
}
