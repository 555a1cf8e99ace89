using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using ContinuityHub.Intake;

namespace ContinuityHub.Exercises;

/// <summary>What one inject did: when, what it was, and the incident it went to (null for a resolve that found nothing open).</summary>
/// <param name="Text">One line: <c>azuremonitor: 'EXERCISE: Sev1 …' received (Alert)</c>, <c>End of outage: 2 incidents resolved</c>.</param>
public sealed record InjectOutcome(int Index, DateTimeOffset At, ExerciseInject Inject, IReadOnlyList<string> IncidentKeys, string Text);

/// <summary>
/// Plays an exercise's scenario through the real intake: each inject's payload with its times moved so that the
/// incident's own start falls at the inject's offset from the exercise's start, received as its source's delivery
/// marked with the exercise (<see cref="ExerciseMark"/>); a <c>resolve</c> resolves every incident of the run that is
/// still open. The assessment, notifications and decisions that follow are the hub's own.
/// </summary>
public sealed class ExercisePlayer(IntakeService intake)
{
    /// <summary>The run id of a playing that starts at <paramref name="start"/>: <c>20261210T090000Z</c>.</summary>
    public static string RunIdOf(DateTimeOffset start) => start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The mark every incident of a playing of <paramref name="exercise"/> that starts at <paramref name="start"/> carries.</summary>
    public static ExerciseMark MarkOf(Exercise exercise, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        return new ExerciseMark(exercise.Id, RunIdOf(start), exercise.Plan, exercise.Participants, exercise.LiveAutomations);
    }

    /// <summary>
    /// An inject's payload with every time in it moved so that the incident it describes starts at <paramref name="startAt"/>.
    /// </summary>
    /// <exception cref="HubValidationException">The payload is not one its source's parser reads.</exception>
    public static byte[] Shifted(AliasSource source, string payload, DateTimeOffset startAt)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var incident = IncidentParsers.Parse(source, payload);
        var root = JsonNode.Parse(payload) ?? throw new HubValidationException("payload", "is empty");
        return PayloadTimes.Shift(root, startAt - incident.StartedAt);
    }

    /// <summary>The key the incident of an inject has in a run (the same for every inject about the same record).</summary>
    public static string KeyOf(ExerciseMark mark, ExerciseInject inject)
    {
        ArgumentNullException.ThrowIfNull(mark);
        ArgumentNullException.ThrowIfNull(inject);
        return inject is { Source: { } source, Payload: { } payload } ? mark.KeyOf(IncidentParsers.Parse(source, payload).Key) : string.Empty;
    }

    /// <summary>Plays inject <paramref name="index"/> of <paramref name="exercise"/> now (its due time is the caller's).</summary>
    public Task<InjectOutcome> PlayAsync(Exercise exercise, ExerciseMark mark, DateTimeOffset start, int index, CancellationToken cancellationToken) =>
        PlayAsync(exercise, mark, start, index, 1, cancellationToken);

    /// <summary>
    /// Plays inject <paramref name="index"/> of <paramref name="exercise"/> now, the scenario's offsets divided by
    /// <paramref name="speed"/>: its payload dated <c>start + at / speed</c>.
    /// </summary>
    public async Task<InjectOutcome> PlayAsync(Exercise exercise, ExerciseMark mark, DateTimeOffset start, int index, int speed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        ArgumentNullException.ThrowIfNull(mark);
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1);
        var inject = exercise.Scenario[index];
        var at = start + (inject.At / speed);
        if (inject.Resolve)
        {
            var keys = new List<string>();
            foreach (var key in exercise.Scenario.Take(index).Where(i => !i.Resolve).Select(i => KeyOf(mark, i)).Distinct(StringComparer.Ordinal))
            {
                if (await intake.ResolveExerciseAsync(key, "the scenario's end of outage", cancellationToken) is not null)
                {
                    keys.Add(key);
                }
            }

            return new InjectOutcome(index, at, inject, keys, keys.Count == 0
                ? "End of outage: no incident of the exercise was still open"
                : string.Create(CultureInfo.InvariantCulture, $"End of outage: {keys.Count} incident(s) resolved"));
        }

        if (inject is not { Source: { } source, Payload: { } payload })
        {
            throw new HubValidationException($"scenario[{index}]", "has neither a payload nor resolve: true");
        }

        var body = Shifted(source, payload, at);
        var result = await intake.ReceiveAsync(new IntakeRequest(source, body, IntakeChannel.Exercise) { Exercise = mark }, cancellationToken);
        var title = IncidentParsers.Parse(source, Encoding.UTF8.GetString(body)).Title;
        return new InjectOutcome(index, at, inject, [result.IncidentKey], $"{CatalogNames.Name(source)}: '{title}' received (the hub's level: {result.Level})");
    }
}
