using ContinuityHub.Catalog;

namespace ContinuityHub.Incidents.Parsing;

/// <summary>What a parser found, before <see cref="PayloadReader"/> checks it is complete and makes it an <see cref="Incident"/>.</summary>
internal sealed class IncidentDraft
{
    public string? ExternalId { get; init; }

    /// <summary>The payload field the id was read from (<c>event.data.id</c>), for a problem with it; <c>body</c> when unset.</summary>
    public string? ExternalIdPath { get; init; }

    public string? Title { get; init; }

    /// <summary>The priority the hub reads from the vendor's standard scheme; none is <see cref="Catalog.Priority.None"/>.</summary>
    public Priority? Priority { get; init; }

    /// <summary>The priority or severity name as the source sent it, for the policy's mapping.</summary>
    public string? SourcePriority { get; init; }

    /// <summary>Tags, labels, issue or incident types the policy may name as major markers.</summary>
    public IEnumerable<string?> Markers { get; init; } = [];

    /// <summary>The source says it is a major incident; P1 is major anyway.</summary>
    public bool Major { get; init; }

    public IncidentState State { get; init; } = IncidentState.Open;

    /// <summary>The payload does not say the state (<see cref="Incident.StateIsImplied"/>).</summary>
    public bool StateIsImplied { get; init; }

    /// <summary>When the source reopened the incident, if it says (<see cref="Incident.ReopenedAt"/>).</summary>
    public DateTimeOffset? ReopenedAt { get; init; }

    /// <summary>When the source resolved the incident, if it says (<see cref="Incident.ResolvedAt"/>).</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The start is only when this delivery's event happened (<see cref="Incident.StartedAtIsEventTime"/>).</summary>
    public bool StartedAtIsEventTime { get; init; }

    public DateTimeOffset? EstimatedRestoreAt { get; init; }

    /// <summary>As the source gave them: trimmed, emptied and de-duplicated on completion.</summary>
    public IEnumerable<string?> Aliases { get; init; } = [];

    /// <summary>Pairs of aliases above that name one thing (value and display value): one matching is enough.</summary>
    public IEnumerable<(string? Value, string? Display)> SameThing { get; init; } = [];

    public string? Link { get; init; }

    public string? EventId { get; init; }
}
