using System.Text.Json;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// The maintenance routes, the same in both hosts (a function key in Azure, <c>Serve:ApiKey</c> in <c>hub serve</c>,
/// as the incident read): <c>POST /api/maintenance</c> (the catalogue YAML's keys as JSON) 201 with the window and
/// <c>Location</c>, a 400 problem naming each field the catalogue's rules refuse, 409 when the id is taken;
/// <c>GET /api/maintenance</c> 200 with every window (<see cref="MaintenanceView"/>); <c>DELETE /api/maintenance/{id}</c>
/// 204 for a window added here, 404 unknown, 409 for one the catalogue declares.
/// </summary>
public sealed class MaintenanceEndpoint(MaintenanceService maintenance, ILogger<MaintenanceEndpoint> logger)
{
    public const string Route = "maintenance";
    public const string ItemRoute = "maintenance/{id}";

    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>Where a window is: <c>/api/maintenance/{id}</c> with the id URL-escaped.</summary>
    public static string Location(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return "/api/maintenance/" + Uri.EscapeDataString(id);
    }

    public async Task<IResult> AddAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } bytes)
            {
                return HttpProblems.Create(context, StatusCodes.Status413PayloadTooLarge, "Maintenance window too large", $"A maintenance window holds at most {MaxBodyBytes} bytes.");
            }

            MaintenanceWindow window;
            try
            {
                using var json = JsonDocument.Parse(bytes);
                window = MaintenanceRequest.Parse(json.RootElement);
            }
            catch (JsonException e)
            {
                throw new HubValidationException(string.Empty, $"not JSON: {e.Message}");
            }

            var result = await maintenance.AddAsync(window, cancellationToken);
            return result.Added is { } added
                ? TypedResults.Created(Location(window.Id), MaintenanceView.From(added))
                : HttpProblems.Create(
                    context,
                    StatusCodes.Status409Conflict,
                    "Maintenance window exists",
                    result.TakenBy == MaintenanceOrigin.Catalogue
                        ? $"'{window.Id}' is declared in the catalogue; give the new window another id."
                        : $"'{window.Id}' was added already; cancel it (DELETE {Location(window.Id)}) or give the new window another id.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return TypedResults.Ok((await maintenance.ListAsync(cancellationToken)).Select(MaintenanceView.From).ToList());
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, request.HttpContext, logger);
        }
    }

    public async Task<IResult> CancelAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            return await maintenance.CancelAsync(id, cancellationToken) switch
            {
                MaintenanceCancelOutcome.Cancelled => TypedResults.NoContent(),
                MaintenanceCancelOutcome.InCatalogue => HttpProblems.Create(
                    context, StatusCodes.Status409Conflict, "Maintenance window in the catalogue", $"'{id}' is {CancelRefusal}."),
                _ => HttpProblems.Create(context, StatusCodes.Status404NotFound, "Maintenance window not found", $"No maintenance window has the id '{id}'."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    /// <summary>Why a catalogue window is not cancelled here (the CLI says it too).</summary>
    public const string CancelRefusal = "declared in the catalogue: remove it there and import";
}
