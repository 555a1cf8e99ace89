using System.Text.Json;
using ContinuityHub.Azure.ServiceBus;
using ContinuityHub.Notifications;

namespace ContinuityHub.Local;

/// <summary>
/// <c>hub serve</c>'s events topic when no Service Bus is configured: each <see cref="PlanInvoked"/> is written to
/// <c>Events:SinkDirectory</c> (default <c>./events-sink/</c>) as the CloudEvents JSON the topic would carry, one file
/// per event, named by the event id so a retry rewrites the same file, as the topic's duplicate detection drops it.
/// </summary>
public sealed class LocalEventSink(string directory) : IEventPublisher
{
    public const string Setting = "Events:SinkDirectory";

    public const string DefaultDirectory = "./events-sink/";

    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    public string Directory { get; } = directory;

    public async Task PublishAsync(PlanInvoked planInvoked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planInvoked);
        var message = ServiceBusEventPublisher.ToMessage(planInvoked);
        using var cloudEvent = JsonDocument.Parse(message.Body.ToMemory());
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{planInvoked.DecidedAt.UtcDateTime:yyyyMMdd'T'HHmmss}-PlanInvoked-{Safe(planInvoked.Plan)}-{Safe(planInvoked.Id)}.json";
        await SinkFile.WriteAllTextAsync(Path.Combine(Directory, name), JsonSerializer.Serialize(cloudEvent.RootElement, _indented), cancellationToken);
    }

    private static string Safe(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
}
