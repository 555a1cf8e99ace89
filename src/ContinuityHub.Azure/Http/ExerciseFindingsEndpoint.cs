using System.Text.Json;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>A finding as the findings routes and <c>hub exercise findings list --json</c> show it.</summary>
public sealed record FindingView(string ExerciseId, string Plan, string Id, string Text, string Owner, DateOnly Due, DateOnly? Closed, string Origin, bool Overdue)
{
    public static FindingView From(Exercise exercise, Finding finding, bool added, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        ArgumentNullException.ThrowIfNull(finding);
        return new FindingView(exercise.Id, exercise.Plan, finding.Id, finding.Text, finding.Owner, finding.Due, finding.Closed, added ? "api" : "catalogue", finding.Closed is null && finding.Due < today);
    }
}

/// <summary>
/// An exercise's findings, the same in both hosts (a function key in Azure, <c>Serve:ApiKey</c> in <c>hub serve</c>):
/// <c>POST /api/exercises/{id}/findings</c> (<c>{"id"?, "text", "owner", "due"}</c>) 201 with the finding and its
/// <c>Location</c>, 400 naming each field, 404 unknown exercise, 409 id taken; <c>GET /api/exercises/{id}/findings</c>
/// 200 with the catalogue's and those added; <c>POST /api/exercises/{id}/findings/{findingId}/close</c> (optional
/// <c>{"closed": "yyyy-MM-dd"}</c>, default today) 200, 404, 409 for one the catalogue declares.
/// </summary>
public sealed class ExerciseFindingsEndpoint(FindingService findings, ICatalogStore catalogs, IFindingStore stored, TimeProvider time, ILogger<ExerciseFindingsEndpoint> logger)
{
    public const string Route = "exercises/{id}/findings";
    public const string CloseRoute = "exercises/{id}/findings/{findingId}/close";

    private const int MaxBodyBytes = 8 * 1024;

    public async Task<IResult> AddAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            var body = await ReadAsync(request, ["id", "text", "owner", "due"], cancellationToken);
            var result = await findings.AddAsync(id, body.GetValueOrDefault("id"), body.GetValueOrDefault("text"), body.GetValueOrDefault("owner"), body.GetValueOrDefault("due"), cancellationToken);
            return result.Outcome switch
            {
                FindingAddOutcome.Added => TypedResults.Created(
                    $"{ExerciseEndpoint.Location(id)}/findings/{Uri.EscapeDataString(result.Finding!.Id)}",
                    await ViewAsync(id, result.Finding, added: true, cancellationToken)),
                FindingAddOutcome.Conflict => HttpProblems.Create(
                    context, StatusCodes.Status409Conflict, "Finding exists", $"'{body.GetValueOrDefault("id")}' is taken in exercise '{id}'; give the finding another id, or leave id out."),
                _ => NotFound(context, id),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    public async Task<IResult> ListAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var exercise = (await catalogs.LoadAsync(cancellationToken)).Exercises.FirstOrDefault(e => e.Id == id);
            if (exercise is null)
            {
                return NotFound(request.HttpContext, id);
            }

            var added = (await stored.ListAsync(FindingOrigin.Exercise, id, cancellationToken)).Select(f => f.Finding.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var today = Today();
            return TypedResults.Ok(exercise.Findings.Select(f => FindingView.From(exercise, f, added.Contains(f.Id), today)).ToList());
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, request.HttpContext, logger);
        }
    }

    public async Task<IResult> CloseAsync(string id, string findingId, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        try
        {
            var body = await ReadAsync(request, ["closed"], cancellationToken);
            DateOnly? on = null;
            if (body.GetValueOrDefault("closed") is { } text)
            {
                on = DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
                    ? date
                    : throw new HubValidationException("closed", $"'{text}' is not a date: expected yyyy-MM-dd");
            }

            var (outcome, finding) = await findings.CloseAsync(id, findingId, on, cancellationToken);
            return outcome switch
            {
                FindingCloseOutcome.Closed => TypedResults.Ok(await ViewAsync(id, finding!, added: true, cancellationToken)),
                FindingCloseOutcome.InCatalogue => HttpProblems.Create(
                    context, StatusCodes.Status409Conflict, "Finding in the catalogue", $"'{findingId}' is {CloseRefusal}."),
                _ => HttpProblems.Create(context, StatusCodes.Status404NotFound, "Finding not found", $"Exercise '{id}' has no finding '{findingId}'."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpProblems.FromException(e, context, logger);
        }
    }

    /// <summary>Why a catalogue finding is not closed here (the CLI says it too).</summary>
    public const string CloseRefusal = "declared in the catalogue: set its closed: date there and import";

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(HttpContext context, string id) =>
        HttpProblems.Create(context, StatusCodes.Status404NotFound, "Exercise not found", $"The catalogue has no exercise '{id}'.");

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private async Task<FindingView> ViewAsync(string id, Finding finding, bool added, CancellationToken cancellationToken)
    {
        var exercise = (await catalogs.LoadAsync(cancellationToken)).Exercises.First(e => e.Id == id);
        return FindingView.From(exercise, finding, added, Today());
    }

    /// <summary>The body's string fields among <paramref name="fields"/>; an empty body is none; any other field is refused by name.</summary>
    private static async Task<Dictionary<string, string>> ReadAsync(HttpRequest request, string[] fields, CancellationToken cancellationToken)
    {
        if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } bytes)
        {
            throw new HubValidationException(string.Empty, $"the body holds at most {MaxBodyBytes} bytes");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bytes.IsEmpty)
        {
            return values;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new HubValidationException(string.Empty, "must be a JSON object");
            }

            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new HubValidationException(property.Name, $"is not a field of this request ({string.Join(", ", fields)})");
                }

                values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : throw new HubValidationException(property.Name, "must be a string");
            }
        }
        catch (JsonException e)
        {
            throw new HubValidationException(string.Empty, $"not JSON: {e.Message}");
        }

        return values;
    }
}
