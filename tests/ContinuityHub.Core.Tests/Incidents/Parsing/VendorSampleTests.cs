using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Testing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>Real payloads (Samples/{source}/README.md says where each came from) are accepted as an expert reads them.</summary>
public class VendorSampleTests
{
    private static readonly string _directory = Path.Combine(AppContext.BaseDirectory, "Incidents", "Parsing", "Samples");

    /// <summary>Per file: the state, priority and major flag an on-call engineer would read from the payload.</summary>
    private static readonly Dictionary<(AliasSource, string), (IncidentState State, Priority Priority, bool Major)> _expected = new()
    {
        // PagerDuty v3 (zulip fixtures): no priority set, high urgency, so P2.
        [(AliasSource.PagerDuty, "triggered_v3.json")] = (IncidentState.Open, Priority.P2, false),
        [(AliasSource.PagerDuty, "acknowledged_v3.json")] = (IncidentState.Open, Priority.P2, false),
        [(AliasSource.PagerDuty, "unacknowledged_v3.json")] = (IncidentState.Open, Priority.P2, false),
        [(AliasSource.PagerDuty, "resolved_v3.json")] = (IncidentState.Resolved, Priority.P2, false),
        [(AliasSource.PagerDuty, "reopened_v3.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.PagerDuty, "priority_updated_v3.json")] = (IncidentState.Open, Priority.P2, true),

        // Opsgenie (zulip fixtures): Create sends priority 3; the others send none (no priority; the clock still runs).
        [(AliasSource.Opsgenie, "create.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.Opsgenie, "acknowledge.json")] = (IncidentState.Open, Priority.None, false),
        [(AliasSource.Opsgenie, "addtags.json")] = (IncidentState.Open, Priority.None, false),
        [(AliasSource.Opsgenie, "close.json")] = (IncidentState.Resolved, Priority.None, false),
        [(AliasSource.Opsgenie, "delete.json")] = (IncidentState.Resolved, Priority.None, false),

        // Azure Monitor (Microsoft's own Service Health test action): Sev4, fired, but its stage and status say Resolved.
        [(AliasSource.AzureMonitor, "service-health-test-action.json")] = (IncidentState.Resolved, Priority.P5, false),

        // Azure Monitor (Microsoft's published payload samples and test actions): every test action is Sev4 and fired;
        // the "Sample alert payload" is a resolved Sev3 metric alert.
        [(AliasSource.AzureMonitor, "metric-alert-resolved-sample.json")] = (IncidentState.Resolved, Priority.P4, false),
        [(AliasSource.AzureMonitor, "metric-alert-static-threshold-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "metric-alert-dynamic-threshold-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "availability-test-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "log-alert-v1-metric-measurement-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "log-alert-v1-number-of-results-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "log-alert-v2-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "activity-log-administrative-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "resource-health-test-action.json")] = (IncidentState.Open, Priority.P5, false),
        [(AliasSource.AzureMonitor, "smart-alert-test-action.json")] = (IncidentState.Open, Priority.P5, false),

        // ServiceNow (the Table API examples of ServiceNow's own documentation, and its CLI's record get): incident
        // records with plain values; state 1 New and 2 In Progress are open, priority is the leading digit (P1 is major).
        [(AliasSource.ServiceNow, "table-api-get-incident.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.ServiceNow, "table-api-patch-incident.json")] = (IncidentState.Open, Priority.P1, true),
        [(AliasSource.ServiceNow, "table-api-post-incident.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.ServiceNow, "table-api-put-incident.json")] = (IncidentState.Open, Priority.P1, true),
        [(AliasSource.ServiceNow, "cli-record-get-incident.json")] = (IncidentState.Open, Priority.P5, false),

        // Jira (mattermost-plugin-jira and zulip fixtures): Cloud High is P2, Server Medium/Major P3, Highest P1 (major);
        // no priority object is no priority. Done is resolved, but Jira Server's own Closed status is closed, and a
        // Jira 5 issue (no status category) with a resolution set is resolved.
        [(AliasSource.Jira, "webhook-issue-created.json")] = (IncidentState.Open, Priority.P2, false),
        [(AliasSource.Jira, "webhook-issue-created-no-relevant-fields.json")] = (IncidentState.Open, Priority.None, false),
        [(AliasSource.Jira, "webhook-issue-updated-started-working.json")] = (IncidentState.Open, Priority.P2, false),
        [(AliasSource.Jira, "webhook-issue-updated-resolved.json")] = (IncidentState.Resolved, Priority.P2, false),
        [(AliasSource.Jira, "webhook-server-issue-updated-closed.json")] = (IncidentState.Closed, Priority.P3, false),
        [(AliasSource.Jira, "webhook-server-issue-updated-resolved.json")] = (IncidentState.Resolved, Priority.P3, false),
        [(AliasSource.Jira, "webhook-server-issue-updated-reopened.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.Jira, "webhook-server-issue-updated-many-fields.json")] = (IncidentState.Open, Priority.P1, true),
        [(AliasSource.Jira, "created_v1.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.Jira, "change_status_v1.json")] = (IncidentState.Resolved, Priority.P3, false),

        // Alertmanager (zulip, prometheus-msteams and alertmanager-bot fixtures): the group's status decides; severity
        // critical P1 (major), warning P3, info P4.
        [(AliasSource.Alertmanager, "alert.json")] = (IncidentState.Open, Priority.P1, true),
        [(AliasSource.Alertmanager, "single_alert.json")] = (IncidentState.Resolved, Priority.P1, true),
        [(AliasSource.Alertmanager, "prom_post_request.json")] = (IncidentState.Open, Priority.P3, false),
        [(AliasSource.Alertmanager, "card-grafana-inspired-payload.json")] = (IncidentState.Open, Priority.P4, false),
        [(AliasSource.Alertmanager, "alertmanager-bot-firing.json")] = (IncidentState.Open, Priority.P1, true),
        [(AliasSource.Alertmanager, "alertmanager-bot-resolved.json")] = (IncidentState.Resolved, Priority.P1, true),
    };

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var (source, file) in Stored())
        {
            data.Add(source, file);
        }

        return data;
    }

    private static IEnumerable<(string Source, string File)> Stored() => VendorSampleFiles.Under(_directory);

    [Theory]
    [MemberData(nameof(Files))]
    public void Stored_vendor_sample_is_accepted_with_the_expected_state(string sourceName, string file)
    {
        // Arrange
        var source = Enum.GetValues<AliasSource>().Single(s => CatalogNames.Name(s) == sourceName);
        var json = File.ReadAllText(Path.Combine(_directory, sourceName, file));
        Assert.True(_expected.TryGetValue((source, file), out var expected), $"{sourceName}/{file} has no expectation in the table");

        // Act
        var incident = IncidentParsers.Parse(source, json);

        // Assert
        Assert.Equal(expected, (incident.State, incident.Priority, incident.Major));
    }

    [Fact]
    public void Every_expectation_names_a_stored_sample()
    {
        // Arrange
        var stored = Stored().ToHashSet();

        // Act
        var missing = _expected.Keys.Where(k => !stored.Contains((CatalogNames.Name(k.Item1), k.Item2))).ToList();

        // Assert
        Assert.Empty(missing);
    }
}
