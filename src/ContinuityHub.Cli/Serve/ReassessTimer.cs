using ContinuityHub.Intake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// Re-assesses every open incident at start and then every <see cref="ServeSettings.ReassessEvery"/> on the
/// injected clock, as the Functions app's timer does; a failed run is logged and the next one comes as usual.
/// </summary>
internal sealed class ReassessTimer(ReassessService reassess, ServeSettings settings, TimeProvider time, ILogger<ReassessTimer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.ReassessEvery, time);
        do
        {
            try
            {
                var result = await reassess.ReassessOpenAsync(stoppingToken);
                if (result.Changed > 0 || result.Conflicts > 0)
                {
                    Log.Reassessed(logger, result.Open, result.Changed, result.Conflicts);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.ReassessFailed(logger, e, settings.ReassessEvery);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
