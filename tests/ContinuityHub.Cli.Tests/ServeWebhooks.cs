using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// The sample payloads of <c>infra/samples/{source}/</c> as each tool sends them to <c>hub serve</c>: the record's
/// id made unique to the test, signed the way the tool signs.
/// </summary>
internal static class ServeWebhooks
{
    public static TheoryData<string> Sources => new(CatalogNames.SourceNames);

    public static string Secret(string source) => $"serve-secret-for-{source}";

    public static string NewId(string source) => $"{source[..3]}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>The key the hub gives the incident of <paramref name="id"/> from <paramref name="source"/>.</summary>
    public static string Key(string source, string id) =>
        CatalogNames.TryParseSource(source, out var parsed)
            ? IncidentKey.Create(parsed, source == "azuremonitor" ? AzureAlertId(id) : id)
            : throw new ArgumentOutOfRangeException(nameof(source), source, null);

    /// <summary>The sample of an open incident with its record id set to <paramref name="id"/>.</summary>
    public static byte[] Open(string source, string id)
    {
        var file = source switch
        {
            "servicenow" => "incident-open.json",
            "jira" => "issue-created.json",
            "pagerduty" => "incident-triggered.json",
            "opsgenie" => "alert-create.json",
            "azuremonitor" => "metric-alert-fired.json",
            "generic" => "incident-open.json",
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
        };
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(CliRun.RepoRoot, "infra", "samples", source, file)))!;
        switch (source)
        {
            case "servicenow":
                (root["result"] ?? root)["sys_id"] = id;
                break;
            case "jira":
                root["issue"]!["key"] = id;
                break;
            case "pagerduty":
                root["event"]!["id"] = $"{id}-triggered";
                root["event"]!["data"]!["id"] = id;
                break;
            case "opsgenie":
                root["alert"]!["alertId"] = id;
                break;
            case "azuremonitor":
                root["data"]!["essentials"]!["alertId"] = AzureAlertId(id);
                break;
            default:
                root["id"] = id;
                break;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>A POST of <paramref name="body"/> to the source's intake route, authenticated as the tool does with <paramref name="secret"/>.</summary>
    public static HttpRequestMessage Post(string source, byte[] body, string? secret)
    {
        var uri = $"/api/intake/{source}";
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        switch (secret is null ? null : source)
        {
            case null:
                break;
            case "pagerduty":
                request.Headers.Add(WebhookAuthenticator.PagerDutySignatureHeader, "v1=" + WebhookAuthenticator.Sign(secret!, body));
                break;
            case "jira":
                request.Headers.Add(WebhookAuthenticator.HubSignatureHeader, "sha256=" + WebhookAuthenticator.Sign(secret!, body));
                break;
            case "opsgenie" or "azuremonitor":
                request.RequestUri = new Uri($"{uri}?{WebhookAuthenticator.TokenQuery}={Uri.EscapeDataString(secret!)}", UriKind.Relative);
                break;
            default:
                request.Headers.Add(WebhookAuthenticator.TokenHeader, secret);
                break;
        }

        return request;
    }

    private static string AzureAlertId(string id) =>
        $"/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/{id}";
}
