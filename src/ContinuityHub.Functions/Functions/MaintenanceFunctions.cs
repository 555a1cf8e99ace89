using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>
/// Maintenance windows added beside the catalogue's, listed and cancelled; behind a function key, as the incident
/// read. Each body hands the request to the endpoint <c>hub serve</c> maps too.
/// </summary>
public sealed class MaintenanceFunctions(MaintenanceEndpoint maintenance)
{
    /// <summary><c>POST /api/maintenance</c>: 201 with the window, 400 naming fields, 409 when the id is taken.</summary>
    [Function(nameof(AddMaintenanceWindow))]
    public Task<IResult> AddMaintenanceWindow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = MaintenanceEndpoint.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        maintenance.AddAsync(request, cancellationToken);

    /// <summary><c>GET /api/maintenance</c>: every window, with its origin and whether it holds now.</summary>
    [Function(nameof(ListMaintenanceWindows))]
    public Task<IResult> ListMaintenanceWindows(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = MaintenanceEndpoint.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        maintenance.ListAsync(request, cancellationToken);

    /// <summary><c>DELETE /api/maintenance/{id}</c>: 204, 404 unknown, 409 declared in the catalogue.</summary>
    [Function(nameof(CancelMaintenanceWindow))]
    public Task<IResult> CancelMaintenanceWindow(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = MaintenanceEndpoint.ItemRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        maintenance.CancelAsync(id, request, cancellationToken);
}
