namespace ContinuityHub.Notifications;

/// <summary>
/// The optional delivery channels and whether each is configured. A channel whose setting is empty is <em>off</em>:
/// its steps are skipped, it is said once at start-up (<see cref="OffLines"/>), and it is never a delivery problem.
/// Each reason names the setting that turns the channel on.
/// </summary>
/// <param name="BridgeOff">Why there is no bridge meeting, or null when there is one.</param>
/// <param name="MailOff">Why there is no e-mail fallback, or null when there is one.</param>
/// <param name="EventsOff">Why <c>PlanInvoked</c> is not published, or null when it is.</param>
public sealed record NotificationChannels(string? BridgeOff, string? MailOff, string? EventsOff)
{
    /// <summary>Every optional channel on.</summary>
    public static NotificationChannels AllOn { get; } = new(null, null, null);

    public bool Bridge => BridgeOff is null;

    public bool Mail => MailOff is null;

    public bool Events => EventsOff is null;

    /// <summary>Per source the hub could write notes back to but will not, why (e.g. <c>servicenow: Reactions:Sources:servicenow:BaseUrl or :Token is empty</c>).</summary>
    public IReadOnlyList<string> WriteBackOff { get; init; } = [];

    /// <summary>One line per channel that is off, e.g. <c>bridge off: Graph:MeetingOrganizer is empty</c>.</summary>
    public IEnumerable<string> OffLines()
    {
        if (BridgeOff is { } bridge)
        {
            yield return "bridge off: " + bridge;
        }

        if (MailOff is { } mail)
        {
            yield return "e-mail fallback off: " + mail;
        }

        if (EventsOff is { } events)
        {
            yield return "PlanInvoked events off: " + events;
        }

        foreach (var source in WriteBackOff)
        {
            yield return "write-back to " + source;
        }
    }
}
