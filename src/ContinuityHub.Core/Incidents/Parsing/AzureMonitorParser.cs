using System.Text.Json;
using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>
/// An Azure Monitor alert in the common alert schema (<c>{"schemaId": "azureMonitorCommonAlertSchema", "data":
/// {"essentials": {…}, "alertContext": {…}}}</c>). The alert's target resource ids and configuration items name
/// what is affected; Sev0..Sev4 are P1..P5. Newer payloads carry the portal's <c>investigationLink</c>, kept as the link.
/// Microsoft defines <c>firedDateTime</c> as UTC, and Service Health and some activity-log alerts send it without an
/// offset (<c>2026-11-24T09:58:12.4371245</c>): such a time is read as UTC. (<c>resolvedDateTime</c> is not read;
/// an incident keeps no resolve time.)
/// </summary>
public sealed class AzureMonitorParser : IIncidentParser
{
    private const string CommonSchemaId = "azureMonitorCommonAlertSchema";

    private static readonly (string, Priority)[] _severities =
        [("Sev0", Priority.P1), ("Sev1", Priority.P2), ("Sev2", Priority.P3), ("Sev3", Priority.P4), ("Sev4", Priority.P5)];

    private static readonly (string, IncidentState)[] _conditions =
        [("Fired", IncidentState.Open), ("Resolved", IncidentState.Resolved)];

    public AliasSource Source => AliasSource.AzureMonitor;

    public Incident Parse(JsonElement root) => PayloadReader.Read(root, Source, static (r, payload) =>
    {
        // Without the common schema the action group sends another shape; say so rather than list missing fields.
        if (r.String(payload, "schemaId") is { } schemaId && !string.Equals(schemaId, CommonSchemaId, StringComparison.OrdinalIgnoreCase))
        {
            r.Problem("schemaId", $"expected '{CommonSchemaId}', got {PayloadReader.Quote(schemaId)} (enable the common alert schema on the action group)");
            return new IncidentDraft();
        }

        var data = r.Object(payload, "data", required: true);
        var essentials = r.Object(data, "essentials", required: true);
        return new IncidentDraft
        {
            ExternalId = r.String(essentials, "alertId", required: true),
            Title = r.String(essentials, "alertRule", required: true),
            Priority = r.Choice(essentials, "severity", "severity", _severities, required: true),
            State = r.Choice(essentials, "monitorCondition", "monitor condition", _conditions) ?? IncidentState.Open,
            StartedAt = r.Timestamp(essentials, "firedDateTime", required: true, utcWithoutOffset: true),
            Aliases = [.. r.Strings(essentials, "alertTargetIDs"), .. r.Strings(essentials, "configurationItems")],
            Link = r.String(essentials, "investigationLink"),
        };
    });
}
