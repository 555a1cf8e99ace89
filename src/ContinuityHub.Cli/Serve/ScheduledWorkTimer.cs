using ContinuityHub.Azure.Scheduling;
using Cronos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary>How <c>hub serve</c> runs one scheduled work: at start and every <paramref name="Every"/>, or on an NCRONTAB schedule.</summary>
internal sealed record ServeSchedule(IScheduledWork Work, TimeSpan? Every, CronExpression? Cron, string Text)
{
    /// <summary>
    /// The work's own schedule setting (the one the Functions timer reads; the deployed default when absent), but
    /// for the minute-by-minute work (re-assess, escalate, sweep, the RPO clock), which runs at start and every
    /// <c>Serve:ReassessEvery</c> — every minute unless set, as deployed — so a laptop sees its incidents at once.
    /// </summary>
    /// <exception cref="HubValidationException">The schedule setting is not a six-field NCRONTAB expression.</exception>
    public static ServeSchedule For(IScheduledWork work, IConfiguration configuration, ServeSettings settings)
    {
        if (work is ReassessWork or EscalationWork or OutboxSweepWork or HeartbeatWork)
        {
            return new ServeSchedule(work, settings.ReassessEvery, null, "every " + HumanText.Duration(settings.ReassessEvery));
        }

        var text = configuration[work.ScheduleSetting] is { Length: > 0 } set ? set.Trim() : work.DefaultSchedule;
        try
        {
            return new ServeSchedule(work, null, CronExpression.Parse(text, CronFormat.IncludeSeconds), $"on {text} ({work.ScheduleSetting})");
        }
        catch (CronFormatException e)
        {
            throw new HubValidationException(work.ScheduleSetting, $"'{text}' is not an NCRONTAB schedule with seconds (e.g. 0 */5 * * * *): {e.Message}");
        }
    }
}

/// <summary>
/// Runs every scheduled work of the Functions app in-process, each on its own loop on the injected clock. A failed
/// run is logged and the next one comes as usual.
/// </summary>
internal sealed class ScheduledWorkTimer(IReadOnlyList<ServeSchedule> schedules, TimeProvider time, ILogger<ScheduledWorkTimer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(schedules.Select(s => LoopAsync(s, stoppingToken)));

    private async Task LoopAsync(ServeSchedule schedule, CancellationToken stoppingToken)
    {
        var first = schedule.Every is not null;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!first && !await WaitAsync(schedule, stoppingToken))
            {
                return;
            }

            first = false;
            try
            {
                await schedule.Work.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WorkFailed(logger, e, schedule.Work.Name, schedule.Text);
            }
        }
    }

    /// <summary>Until the next run; false when serve stops first (or the schedule never comes again).</summary>
    private async Task<bool> WaitAsync(ServeSchedule schedule, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var next = schedule.Every is { } every ? now + every : schedule.Cron!.GetNextOccurrence(now, TimeZoneInfo.Utc);
        if (next is not { } at)
        {
            return false;
        }

        try
        {
            await Task.Delay(at - now, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
