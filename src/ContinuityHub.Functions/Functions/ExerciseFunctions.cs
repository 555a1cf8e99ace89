using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>
/// Exercises played on the hub: started, ended and read, behind a function key as the incident read. Each body hands
/// the request to the endpoint <c>hub serve</c> maps too; the <c>PlayExercises</c> timer plays the injects.
/// </summary>
public sealed class ExerciseFunctions(ExerciseEndpoint exercises, ExerciseFindingsEndpoint findings)
{
    /// <summary><c>POST /api/exercises/{id}/findings</c>: 201 with the finding, 400 naming fields, 404 unknown exercise, 409 id taken.</summary>
    [Function(nameof(AddExerciseFinding))]
    public Task<IResult> AddExerciseFinding(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ExerciseFindingsEndpoint.Route)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        findings.AddAsync(id, request, cancellationToken);

    /// <summary><c>GET /api/exercises/{id}/findings</c>: the catalogue's findings and those added.</summary>
    [Function(nameof(ListExerciseFindings))]
    public Task<IResult> ListExerciseFindings(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ExerciseFindingsEndpoint.Route)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        findings.ListAsync(id, request, cancellationToken);

    /// <summary><c>POST /api/exercises/{id}/findings/{findingId}/close</c>: 200, 404, 409 for a catalogue finding.</summary>
    [Function(nameof(CloseExerciseFinding))]
    public Task<IResult> CloseExerciseFinding(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ExerciseFindingsEndpoint.CloseRoute)] HttpRequest request,
        string id,
        string findingId,
        CancellationToken cancellationToken) =>
        findings.CloseAsync(id, findingId, request, cancellationToken);

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
