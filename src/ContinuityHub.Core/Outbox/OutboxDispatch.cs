namespace ContinuityHub.Outbox;

/// <summary>What a decision link does.</summary>
public enum DecisionAction
{
    Acknowledge,
    Invoke,
    StandDown,
}

/// <summary>Delivers an incident's pending outbox entries now (after the change that wrote them); the sweep catches up on the rest.</summary>
public interface IOutboxDispatcher
{
    /// <summary>Delivers what it can; never throws for a failed delivery (the entry stays pending for the sweep).</summary>
    Task DispatchAsync(string incidentKey, CancellationToken cancellationToken);
}
