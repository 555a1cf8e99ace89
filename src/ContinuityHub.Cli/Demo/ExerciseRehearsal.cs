using System.Text.Json.Nodes;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Scheduling;
using ContinuityHub.Catalog;
using ContinuityHub.Exercises;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// <c>hub exercise run</c>: an exercise's scenario played at once on the embedded environment (the demo's) with a
/// simulated clock. The clock moves one reassessment interval at a time, running the hub's timers at each (reassess,
/// escalate, sweep) as the deployed hub would; each inject goes through the real intake at its offset, each scripted
/// decision through the decision link on the plan's latest card. The after-action report is built from what the hub
/// stored, so its figures are the hub's, not the script's.
/// </summary>
internal sealed class ExerciseRehearsal(DemoEnvironment environment, DemoClock clock, Exercise exercise, string output, Action<string> progress)
{
    private static readonly string[] _timers = ["ReassessOpenIncidents", "EscalateUnacknowledgedAlerts", "SweepNotificationOutbox"];

    private readonly SinkReader _sink = new(environment.Serve.Sink!.SinkDirectory!, output, environment.Catalog);
    private readonly Dictionary<string, JsonObject> _latestCard = new(StringComparer.Ordinal);
    private readonly List<InjectOutcome> _played = [];

    public async Task<AfterActionReport> PlayAsync(CancellationToken cancellationToken)
    {
        var services = environment.Serve.Services;
        var player = new ExercisePlayer(services.GetRequiredService<IntakeService>());
        var start = clock.GetUtcNow();
        var mark = ExercisePlayer.MarkOf(exercise, start);
        var tick = environment.Catalog.Policy.ReassessEvery < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : environment.Catalog.Policy.ReassessEvery;

        // Injects before decisions at the same offset: a decision answers what the hub has just said.
        var events = exercise.Scenario.Select((inject, i) => (inject.At, Order: 0, Index: i))
            .Concat(exercise.Decisions.Select((d, i) => (d.At, Order: 1, Index: i)))
            .OrderBy(e => e.At).ThenBy(e => e.Order).ThenBy(e => e.Index)
            .ToList();
        var next = start;
        foreach (var (at, order, index) in events)
        {
            while (next + tick < start + at)
            {
                next += tick;
                clock.AdvanceTo(next);
                await TimersAsync(cancellationToken);
            }

            clock.AdvanceTo(start + at);
            if (order == 0)
            {
                var outcome = await player.PlayAsync(exercise, mark, start, index, cancellationToken);
                _played.Add(outcome);
                progress($"+{HumanText.Duration(at)} {outcome.Text}");
            }
            else
            {
                progress($"+{HumanText.Duration(at)} {await DecideAsync(exercise.Decisions[index], cancellationToken)}");
            }

            await DeliveredAsync(cancellationToken);
        }

        // One more turn of the timers: what the last event set off is delivered.
        clock.Advance(tick);
        await TimersAsync(cancellationToken);
        var incidents = new List<ExerciseIncident>();
        var store = services.GetRequiredService<IIncidentStore>();
        var alerts = services.GetRequiredService<IAlertStore>();
        foreach (var key in exercise.Scenario.Where(i => !i.Resolve).Select(i => ExercisePlayer.KeyOf(mark, i)).Distinct(StringComparer.Ordinal))
        {
            if (await store.GetHistoryAsync(key, cancellationToken) is { } history)
            {
                incidents.Add(new ExerciseIncident(history, await alerts.ListAlertsAsync(key, cancellationToken), await alerts.ListRunsAsync(key, cancellationToken), await alerts.ListTokensAsync(key, cancellationToken)));
            }
        }

        // The exercise ends with the scenario's end of outage, or with the last thing played.
        var end = start + (exercise.Scenario.Where(i => i.Resolve).Select(i => (TimeSpan?)i.At).Max() ?? events[^1].At);
        return AfterActionReports.Build(exercise, environment.Catalog, start, end, _played, incidents);
    }

    private async Task TimersAsync(CancellationToken cancellationToken)
    {
        var work = environment.Serve.Services.GetServices<IScheduledWork>().ToList();
        foreach (var name in _timers)
        {
            await work.Single(w => w.Name == name).RunAsync(cancellationToken);
        }

        await DeliveredAsync(cancellationToken);
    }

    /// <summary>Waits for the deliveries the last change set off and keeps each plan's latest card (its links are the decisions').</summary>
    private async Task DeliveredAsync(CancellationToken cancellationToken)
    {
        await environment.Serve.Services.GetRequiredService<BackgroundOutboxDispatcher>().WhenIdleAsync(cancellationToken);
        foreach (var request in _sink.Next().Where(r => r.IsCard))
        {
            if (_sink.PlanOf(request) is { Length: > 0 } plan && request.Record["cards"]![0] is JsonObject card)
            {
                _latestCard[plan] = card;
            }
        }
    }

    /// <summary>Presses the decision's button on the plan's latest card (the signed link the crisis team would use).</summary>
    private async Task<string> DecideAsync(ScriptedDecision decision, CancellationToken cancellationToken)
    {
        var title = decision.Action switch
        {
            DecisionAction.Acknowledge => "Acknowledge",
            DecisionAction.Invoke => "Invoke plan",
            _ => "Stand down",
        };
        var link = _latestCard.TryGetValue(decision.Plan, out var card)
            ? (card["actions"] as JsonArray)?.FirstOrDefault(a => (string?)a?["title"] == title)?["url"]?.GetValue<string>()
            : null;
        if (link is null)
        {
            return $"{decision.By} would {decision.Action} {decision.Plan}, but no card of it offers '{title}'";
        }

        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent([new("by", decision.By)]);
        using var response = await http.PostAsync(new Uri(link), form, cancellationToken);
        return $"{decision.By} pressed '{title}' on the card of {decision.Plan}: {(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
