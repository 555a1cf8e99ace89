using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// The Functions app's escalation and outbox-sweep timers, in-process: every <see cref="ServeSettings.ReassessEvery"/>
/// on the injected clock, unacknowledged alerts move up a tier and whatever the outbox still holds is delivered.
/// A failed run is logged and the next one comes as usual.
/// </summary>
internal sealed class NotificationTimer(
    EscalationService escalation,
    NotificationSender sender,
    ServeSettings settings,
    TimeProvider time,
    ILogger<NotificationTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.ReassessEvery, time);
        do
        {
            try
            {
                await escalation.EscalateDueAsync(stoppingToken);
                await sender.SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.NotificationsFailed(logger, e, settings.ReassessEvery);
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
