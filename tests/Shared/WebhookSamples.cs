using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Testing;

/// <summary>
/// The sample payloads of <c>infra/samples/{source}/</c> as each tool would send them: with the source record's id
/// replaced by one unique to the test (so a test's incident is its own), and signed the way the tool signs.
/// </summary>
internal static class WebhookSamples
{
    /// <summary>The secret each source is configured with in these tests.</summary>
    public static string Secret(string source) => $"test-secret-for-{source}";

    /// <summary>A source record id no other test uses.</summary>
    public static string NewId(string source) => $"{source[..3]}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>The key the hub gives the incident of <paramref name="id"/> from <paramref name="source"/>.</summary>
    public static string Key(string source, string id) => IncidentKey.Create(Source(source), ExternalId(source, id));

    public static AliasSource Source(string source) =>
        CatalogNames.TryParseSource(source, out var parsed) ? parsed : throw new ArgumentOutOfRangeException(nameof(source), source, null);

    /// <summary>The sample of an open incident.</summary>
    public static byte[] Open(string source, string id) => Load(source, Files(source).Open, id, "triggered");

    /// <summary>The sample of a resolved incident, made to resolve the incident of <paramref name="id"/>.</summary>
    public static byte[] Resolved(string source, string id) => Load(source, Files(source).Resolved, id, "resolved");

    /// <summary>A sample the source's parser refuses, naming fields.</summary>
    public static byte[] Invalid(string source) => File.ReadAllBytes(Path.Combine(Folder(source), Files(source).Invalid));

    /// <summary>Authenticates <paramref name="body"/> as <paramref name="source"/> does, with <paramref name="secret"/>.</summary>
    public static void Sign(string source, ReadOnlySpan<byte> body, string secret, Action<string, string> header, Action<string, string> query)
    {
        switch (source)
        {
            case "pagerduty":
                header(WebhookAuthenticator.PagerDutySignatureHeader, "v1=" + WebhookAuthenticator.Sign(secret, body));
                break;
            case "jira":
                header(WebhookAuthenticator.HubSignatureHeader, "sha256=" + WebhookAuthenticator.Sign(secret, body));
                break;
            case "opsgenie" or "azuremonitor":
                query(WebhookAuthenticator.TokenQuery, secret);
                break;
            case "alertmanager":
                header(WebhookAuthenticator.AuthorizationHeader, "Bearer " + secret);
                break;
            default:
                header(WebhookAuthenticator.TokenHeader, secret);
                break;
        }
    }

    private static string ExternalId(string source, string id) => source switch
    {
        "azuremonitor" => AzureAlertId(id),
        "heartbeat" => "ledger-db~" + id,
        _ => id,
    };

    private static string AzureAlertId(string id) =>
        $"/subscriptions/7c1d9e42-3b5a-4f8e-9d21-6a0b8c4e2f17/providers/Microsoft.AlertsManagement/alerts/{id}";

    private static (string Open, string Resolved, string Invalid) Files(string source) => source switch
    {
        "servicenow" => ("incident-open.json", "incident-resolved.json", "incident-invalid.json"),
        "jira" => ("issue-created.json", "issue-updated-done.json", "issue-created-invalid.json"),
        "pagerduty" => ("incident-triggered.json", "incident-resolved.json", "incident-annotated.json"),
        "opsgenie" => ("alert-create.json", "alert-close.json", "alert-invalid.json"),
        "azuremonitor" => ("metric-alert-fired.json", "metric-alert-resolved.json", "metric-alert-legacy-schema.json"),
        "generic" => ("incident-open.json", "incident-resolved.json", "incident-invalid.json"),
        "alertmanager" => ("firing.json", "resolved.json", "invalid.json"),
        "heartbeat" => ("rpo-at-risk.json", "rpo-restored.json", "invalid.json"),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    private static string Folder(string source) => Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "samples", source);

    private static byte[] Load(string source, string file, string id, string eventName)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(source), file)))!;
        switch (source)
        {
            case "servicenow":
                (root["result"] ?? root)["sys_id"] = id;
                break;
            case "jira":
                root["issue"]!["key"] = id;
                break;
            case "pagerduty":
                root["event"]!["id"] = $"{id}-{eventName}";
                root["event"]!["data"]!["id"] = id;
                break;
            case "opsgenie":
                root["alert"]!["alertId"] = id;
                break;
            case "azuremonitor":
                root["data"]!["essentials"]!["alertId"] = AzureAlertId(id);
                break;
            case "alertmanager":
                root["groupKey"] = id;
                break;
            case "heartbeat":
                root["heartbeat"] = id;
                break;
            default:
                root["id"] = id;
                break;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
