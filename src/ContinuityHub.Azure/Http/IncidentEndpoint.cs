using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// <c>GET /api/incidents/{key}</c>, the same in both hosts: 200 with the incident, its event log and its latest
/// assessment and the alerts to crisis teams (<see cref="IncidentView"/>), or a 404 problem when the hub holds no incident with that key.
/// </summary>
public sealed class IncidentEndpoint(IIncidentStore store, IAlertStore alerts, INotificationLedger ledger, ILogger<IncidentEndpoint> logger)
{
    /// <summary>The route below the <c>api</c> prefix.</summary>
    public const string Route = "incidents/{key}";

    /// <summary>Where an incident is read: <c>/api/incidents/{key}</c> with the key URL-escaped.</summary>
    public static string Location(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "/api/incidents/" + Uri.EscapeDataString(key);
    }

    public async Task<IResult> GetAsync(string key, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            // An incident key never holds what Table Storage keys forbid (IncidentKey escapes it), so such a key is simply unknown.
            var history = IsPossibleKey(key) ? await store.GetHistoryAsync(key, cancellationToken) : null;
            var alerted = history is null ? [] : await alerts.ListAlertsAsync(key, cancellationToken);
            return history is null
                ? HttpProblems.Create(
                    request.HttpContext,
                    StatusCodes.Status404NotFound,
                    "Incident not found",
                    $"The hub holds no incident with the key '{key}'. Keys are '{{source}}~{{id}}' as the intake answered them (incidentKey, Location).")
                : TypedResults.Ok(IncidentView.From(history, alerted) with
                {
                    Reactions = await ReactionsAsync(history.Incident, alerted, cancellationToken),
                    Automations = [.. (await alerts.ListRunsAsync(key, cancellationToken)).Select(AutomationView.From)],
                });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, request.HttpContext, logger);
        }
    }

    /// <summary>The incident's write-back notes and automation requests in the ledger, oldest first, from its first change to its last change or decision.</summary>
    private async Task<IReadOnlyList<ReactionView>> ReactionsAsync(StoredIncident incident, IReadOnlyList<PlanAlert> alerted, CancellationToken cancellationToken)
    {
        var records = await ReactionLedger.ListAsync(ledger, incident.Incident.Key, incident.FirstSeen, incident.LastChangedWith(alerted), cancellationToken);
        return [.. records.Select(ReactionView.From)];
    }

    private static bool IsPossibleKey(string? key) =>
        !string.IsNullOrWhiteSpace(key) && key.Length <= 1024 && !key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
