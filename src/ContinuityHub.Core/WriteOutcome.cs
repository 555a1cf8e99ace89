namespace ContinuityHub;

/// <summary>What a conditional write of an aggregate's partition came to.</summary>
public enum WriteOutcome
{
    Written,

    /// <summary>The event's delivery key is already in the log: nothing was written.</summary>
    Duplicate,

    /// <summary>The incident row changed (or appeared) since it was read: nothing was written; read again and retry.</summary>
    Conflict,
}
