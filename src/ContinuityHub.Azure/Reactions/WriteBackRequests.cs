using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Notifications;
using ContinuityHub.Reactions;

namespace ContinuityHub.Azure.Reactions;

/// <summary>
/// The request that adds a note to a source record, as each vendor's API reference gives it:
/// <list type="bullet">
/// <item>ServiceNow Table API: <c>PATCH /api/now/table/incident/{sys_id}</c> with <c>{"work_notes": …}</c> and the
/// policy's fields beside it on a level change (<c>"major_incident_state": "accepted"</c>), basic auth;</item>
/// <item>Jira Service Management: <c>POST /rest/api/3/issue/{key}/comment</c> with the body in Atlassian Document
/// Format and the <c>sd.public.comment</c> property <c>{"internal": true}</c> (an internal comment); Server/Data Center
/// <c>rest/api/2</c> with a plain-text body; basic auth (e-mail and API token);</item>
/// <item>PagerDuty REST API: <c>POST /incidents/{id}/notes</c> with <c>{"note": {"content": …}}</c>, the <c>From</c>
/// header and <c>Authorization: Token token=…</c>;</item>
/// <item>Opsgenie Alert API (and Jira Service Management Operations, the same shape): <c>POST /v2/alerts/{id}/notes?identifierType=id</c>
/// with <c>{"note": …, "user": …, "source": "ContinuityHub"}</c> and <c>Authorization: GenieKey …</c>;</item>
/// <item>Azure Monitor (Alerts Management): <c>POST https://management.azure.com{alertId}/changestate?api-version=2019-03-01&amp;newState=Acknowledged</c>
/// with the hub identity's bearer token, on the acknowledgement only.</item>
/// </list>
/// </summary>
public static class WriteBackRequests
{
    /// <summary>Azure Monitor's alert state API version (stable).</summary>
    public const string AlertsApiVersion = "2019-03-01";

    // The ServiceNow field the note goes in.
    private const string WorkNotes = "work_notes";

    /// <param name="bearer">Azure Monitor only: the hub identity's token for Azure Resource Manager.</param>
    /// <param name="fields">ServiceNow only: incident fields set in the same PATCH as the work note; the other sources ignore them.</param>
    public static HttpRequestMessage Build(WriteBackSource source, SourceRecord record, string text, string? bearer = null, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(text);
        var id = Uri.EscapeDataString(record.Id);
        var (method, path, body) = record.Source switch
        {
            AliasSource.ServiceNow => (HttpMethod.Patch, $"api/now/table/incident/{SysId(record)}", ServiceNowBody(text, fields)),
            AliasSource.Jira when source.ApiVersion == 2 => (HttpMethod.Post, $"rest/api/2/issue/{id}/comment", JiraBody(text, adf: false)),
            AliasSource.Jira => (HttpMethod.Post, $"rest/api/3/issue/{id}/comment", JiraBody(text, adf: true)),
            AliasSource.PagerDuty => (HttpMethod.Post, $"incidents/{id}/notes", new JsonObject { ["note"] = new JsonObject { ["content"] = text } }),
            AliasSource.Opsgenie => (HttpMethod.Post, $"v2/alerts/{id}/notes?identifierType=id", OpsgenieBody(source, text)),
            AliasSource.AzureMonitor => (HttpMethod.Post, $"{AlertResource(record)}/changestate?api-version={AlertsApiVersion}&newState=Acknowledged", null),
            _ => throw new TeamsDeliveryException($"The hub writes no notes back to {CatalogNames.Name(record.Source)}.", transient: false, status: null),
        };

        var request = new HttpRequestMessage(method, new Uri(source.Api, path))
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return Authorized(request, source, record.Source, bearer);
    }

    /// <summary>Whether a ServiceNow id is a sys_id (32 hex digits) rather than a number (<c>INC0012345</c>).</summary>
    public static bool IsSysId(string id) => id is { Length: 32 } && id.All(Uri.IsHexDigit);

    /// <summary>What the sink writes where a ServiceNow incident's sys_id is looked up first (<see cref="Lookup"/>).</summary>
    public const string SysIdPlaceholder = "{sys_id}";

    /// <summary>
    /// ServiceNow, an incident known by its number only: <c>GET /api/now/table/incident?sysparm_query=number={number}&amp;sysparm_fields=sys_id&amp;sysparm_limit=1</c>,
    /// whose <c>result[0].sys_id</c> the work note is then patched onto.
    /// </summary>
    public static HttpRequestMessage Lookup(WriteBackSource source, string number)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(number);
        var request = new HttpRequestMessage(
            HttpMethod.Get,
            new Uri(source.Api, $"api/now/table/incident?sysparm_query={Uri.EscapeDataString("number=" + number)}&sysparm_fields=sys_id&sysparm_limit=1"));
        return Authorized(request, source, AliasSource.ServiceNow, null);
    }

    private static HttpRequestMessage Authorized(HttpRequestMessage request, WriteBackSource source, AliasSource kind, string? bearer)
    {
        request.Headers.TryAddWithoutValidation("Accept", kind == AliasSource.PagerDuty ? "application/vnd.pagerduty+json;version=2" : "application/json");
        switch (kind)
        {
            case AliasSource.PagerDuty:
                request.Headers.TryAddWithoutValidation("Authorization", $"Token token={source.Token}");
                if (source.User is { } from)
                {
                    request.Headers.TryAddWithoutValidation("From", from);
                }

                break;
            case AliasSource.Opsgenie:
                request.Headers.TryAddWithoutValidation("Authorization", $"GenieKey {source.Token}");
                break;
            case AliasSource.AzureMonitor:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? "managed-identity-token");
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.User}:{source.Token}")));
                break;
        }

        return request;
    }

    // The alert's resource id without its leading slash (the base URL ends with one); anything else has no state to set.
    private static string AlertResource(SourceRecord record) =>
        WriteBackNote.IsAlertResource(record.Id)
            ? string.Join('/', record.Id.TrimStart('/').Split('/').Select(Uri.EscapeDataString))
            : throw new TeamsDeliveryException($"Azure Monitor record '{record.Id}' is not an alert resource id; only alerts have a state to acknowledge.", transient: false, status: null);

    // The Table API addresses a record by its sys_id (32 hex digits): a number is looked up first (Lookup).
    private static string SysId(SourceRecord record) =>
        IsSysId(record.Id) || record.Id == SysIdPlaceholder
            ? record.Id
            : throw new TeamsDeliveryException($"ServiceNow incident '{record.Id}' is known by its number only; look its sys_id up first.", transient: false, status: null);

    // The work note first, then the fields; the note is the hub's own (the catalogue may not name work_notes).
    private static JsonObject ServiceNowBody(string text, IReadOnlyDictionary<string, string>? fields)
    {
        var body = new JsonObject { [WorkNotes] = text };
        foreach (var (field, value) in fields ?? new Dictionary<string, string>())
        {
            if (field != WorkNotes)
            {
                body[field] = value;
            }
        }

        return body;
    }

    private static JsonObject JiraBody(string text, bool adf) => new()
    {
        ["body"] = adf
            ? new JsonObject
            {
                ["type"] = "doc",
                ["version"] = 1,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "paragraph", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }) }),
            }
            : text,
        ["properties"] = new JsonArray(new JsonObject { ["key"] = "sd.public.comment", ["value"] = new JsonObject { ["internal"] = true } }),
    };

    private static JsonObject OpsgenieBody(WriteBackSource source, string text)
    {
        var body = new JsonObject { ["note"] = text, ["source"] = "ContinuityHub" };
        if (source.User is { } user)
        {
            body["user"] = user;
        }

        return body;
    }
}
