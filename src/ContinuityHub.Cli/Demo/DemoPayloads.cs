using System.Globalization;
using System.Text.Json.Nodes;

namespace ContinuityHub.Cli.Demo;

/// <summary>The vendors' samples the demo sends, and the resolutions it makes of them (the same record, resolved).</summary>
internal static class DemoPayloads
{
    /// <summary>Azure Monitor's notification that the alert it fired is resolved: the same alert, monitorCondition Resolved.</summary>
    public static byte[] ResolvedAlert(byte[] fired, DateTimeOffset at)
    {
        var alert = JsonNode.Parse(fired)!;
        var essentials = alert["data"]!["essentials"]!;
        essentials["monitorCondition"] = "Resolved";
        essentials["resolvedDateTime"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        return System.Text.Encoding.UTF8.GetBytes(alert.ToJsonString());
    }

    /// <summary>PagerDuty's incident.resolved event for the incident it triggered (a new event id: PagerDuty's are unique per event).</summary>
    public static byte[] ResolvedIncident(byte[] triggered, DateTimeOffset at)
    {
        var webhook = JsonNode.Parse(triggered)!;
        var incident = webhook["event"]!;
        incident["id"] = (string?)incident["id"] + "-resolved";
        incident["event_type"] = "incident.resolved";
        incident["occurred_at"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        incident["data"]!["status"] = "resolved";
        return System.Text.Encoding.UTF8.GetBytes(webhook.ToJsonString());
    }

    public static async Task<byte[]> LoadAsync(string samples, string source, string name, CancellationToken cancellationToken) =>
        await File.ReadAllBytesAsync(Path.Combine(samples, source, name + ".json"), cancellationToken);
}
