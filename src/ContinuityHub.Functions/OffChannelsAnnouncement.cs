using ContinuityHub.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Functions;

/// <summary>
/// Says once, when the worker starts, which optional delivery channels are off and which setting turns each on
/// ("bridge off: Graph:MeetingOrganizer is empty"): an unconfigured channel is off, not failing, so nothing else says it.
/// </summary>
internal sealed partial class OffChannelsAnnouncement(NotificationChannels channels, ILogger<OffChannelsAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var line in channels.OffLines())
        {
            ChannelOff(logger, line);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void ChannelOff(ILogger logger, string line);
}
