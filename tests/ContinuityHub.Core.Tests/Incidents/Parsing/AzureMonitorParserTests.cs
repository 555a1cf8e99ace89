using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;

namespace ContinuityHub.Core.Tests.Incidents.Parsing;

public class AzureMonitorParserTests
{
    private const AliasSource Source = AliasSource.AzureMonitor;

    [Fact]
    public void Fired_metric_alert_maps_every_field()
    {
        // Arrange: metric-alert-fired.json is a common alert schema payload for a fired metric alert.
        const string alertId = "/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/4c2e8a1f-6b3d-4e5f-9a7c-0d1e2f3a4b5c";

        // Act
        var incident = Samples.Parse(Source, "metric-alert-fired.json");

        // Assert
        Assert.Equal("azuremonitor~%2Fsubscriptions%2F7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17%2Fproviders%2FMicrosoft.AlertsManagement%2Falerts%2F4c2e8a1f-6b3d-4e5f-9a7c-0d1e2f3a4b5c", incident.Key);
        Assert.Equal(AliasSource.AzureMonitor, incident.Source);
        Assert.Equal(alertId, incident.ExternalId);
        Assert.Equal("sqlmi-contoso-prod-storage-critical", incident.Title);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(
            [
                "/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/resourcegroups/rg-sql-mi-prod/providers/microsoft.sql/managedinstances/sqlmi-contoso-prod",
                "sqlmi-contoso-prod",
            ],
            incident.Aliases);
        Assert.StartsWith("https://portal.azure.com/#view/Microsoft_Azure_Monitoring_Alerts/Investigation.ReactView/alertId/", incident.Link, StringComparison.Ordinal);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Resolved_metric_alert_maps_to_Resolved()
    {
        // Arrange: metric-alert-resolved.json is the same shape with monitorCondition Resolved.

        // Act
        var incident = Samples.Parse(Source, "metric-alert-resolved.json");

        // Assert
        Assert.Equal("/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/9d3b7f21-c4e8-4a16-b5d2-8e0f1a2b3c4d", incident.ExternalId);
        Assert.Equal(IncidentKey.Create(AliasSource.AzureMonitor, incident.ExternalId), incident.Key);
        Assert.Equal("app-payments-prod-http5xx", incident.Title);
        Assert.Equal(Priority.P3, incident.Priority);
        Assert.False(incident.Major);
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 21, 14, 5, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(
            [
                "/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/resourcegroups/rg-payments-prod/providers/microsoft.web/sites/app-payments-prod",
                "app-payments-prod",
            ],
            incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Log_alert_with_repeated_targets_keeps_each_alias_once()
    {
        // Arrange: the same site twice in different case, a repeated configuration item, sev0 in lower case.

        // Act
        var incident = Samples.Parse(Source, "log-alert-fired-multiple-targets.json");

        // Assert
        Assert.Equal("/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/1e5a9c3f-7b2d-4f80-a6e4-c9d8b7a6f5e4", incident.ExternalId);
        Assert.Equal("ledger-app-prod-failed-postings", incident.Title);
        Assert.Equal(Priority.P1, incident.Priority);
        Assert.True(incident.Major);
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
        Assert.Null(incident.EstimatedRestoreAt);
        Assert.Equal(
            [
                "/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/resourcegroups/rg-ledger-app-prod/providers/microsoft.web/sites/app-ledger-prod",
                "/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/resourcegroups/rg-ledgerdb-prod/providers/microsoft.sql/servers/sql-ledger-prod/databases/ledger",
                "app-ledger-prod",
                "ledger",
            ],
            incident.Aliases);
        Assert.Null(incident.Link);
        Assert.Null(incident.EventId);
    }

    [Fact]
    public void Alert_without_the_common_schema_is_refused_naming_schemaId()
    {
        // Arrange: metric-alert-legacy-schema.json is what an action group sends with the common schema off.

        // Act
        var e = Samples.RefuseSample(Source, "metric-alert-legacy-schema.json");

        // Assert
        Assert.Equal(
            [new ValidationProblem("schemaId", "expected 'azureMonitorCommonAlertSchema', got 'AzureMonitorMetricAlert' (enable the common alert schema on the action group)")],
            e.Problems);
    }

    [Fact]
    public void Sev9_is_no_priority_kept_for_the_policy_and_an_unknown_condition_is_refused()
    {
        // Arrange
        var sev9 = Samples.Edit(Source, "metric-alert-fired.json", o => Samples.At(o, "data.essentials")["severity"] = "Sev9");
        var paused = Samples.Edit(Source, "metric-alert-fired.json", o => Samples.At(o, "data.essentials")["monitorCondition"] = "Paused");

        // Act
        var incident = IncidentParsers.Parse(Source, sev9);
        var e = Samples.Refuse(Source, paused);

        // Assert
        Assert.Equal((Priority.None, "Sev9"), (incident.Priority, incident.SourcePriority));
        Assert.Equal("data.essentials.monitorCondition: unknown monitor condition 'Paused' (expected Fired, Resolved)", e.Message);
    }

    [Theory]
    [InlineData("Sev0", Priority.P1)]
    [InlineData("Sev1", Priority.P2)]
    [InlineData("Sev2", Priority.P3)]
    [InlineData("Sev3", Priority.P4)]
    [InlineData("Sev4", Priority.P5)]
    public void Severity_maps_to_priority(string severity, Priority expected)
    {
        // Arrange
        var json = Samples.Edit(Source, "metric-alert-fired.json", o => Samples.At(o, "data.essentials")["severity"] = severity);

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.Priority);
        Assert.Equal(expected == Priority.P1, incident.Major);
    }

    [Fact]
    public void Unknown_monitor_condition_is_refused_naming_it()
    {
        // Arrange
        var json = Samples.Edit(Source, "metric-alert-fired.json", o => Samples.At(o, "data.essentials")["monitorCondition"] = "Acknowledged");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("data.essentials.monitorCondition", "unknown monitor condition 'Acknowledged' (expected Fired, Resolved)")], e.Problems);
    }

    [Fact]
    public void Malformed_fired_time_is_refused_naming_firedDateTime()
    {
        // Arrange
        var json = Samples.Edit(Source, "metric-alert-fired.json", o => Samples.At(o, "data.essentials")["firedDateTime"] = "24/11/2026 09:58:12");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal(
            [new ValidationProblem("data.essentials.firedDateTime", "expected an ISO 8601 time, like 2026-11-24T09:58:12Z, got '24/11/2026 09:58:12'")],
            e.Problems);
    }

    [Fact]
    public void Missing_essentials_is_refused_once()
    {
        // Arrange
        const string json = """{"schemaId": "azureMonitorCommonAlertSchema", "data": {"alertContext": {}}}""";

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("data.essentials", "is required")], e.Problems);
    }

    [Fact]
    public void Target_ids_as_a_string_are_refused_as_the_wrong_type()
    {
        // Arrange
        var json = Samples.Edit(Source, "metric-alert-fired.json", o => Samples.At(o, "data.essentials")["alertTargetIDs"] = "/subscriptions/x");

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal([new ValidationProblem("data.essentials.alertTargetIDs", "expected an array of strings, found a string")], e.Problems);
    }

    [Fact]
    public void Microsofts_service_health_sample_maps_to_a_resolved_P5_on_the_subscription()
    {
        // Arrange: Microsoft's published test-action payload for a Service Health alert (Samples/azuremonitor/README.md).
        var json = Samples.ReadVendor(Source, "service-health-test-action.json");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal("test-ServiceHealthAlertRule", incident.Title);
        Assert.Equal(Priority.P5, incident.Priority);
        Assert.Equal(IncidentState.Resolved, incident.State); // monitorCondition Fired, but stage and status Resolved
        Assert.Equal(new DateTimeOffset(2025, 4, 15, 18, 20, 36, TimeSpan.Zero), incident.StartedAt);
        Assert.Equal(["/subscriptions/11111111-1111-1111-1111-111111111111"], incident.Aliases);
    }

    [Theory]
    [InlineData("2026-11-24T09:58:12.4371245")]
    [InlineData("2026-11-24T09:58:12")]
    [InlineData("2026-11-24T09:58:12.4371245Z")]
    public void Fired_time_without_an_offset_is_read_as_UTC(string firedDateTime)
    {
        // Arrange: Service Health and some activity-log alerts send firedDateTime without an offset; Microsoft defines it as UTC.
        var json = Edit(o =>
        {
            Samples.At(o, "data.essentials")["firedDateTime"] = firedDateTime;
            Samples.At(o, "data.alertContext.properties").Remove("impactStartTime");
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
    }

    [Fact]
    public void Resolved_service_health_alert_with_offset_less_times_is_Resolved()
    {
        // Arrange
        var json = Edit(o =>
        {
            var essentials = Samples.At(o, "data.essentials");
            essentials["monitorCondition"] = "Resolved";
            essentials["firedDateTime"] = "2026-11-24T09:58:12.4371245";
            essentials["resolvedDateTime"] = "2026-11-24T11:02:40.1180000";
            Samples.At(o, "data.alertContext.properties")["impactStartTime"] = "2026-11-24T09:58:12.4371245";
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 58, 12, TimeSpan.Zero), incident.StartedAt);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00")]
    [InlineData("9999-12-31T23:59:59Z")]
    public void Fired_time_the_hub_cannot_keep_is_refused_naming_firedDateTime(string firedDateTime)
    {
        // Arrange
        var json = Edit(o => Samples.At(o, "data.essentials")["firedDateTime"] = firedDateTime);

        // Act
        var e = Samples.Refuse(Source, json);

        // Assert
        Assert.Equal(
            [new ValidationProblem("data.essentials.firedDateTime", $"{firedDateTime} is outside the times the hub can keep (1601 to 8999)")],
            e.Problems);
    }

    [Fact]
    public void Log_search_alert_on_a_workspace_names_the_computer_not_the_workspace()
    {
        // Arrange: Microsoft's Log alert V2 test action targets the workspace; its configuration item is the computer.
        var json = Samples.ReadVendor(Source, "log-alert-v2-test-action.json");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(["test-computer"], incident.Aliases);
        Assert.Null(incident.OtherNames);
    }

    [Theory]
    [InlineData("_ResourceId")]
    [InlineData("ResourceId")]
    [InlineData("resource")]
    public void Log_search_alert_split_by_resource_id_names_that_resource_not_the_workspace(string dimension)
    {
        // Arrange: the V2 test action split by a resource-id dimension, as Microsoft fills configurationItems from it.
        const string vm = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-1";
        var json = EditVendor("log-alert-v2-test-action.json", o =>
        {
            Samples.At(o, "data.essentials")["configurationItems"] = new System.Text.Json.Nodes.JsonArray("vm-app-1");
            var criterion = Samples.At(o, "data.alertContext.condition")["allOf"]![0]!.AsObject();
            criterion["dimensions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = dimension, ["value"] = vm });
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal([vm, "vm-app-1"], incident.Aliases);
        Assert.Equal(vm, incident.OtherNameOf("vm-app-1"));
    }

    [Fact]
    public void Dimension_named_ResourceId_holding_a_GUID_is_not_a_resource()
    {
        // Arrange: Microsoft's sample metric alert has a ResourceId dimension whose value is a GUID.
        var json = Samples.ReadVendor(Source, "metric-alert-resolved-sample.json");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(
            ["/subscriptions/<subscription ID>/resourcegroups/pipelinealertrg/providers/microsoft.compute/virtualmachines/wcus-r2-gen2", "wcus-r2-gen2"],
            incident.Aliases);
    }

    [Fact]
    public void Log_search_alert_without_configuration_items_keeps_the_workspace()
    {
        // Arrange: the V1 metric-measurement test action names nothing but its workspace.
        var json = Samples.ReadVendor(Source, "log-alert-v1-metric-measurement-test-action.json");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(["/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/test-RG/providers/microsoft.operationalinsights/workspaces/test-logAnalyticsWorkspace"], incident.Aliases);
    }

    [Fact]
    public void Configuration_item_naming_a_target_is_that_targets_other_name()
    {
        // Arrange: Microsoft's activity log test action targets test-VM and lists it as its configuration item.
        const string vm = "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/test-RG/providers/microsoft.compute/virtualmachines/test-VM";
        var json = Samples.ReadVendor(Source, "activity-log-administrative-test-action.json");

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal([vm, "test-VM"], incident.Aliases);
        Assert.Equal(vm, incident.OtherNameOf("test-VM"));
        Assert.Equal("test-VM", incident.OtherNameOf(vm));
        Assert.Equal(IncidentState.Open, incident.State); // stateless and Fired; status Succeeded is the operation's
    }

    [Theory]
    [InlineData("Active", "Active", IncidentState.Open)]
    [InlineData("Planned", "Active", IncidentState.Open)]
    [InlineData("InProgress", "Active", IncidentState.Open)]
    [InlineData("Rescheduled", "Active", IncidentState.Open)]
    [InlineData("Resolved", "Active", IncidentState.Resolved)]
    [InlineData("RCA", "Active", IncidentState.Resolved)]
    [InlineData("Complete", "Active", IncidentState.Resolved)]
    [InlineData("Canceled", "Active", IncidentState.Resolved)]
    [InlineData("Active", "Resolved", IncidentState.Resolved)]
    public void Service_health_stage_or_status_decides_the_state_of_a_fired_alert(string stage, string status, IncidentState expected)
    {
        // Arrange: activity-log alerts always say Fired; the Service Health event says where it is.
        var json = Edit(o =>
        {
            Samples.At(o, "data.alertContext.properties")["stage"] = stage;
            Samples.At(o, "data.alertContext")["status"] = status;
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.State);
    }

    [Theory]
    [InlineData("Unavailable", "Active", IncidentState.Open)]
    [InlineData("Degraded", "Active", IncidentState.Open)]
    [InlineData("Unknown", "Active", IncidentState.Open)]
    [InlineData("Available", "Active", IncidentState.Resolved)]
    [InlineData("Unavailable", "Resolved", IncidentState.Resolved)]
    public void Resource_health_current_status_decides_the_state_of_a_fired_alert(string health, string status, IncidentState expected)
    {
        // Arrange
        var json = EditVendor("resource-health-test-action.json", o =>
        {
            Samples.At(o, "data.alertContext.properties")["currentHealthStatus"] = health;
            Samples.At(o, "data.alertContext")["status"] = status;
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(expected, incident.State);
    }

    [Fact]
    public void Custom_property_named_stage_does_not_resolve_a_metric_alert()
    {
        // Arrange: a metric alert's alertContext.properties are the rule's own custom properties.
        var json = EditVendor("metric-alert-static-threshold-test-action.json", o =>
        {
            Samples.At(o, "data.alertContext.properties")["stage"] = "Resolved";
            Samples.At(o, "data.alertContext")["status"] = "Resolved";
        });

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal(IncidentState.Open, incident.State);
    }

    private static string EditVendor(string file, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(Samples.ReadVendor(Source, file))!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    private static string Edit(Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(Samples.ReadVendor(Source, "service-health-test-action.json"))!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    [Fact]
    public void Service_health_communications_of_one_tracking_id_are_one_incident_from_its_impact_start()
    {
        // Arrange: each communication is a new alert with a new alertId; the trackingId is the Azure incident.
        var active = Edit(o =>
        {
            Samples.At(o, "data.essentials")["alertId"] = "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/aaaa";
            Samples.At(o, "data.essentials")["firedDateTime"] = "2025-04-15T18:30:00.000Z";
            Samples.At(o, "data.alertContext.properties")["stage"] = "Active";
            Samples.At(o, "data.alertContext")["status"] = "Active";
        });
        var resolved = Edit(o =>
        {
            Samples.At(o, "data.essentials")["alertId"] = "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/bbbb";
            Samples.At(o, "data.essentials")["firedDateTime"] = "2025-04-15T20:00:00.000Z";
            Samples.At(o, "data.alertContext.properties")["impactMitigationTime"] = "2025-04-15T19:45:00.000Z";
        });

        // Act
        var first = IncidentParsers.Parse(Source, active);
        var last = IncidentParsers.Parse(Source, resolved);

        // Assert
        Assert.Equal(("azuremonitor~ServiceHealth:TEST-TTT", IncidentState.Open), (first.Key, first.State));
        Assert.Equal(("azuremonitor~ServiceHealth:TEST-TTT", IncidentState.Resolved), (last.Key, last.State));
        Assert.Equal(new DateTimeOffset(2025, 4, 15, 18, 20, 36, TimeSpan.Zero), first.StartedAt);
        Assert.Equal(new DateTimeOffset(2025, 4, 15, 19, 45, 0, TimeSpan.Zero), last.ResolvedAt);
    }

    [Fact]
    public void Resource_health_events_of_one_resource_are_one_incident_whose_start_is_each_events_time()
    {
        // Arrange: Unavailable, then Available, each a new alert.
        var down = EditVendor("resource-health-test-action.json", o => Samples.At(o, "data.essentials")["alertId"] = "/subscriptions/1/providers/Microsoft.AlertsManagement/alerts/down");
        var up = EditVendor("resource-health-test-action.json", o =>
        {
            Samples.At(o, "data.essentials")["alertId"] = "/subscriptions/1/providers/Microsoft.AlertsManagement/alerts/up";
            Samples.At(o, "data.alertContext.properties")["currentHealthStatus"] = "Available";
        });

        // Act
        var first = IncidentParsers.Parse(Source, down);
        var last = IncidentParsers.Parse(Source, up);

        // Assert
        Assert.Equal(first.Key, last.Key);
        Assert.Equal("ResourceHealth:/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/test-rg/providers/microsoft.compute/virtualmachines/test-vm", first.ExternalId);
        Assert.Equal((IncidentState.Open, true), (first.State, first.StartedAtIsEventTime));
        Assert.Equal((IncidentState.Resolved, last.StartedAt), (last.State, last.ResolvedAt));
    }

    [Fact]
    public void Metric_alert_keeps_its_alert_id_as_its_id()
    {
        // Arrange
        var json = Samples.ReadVendor(Source, "metric-alert-static-threshold-test-action.json");
        var alertId = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("data").GetProperty("essentials").GetProperty("alertId").GetString();

        // Act
        var incident = IncidentParsers.Parse(Source, json);

        // Assert
        Assert.Equal((alertId, false), (incident.ExternalId, incident.StartedAtIsEventTime));
    }
}
