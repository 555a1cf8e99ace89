using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>
/// The webhook intake and the incident read, as HTTP-triggered functions (function keys apply in Azure). Each body
/// hands the request to the endpoint <c>hub serve</c> maps too, so the two hosts answer alike.
/// </summary>
public sealed class IntakeFunctions(IntakeEndpoint intake, IncidentEndpoint incidents)
{
    /// <summary><c>POST /api/intake/{source}</c>: 202 with the incident key and level, or a problem.</summary>
    [Function(nameof(ReceiveIncident))]
    public Task<IResult> ReceiveIncident(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = IntakeEndpoint.Route)] HttpRequest request,
        string source,
        CancellationToken cancellationToken) =>
        intake.HandleAsync(source, request, cancellationToken);

    /// <summary><c>GET /api/incidents/{key}</c>: the incident, its event log and latest assessment, or 404.</summary>
    [Function(nameof(GetIncident))]
    public Task<IResult> GetIncident(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = IncidentEndpoint.Route)] HttpRequest request,
        string key,
        CancellationToken cancellationToken) =>
        incidents.GetAsync(key, request, cancellationToken);
}
