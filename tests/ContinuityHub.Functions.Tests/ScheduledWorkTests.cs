using System.Reflection;
using ContinuityHub.Azure.Scheduling;
using ContinuityHub.Testing;
using Microsoft.Azure.Functions.Worker;
using static ContinuityHub.Functions.Tests.TeamsHarness;

namespace ContinuityHub.Functions.Tests;

/// <summary>The Functions timers and `hub serve` run one list of scheduled work, on the same settings.</summary>
public sealed class ScheduledWorkTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TeamsHarness _h = null!;

    public async ValueTask InitializeAsync() =>
        _h = await TeamsHarness.StartAsync(azurite, CrisisTeamCatalog.Create(), new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void Every_timer_function_runs_one_scheduled_work_of_the_list_serve_runs_on_its_schedule_setting()
    {
        var timers = typeof(TimerFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>()?.Name, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(t => t.Function is not null && t.Trigger is not null)
            .ToDictionary(t => t.Function!, t => t.Trigger!.Schedule);

        var work = _h.Get<IEnumerable<IScheduledWork>>().ToDictionary(w => w.Name, w => $"%{w.ScheduleSetting}%");

        Assert.Equal(9, timers.Count);
        Assert.Equal(timers.OrderBy(t => t.Key), work.OrderBy(w => w.Key));
    }

    [Fact]
    public async Task The_report_timer_writes_todays_report_and_the_sweep_retries_its_card()
    {
        _h.Graph.Fail(4, 503, TimeSpan.Zero); // Teams is out for the report's own run
        _h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero));

        await _h.Timers().WriteContinuityReport(new TimerInfo(), Context());
        Assert.Empty(_h.Graph.DeliveredTo($"/channels/{ContinuityChannel}/messages"));
        await _h.SweepAsync();

        Assert.Contains("Continuity report — 30 Nov 2026", CardOf(Assert.Single(_h.Graph.DeliveredTo($"/channels/{ContinuityChannel}/messages"))), StringComparison.Ordinal);
    }
}
