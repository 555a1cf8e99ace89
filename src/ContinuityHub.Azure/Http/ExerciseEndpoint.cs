using System.Text.Json;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// Exercises played on the hub, the same in both hosts (a function key in Azure, <c>Serve:ApiKey</c> in
/// <c>hub serve</c>): <c>POST /api/exercises/{id}/start</c> (optional body <c>{"speed": 60, "by": "…"}</c>) 202 with
/// the run and <c>Location</c>, 404 unknown, 400 without a scenario or with a speed out of range, 409 while a run goes;
/// <c>POST /api/exercises/{id}/end</c> 202 (the exercise timer ends it: resolves, reports, records), 404, 409 when
/// none runs; <c>GET /api/exercises/{id}</c> 200 with the exercise's record and its runs, latest first.
/// </summary>
public sealed class ExerciseEndpoint(ExerciseRunService exercises, ICatalogProvider catalogs, ILogger<ExerciseEndpoint> logger)
{
    public const string ItemRoute = "exercises/{id}";
    public const string StartRoute = "exercises/{id}/start";
    public const string EndRoute = "exercises/{id}/end";

    private const int MaxBodyBytes = 4 * 1024;

    /// <summary>Where an exercise is: <c>/api/exercises/{id}</c> with the id URL-escaped.</summary>
    public static string Location(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return "/api/exercises/" + Uri.EscapeDataString(id);
    }

    public async Task<IResult> StartAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            var (speed, by) = await ReadAsync(request, cancellationToken);
            var result = await exercises.StartAsync(id, speed ?? 1, by ?? "api", cancellationToken);
            return result.Outcome switch
            {
                ExerciseStartOutcome.Started => TypedResults.Accepted(Location(id), await ViewAsync(result.Run!, cancellationToken)),
                ExerciseStartOutcome.NoScenario => HttpProblems.Create(
                    context, StatusCodes.Status400BadRequest, "Exercise without a scenario", $"'{id}' has no scenario: give it one under scenario: in the catalogue and import it."),
                ExerciseStartOutcome.AlreadyRunning => HttpProblems.Create(
                    context, StatusCodes.Status409Conflict, "Exercise running", $"'{id}' is running (run {result.Run?.RunId}); end it first (POST {Location(id)}/end)."),
                _ => NotFound(context, id),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    public async Task<IResult> EndAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            var (_, by) = await ReadAsync(request, cancellationToken);
            var result = await exercises.RequestEndAsync(id, by ?? "api", cancellationToken);
            return result.Outcome switch
            {
                ExerciseEndOutcome.Requested => TypedResults.Accepted(Location(id), await ViewAsync(result.Run!, cancellationToken)),
                ExerciseEndOutcome.NotRunning => HttpProblems.Create(
                    context, StatusCodes.Status409Conflict, "Exercise not running", $"No run of '{id}' is going; start one with POST {Location(id)}/start."),
                _ => NotFound(context, id),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    public async Task<IResult> GetAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            var catalog = (await catalogs.GetAsync(cancellationToken)).Catalog;
            var exercise = catalog.Exercises.FirstOrDefault(e => e.Id == id);
            var runs = await exercises.ListAsync(id, cancellationToken);
            if (exercise is null && runs.Count == 0)
            {
                return NotFound(context, id);
            }

            var scenario = exercise?.Scenario ?? [];
            return TypedResults.Ok(new
            {
                exerciseId = id,
                plan = exercise?.Plan ?? runs[0].Plan,
                scheduled = exercise?.Scheduled,
                completed = exercise?.Completed,
                result = exercise?.Result?.ToString(),
                achievedRecovery = exercise?.AchievedRecovery is { } achieved ? System.Xml.XmlConvert.ToString(achieved) : null,
                injects = scenario.Count(i => !i.Resolve),
                runs = runs.Select(r => ExerciseRunView.From(r, scenario)).ToList(),
            });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(HttpContext context, string id) =>
        HttpProblems.Create(context, StatusCodes.Status404NotFound, "Exercise not found", $"The catalogue has no exercise '{id}'.");

    private async Task<ExerciseRunView> ViewAsync(ExerciseRun run, CancellationToken cancellationToken)
    {
        var exercise = (await catalogs.GetAsync(cancellationToken)).Catalog.Exercises.FirstOrDefault(e => e.Id == run.ExerciseId);
        return ExerciseRunView.From(run, exercise?.Scenario ?? []);
    }

    /// <summary>The optional body: <c>speed</c> (a whole number) and <c>by</c> (who), each optional; anything else is refused by name.</summary>
    private static async Task<(int? Speed, string? By)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } bytes)
        {
            throw new HubValidationException(string.Empty, $"the body holds at most {MaxBodyBytes} bytes");
        }

        if (bytes.IsEmpty)
        {
            return (null, null);
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new HubValidationException(string.Empty, $"not JSON: {e.Message}");
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HubValidationException(string.Empty, "must be a JSON object");
            }

            int? speed = null;
            string? by = null;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "speed" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var value):
                        speed = value;
                        break;
                    case "speed":
                        throw new HubValidationException("speed", "must be a whole number from 1 (real time) to " + ExerciseRunService.MaxSpeed);
                    case "by" when property.Value.ValueKind == JsonValueKind.String:
                        by = property.Value.GetString();
                        break;
                    case "by":
                        throw new HubValidationException("by", "must be a string: who starts or ends the exercise");
                    default:
                        throw new HubValidationException(property.Name, "is not a field of this request (speed, by)");
                }
            }

            return (speed, by);
        }
    }
}
