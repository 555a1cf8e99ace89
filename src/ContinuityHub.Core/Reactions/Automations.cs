using System.Globalization;
using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Reactions;

/// <summary>One automation request as it goes out: the CloudEvent's bytes, and what the gateway needs to send them.</summary>
/// <param name="EventId">The CloudEvent's id (and the Service Bus MessageId): the same on every retry.</param>
/// <param name="Body">The structured-mode CloudEvent, JSON (<see cref="AutomationEvent.ContentType"/>).</param>
public sealed record AutomationRequest(string IncidentKey, string Plan, PlanAutomation Automation, string EventId, ReadOnlyMemory<byte> Body);

/// <summary>
/// Sends a plan's automation request: a webhook POST (signed with the automation's signing secret when it names one)
/// or a Service Bus message. Implemented by <c>HttpAutomationGateway</c>, and by <c>hub serve</c>'s reactions sink.
/// </summary>
public interface IAutomationGateway
{
    /// <summary>
    /// Sends the request; returns what the receiver calls the run (e.g. Azure Automation's job id), when it says. A
    /// refusal is a <c>TeamsDeliveryException</c> (transient for 408, 429 and 5xx, for good otherwise), as for Teams.
    /// </summary>
    Task<string?> SendAsync(AutomationRequest request, CancellationToken cancellationToken);
}

/// <summary>The decision behind an automation request: who invoked or stood down, and when; null for the Alert triggers.</summary>
public sealed record AutomationDecision(string Action, string By, DateTimeOffset At);

/// <summary>What an automation request tells its receiver.</summary>
/// <param name="CallbackUrl">Where the automation reports <c>started</c>, <c>succeeded</c> or <c>failed</c>; null without the hub's public address.</param>
public sealed record AutomationFacts(
    string EventId,
    DateTimeOffset Time,
    Incident Incident,
    ContinuityPlan Plan,
    PlanAutomation Automation,
    AssessmentLevel Level,
    AutomationDecision? Decision,
    IReadOnlyList<string> Reasons,
    Uri? IncidentLink,
    Uri? CallbackUrl,
    DateTimeOffset? CallbackExpiresAt);

/// <summary>
/// The <c>ContinuityHub.AutomationRequested</c> CloudEvent (1.0, structured content mode, JSON): the incident, the
/// plan, the level, the decision, the reasons and the callback link, all in <c>data</c>.
/// </summary>
public static class AutomationEvent
{
    public const string Type = "ContinuityHub.AutomationRequested";

    /// <summary>The content type of a structured-mode CloudEvent in JSON.</summary>
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>The statuses a callback may report, as it spells them.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["started", "succeeded", "failed"];

    /// <summary>The event's <c>source</c>: the plan's automation in this hub.</summary>
    public static string Source(string plan, string automation) =>
        "/continuityhub/plans/" + Uri.EscapeDataString(plan) + "/automations/" + Uri.EscapeDataString(automation);

    public static byte[] Json(AutomationFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);

        // Utf8JsonWriter's default encoder escapes quotes, control characters and HTML-sensitive characters in every
        // string, so nothing from an incident or the catalogue can break out of its value.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var incident = facts.Incident;
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("type", Type);
            json.WriteString("source", Source(facts.Plan.Id, facts.Automation.Id));
            json.WriteString("id", facts.EventId);
            json.WriteString("time", Timestamp(facts.Time));
            json.WriteString("subject", incident.Key);
            json.WriteString("datacontenttype", "application/json");
            json.WriteStartObject("data");
            json.WriteString("automation", facts.Automation.Id);
            json.WriteString("on", facts.Automation.On.ToString());
            json.WriteStartObject("incident");
            json.WriteString("key", incident.Key);
            json.WriteString("title", incident.Title);
            json.WriteString("source", CatalogNames.Name(incident.Source));
            json.WriteString("externalId", incident.ExternalId);
            WriteUri(json, "link", facts.IncidentLink);
            json.WriteEndObject();
            json.WriteStartObject("plan");
            json.WriteString("id", facts.Plan.Id);
            json.WriteString("title", facts.Plan.Title);
            json.WriteString("version", facts.Plan.Version);
            json.WriteEndObject();
            json.WriteString("level", facts.Level.ToString());
            if (incident.Exercise is { } exercise)
            {
                json.WriteBoolean("exercise", true);
                json.WriteString("exerciseId", exercise.ExerciseId);
            }

            if (facts.Decision is { } decision)
            {
                json.WriteStartObject("decision");
                json.WriteString("action", decision.Action);
                json.WriteString("by", decision.By);
                json.WriteString("at", Timestamp(decision.At));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("decision");
            }

            json.WriteStartArray("reasons");
            foreach (var reason in facts.Reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            WriteUri(json, "callbackUrl", facts.CallbackUrl);
            if (facts.CallbackExpiresAt is { } expires)
            {
                json.WriteString("callbackExpiresAt", Timestamp(expires));
            }

            json.WriteStartArray("callbackStatuses");
            foreach (var status in Statuses)
            {
                json.WriteStringValue(status);
            }

            json.WriteEndArray();
            json.WriteString("timeout", Durations.Format(facts.Automation.Timeout));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>RFC 3339 in UTC (<c>2025-03-01T09:30:00Z</c>, fractions only when there are any), as the CloudEvents <c>time</c> attribute asks.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void WriteUri(Utf8JsonWriter json, string name, Uri? uri)
    {
        if (uri is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, uri.AbsoluteUri);
        }
    }
}
