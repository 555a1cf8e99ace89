using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>
/// The heartbeats backup and replication jobs report, and their pause and resume. Behind a function key at the host,
/// like the webhooks, and the endpoint checks the secret <c>Intake:Sources:heartbeat:Secret</c> in <c>X-Hub-Token</c>
/// (401 without it).
/// </summary>
public sealed class HeartbeatFunctions(HeartbeatEndpoint heartbeats)
{
    [Function(nameof(ReportHeartbeat))]
    public Task<IResult> ReportHeartbeat(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = HeartbeatEndpoint.Route)] HttpRequest request,
        string serviceId,
        string name,
        CancellationToken cancellationToken) =>
        heartbeats.BeatAsync(serviceId, name, request, cancellationToken);

    [Function(nameof(PauseHeartbeat))]
    public Task<IResult> PauseHeartbeat(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = HeartbeatEndpoint.PauseRoute)] HttpRequest request,
        string serviceId,
        string name,
        CancellationToken cancellationToken) =>
        heartbeats.PauseAsync(serviceId, name, request, cancellationToken);

    [Function(nameof(ResumeHeartbeat))]
    public Task<IResult> ResumeHeartbeat(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = HeartbeatEndpoint.ResumeRoute)] HttpRequest request,
        string serviceId,
        string name,
        CancellationToken cancellationToken) =>
        heartbeats.ResumeAsync(serviceId, name, request, cancellationToken);
}
