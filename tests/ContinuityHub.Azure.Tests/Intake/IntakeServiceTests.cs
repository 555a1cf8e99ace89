using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>The intake end to end on the real adapters against Azurite, with the samples of every source.</summary>
public sealed class IntakeServiceTests(AzuriteFixture azurite)
{
    private readonly IntakeHarness _hub = new(azurite);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<AliasSource, string> ValidSamples() => [.. IntakeSamples.Valid()];

    public static TheoryData<AliasSource, string> InvalidSamples() => [.. IntakeSamples.Invalid.Select(pair => (pair.Key, pair.Value))];

    /// <summary>Per source: an open sample, a resolved sample, and where the latter's external id is (set to the former's).</summary>
    public static TheoryData<AliasSource, string, string, string> Updates() => new()
    {
        { AliasSource.ServiceNow, "incident-open.json", "incident-resolved.json", "sys_id" },
        { AliasSource.PagerDuty, "incident-triggered.json", "incident-resolved.json", "event.data.id" },
        { AliasSource.Jira, "issue-created.json", "issue-updated-done.json", "issue.key" },
        { AliasSource.Opsgenie, "alert-create.json", "alert-close.json", "alert.alertId" },
        { AliasSource.AzureMonitor, "metric-alert-fired.json", "metric-alert-resolved.json", "data.essentials.alertId" },
        { AliasSource.Generic, "incident-open.json", "incident-resolved.json", "id" },
        { AliasSource.Alertmanager, "firing.json", "resolved.json", "groupKey" },
    };

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public async Task A_delivery_is_accepted_and_the_same_delivery_again_is_a_duplicate_with_one_event(AliasSource source, string file)
    {
        var json = IntakeSamples.Read(source, file);

        var first = await _hub.ReceiveAsync(source, json);
        _hub.Time.Advance(TimeSpan.FromSeconds(30));
        var again = await _hub.ReceiveAsync(source, json);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.IncidentKey, again.IncidentKey);
        Assert.Equal(first.Level, again.Level);
        var history = await _hub.Store.GetHistoryAsync(first.IncidentKey, Token);
        Assert.NotNull(history);
        var delivery = Assert.Single(history.Events);
        Assert.Equal(first.ArchivePath, delivery.ArchivePath);
        Assert.Equal(IntakeHarness.Start, delivery.ReceivedAt);
        Assert.Equal([first.ArchivePath], history.Incident.ArchivePaths);
        Assert.Single(history.Assessments);
        Assert.Equal(first.Level, history.Incident.Level);
        Assert.Equal(first.Level.ToString(), history.Incident.LatestAssessment!.Level);
        Assert.Single(await _hub.IncidentTableAsync(TableFilter("incident")));
        Assert.Equal(("Applied", first.IncidentKey), Mark(await _hub.MetadataAsync(first.ArchivePath)));
        // The sender's retry is answered from memory: its first copy is the archive, nothing else is stored.
        Assert.Equal(first.ArchivePath, again.ArchivePath);
        Assert.Equal([first.ArchivePath], await _hub.ArchivedPathsAsync());
    }

    [Theory]
    [MemberData(nameof(Updates))]
    public async Task An_update_from_the_source_changes_the_incident_and_records_a_new_assessment(AliasSource source, string open, string resolved, string idPath)
    {
        var opened = await _hub.ReceiveAsync(source, IntakeSamples.Read(source, open));
        var externalId = IncidentParsers.Parse(source, IntakeSamples.Read(source, open)).ExternalId;
        _hub.Time.Advance(TimeSpan.FromMinutes(10));

        var closed = await _hub.ReceiveAsync(source, IntakeSamples.With(source, resolved, idPath, externalId));

        Assert.True(opened.Level > AssessmentLevel.None, $"The open sample assessed at {opened.Level}; the catalogue should know its service.");
        Assert.Equal((opened.IncidentKey, AssessmentLevel.None, false), (closed.IncidentKey, closed.Level, closed.Duplicate));
        var history = await _hub.Store.GetHistoryAsync(opened.IncidentKey, Token);
        Assert.Equal(IncidentState.Resolved, history!.Incident.Incident.State);
        Assert.Equal(AssessmentLevel.None, history.Incident.Level);
        Assert.Equal(IntakeHarness.Start, history.Incident.FirstSeen);
        Assert.Equal([opened.ArchivePath, closed.ArchivePath], history.Incident.ArchivePaths);
        Assert.Equal([IncidentState.Open, IncidentState.Resolved], history.Events.Select(e => e.State));
        Assert.Equal([opened.Level, AssessmentLevel.None], history.Assessments.Select(a => a.Level));
        Assert.Equal(IntakeHarness.Start.AddMinutes(10), history.Assessments[1].At);
        await foreach (var incident in _hub.Store.ListOpenAsync(Token))
        {
            Assert.Fail($"{incident.Incident.Key} is listed as open.");
        }
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public async Task An_invalid_payload_is_refused_archived_as_rejected_and_audited_and_nothing_else_is_stored(AliasSource source, string file)
    {
        var refused = await Assert.ThrowsAsync<HubValidationException>(() => _hub.ReceiveAsync(source, IntakeSamples.Read(source, file)));

        var path = Assert.Single(await _hub.ArchivedPathsAsync());
        var (status, note) = Mark(await _hub.MetadataAsync(path));
        Assert.Equal("Rejected", status);
        Assert.Contains(refused.Problems[0].Path, note, StringComparison.Ordinal);
        var audit = Assert.Single(await _hub.AuditRowsAsync());
        Assert.Equal(
            ($"intake:{CatalogNames.Name(source)}", "PayloadRejected", path),
            (audit.GetString("Actor"), audit.GetString("Action"), audit.GetString("Subject")));
        Assert.Contains(refused.Problems[0].Path, audit.GetString("Detail"), StringComparison.Ordinal);
        Assert.Empty(await _hub.IncidentTableAsync());
    }

    private static (string? Status, string? Note) Mark(IDictionary<string, string> metadata) =>
        (metadata.TryGetValue("status", out var status) ? status : null, metadata.TryGetValue("note", out var note) ? note : null);

    private static string TableFilter(string rowKey) => $"RowKey eq '{rowKey}'";
}
