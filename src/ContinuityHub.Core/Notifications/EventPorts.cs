using ContinuityHub.Assessment;

namespace ContinuityHub.Notifications;

// Downstream events: implemented by ContinuityHub.Azure.ServiceBus.ServiceBusEventPublisher (topic continuity-events).

/// <summary>A plan was invoked, by a person or by the clock where the plan allows it.</summary>
/// <param name="Id">Deterministic per (incident, plan): the CloudEvent id and the Service Bus MessageId, so a retry is a duplicate.</param>
public sealed record PlanInvoked(
    string Id,
    string IncidentKey,
    string IncidentTitle,
    string Plan,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    AssessmentLevel Level,
    IReadOnlyList<string> Reasons)
{
    /// <summary>The exercise the invocation was part of (the event says <c>exercise: true</c>), or null for a real one.</summary>
    public string? Exercise { get; init; }
}

public interface IEventPublisher
{
    /// <summary>Publishes <c>PlanInvoked</c> as a CloudEvents 1.0 JSON message (type <c>ContinuityHub.PlanInvoked</c>).</summary>
    Task PublishAsync(PlanInvoked planInvoked, CancellationToken cancellationToken);
}
