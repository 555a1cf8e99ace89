using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

/// <summary>An id no vendor sends (thousands of characters) is refused at the field it came from, once.</summary>
public class IncidentIdLengthTests
{
    private static readonly string s_longId = new('X', PayloadReader.MaxExternalIdChars + 1);

    public static TheoryData<AliasSource, string, string> IdFields { get; } = new()
    {
        { AliasSource.Generic, "incident-open.json", "id" },
        { AliasSource.PagerDuty, "incident-triggered.json", "event.data.id" },
        { AliasSource.Opsgenie, "alert-create.json", "alert.alertId" },
        { AliasSource.Alertmanager, "firing.json", "groupKey" },
        { AliasSource.Jira, "issue-created.json", "issue.key" },
        { AliasSource.ServiceNow, "incident-open.json", "result.sys_id" },
        { AliasSource.AzureMonitor, "metric-alert-fired.json", "data.essentials.alertId" },
    };

    [Theory]
    [MemberData(nameof(IdFields))]
    public void An_id_longer_than_the_hub_takes_is_refused_naming_its_field(AliasSource source, string sample, string field)
    {
        // Arrange
        var json = Samples.Edit(source, sample, root =>
        {
            var cut = field.LastIndexOf('.');
            var parent = cut < 0 ? root : Samples.At(root, field[..cut]);
            var name = field[(cut + 1)..];
            parent[name] = source == AliasSource.ServiceNow
                ? new JsonObject { ["value"] = s_longId, ["display_value"] = s_longId }
                : s_longId;
        });

        // Act
        var refused = Samples.Refuse(source, json);

        // Assert
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(field, problem.Path);
        Assert.Equal("is 4,097 characters; an incident id may have at most 4,096", problem.Message);
    }

    [Theory]
    [MemberData(nameof(IdFields))]
    public void An_id_of_the_longest_length_the_hub_takes_is_read(AliasSource source, string sample, string field)
    {
        // Arrange
        var longest = new string('Y', PayloadReader.MaxExternalIdChars);
        var json = Samples.Edit(source, sample, root =>
        {
            var cut = field.LastIndexOf('.');
            var parent = cut < 0 ? root : Samples.At(root, field[..cut]);
            parent[field[(cut + 1)..]] = source == AliasSource.ServiceNow
                ? new JsonObject { ["value"] = longest, ["display_value"] = longest }
                : longest;
        });

        // Act
        var incident = IncidentParsers.Parse(source, json);

        // Assert
        Assert.Equal(longest, incident.ExternalId);
    }
}
