using System.Collections.Concurrent;
using System.Threading.Channels;
using ContinuityHub.Intake;
using ContinuityHub.Notifications.Delivery;
using ContinuityHub.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Notifications;

/// <summary>
/// The intake's dispatcher in a running host: a delivery that wrote outbox entries is answered at once, and its
/// notifications go out right after, here, off the request path (the sweep remains the safety net for anything a
/// crash or an outage leaves). Each incident waits here at most once: a second delivery of an incident already
/// waiting adds nothing, its entries go out with the first. Not started (a one-shot CLI command), it delivers inline.
/// The sender is resolved on first use, so a malformed notification setting stops the host through the options
/// validation at start (one line naming it), not through the construction of this hosted service.
/// </summary>
public sealed partial class BackgroundOutboxDispatcher(IServiceProvider services, ILogger<BackgroundOutboxDispatcher> logger) : BackgroundService, IOutboxDispatcher
{
    /// <summary>Incidents delivered at the same time; Graph's own per-app limits are far above it.</summary>
    public const int Workers = 4;

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly ConcurrentDictionary<string, bool> _waiting = new(StringComparer.Ordinal);
    private readonly object _idleLock = new();
    private readonly KeyedGate _gate = new();
    private int _inFlight;
    private volatile bool _running;
    private TaskCompletionSource _idle = NewIdle(completed: true);
    private NotificationSender? _sender;

    private NotificationSender Sender => _sender ??= services.GetRequiredService<NotificationSender>();

    public Task DispatchAsync(string incidentKey, CancellationToken cancellationToken)
    {
        if (!_running)
        {
            return Sender.DispatchAsync(incidentKey, cancellationToken);
        }

        if (_waiting.TryAdd(incidentKey, true))
        {
            lock (_idleLock)
            {
                if (_inFlight++ == 0)
                {
                    _idle = NewIdle(completed: false);
                }
            }

            if (!_queue.Writer.TryWrite(incidentKey))
            {
                // Stopping: the entries stay in the outbox for the sweep.
                _waiting.TryRemove(incidentKey, out _);
                Done();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes when nothing is waiting or being delivered (for the demo and tests).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_idleLock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _running = true;
        return Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.SetResult();
        }

        return idle;
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var key in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                _waiting.TryRemove(key, out _);
                try
                {
                    // One incident at a time: a key queued again while it is being delivered waits, so its plans'
                    // notifications keep their order.
                    using (await _gate.EnterAsync(key, stoppingToken))
                    {
                        await Sender.DispatchAsync(key, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // The entries stay pending; the sweep delivers them.
                    Log.DispatchFailed(logger, e, key);
                }
                finally
                {
                    Done();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued stays in the outbox for the sweep.
        }
    }

    private void Done()
    {
        lock (_idleLock)
        {
            if (--_inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2290, Level = LogLevel.Warning, Message = "Delivering the outbox of incident {IncidentKey} after its intake failed; the sweep will deliver it")]
        public static partial void DispatchFailed(ILogger logger, Exception exception, string incidentKey);
    }
}
