using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>
/// Exercises played on the hub: started, ended and read, behind a function key as the incident read. Each body hands
/// the request to the endpoint <c>hub serve</c> maps too; the <c>PlayExercises</c> timer plays the injects.
/// </summary>
public sealed class ExerciseFunctions(ExerciseEndpoint exercises)
{
    /// <summary><c>POST /api/exercises/{id}/start</c>: 202 with the run, 400 without a scenario, 404 unknown, 409 while one runs.</summary>
    [Function(nameof(StartExercise))]
    public Task<IResult> StartExercise(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ExerciseEndpoint.StartRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        exercises.StartAsync(id, request, cancellationToken);

    /// <summary><c>POST /api/exercises/{id}/end</c>: 202 (the timer resolves what is open and writes the after-action report), 404, 409 when none runs.</summary>
    [Function(nameof(EndExercise))]
    public Task<IResult> EndExercise(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ExerciseEndpoint.EndRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        exercises.EndAsync(id, request, cancellationToken);

    /// <summary><c>GET /api/exercises/{id}</c>: the exercise's record and its runs, latest first.</summary>
    [Function(nameof(GetExercise))]
    public Task<IResult> GetExercise(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ExerciseEndpoint.ItemRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        exercises.GetAsync(id, request, cancellationToken);
}
