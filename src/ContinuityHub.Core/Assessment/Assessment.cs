using ContinuityHub.Incidents;

namespace ContinuityHub.Assessment;

/// <summary>How far an incident has gone towards needing a continuity plan, lowest first.</summary>
public enum AssessmentLevel
{
    None,
    Monitor,
    Alert,
    RecommendInvocation,
    Invoke,
}

/// <summary>One impacted service and its invocation clock.</summary>
/// <param name="Direct">Named by the incident itself, rather than impacted through a dependency.</param>
/// <param name="Via">For a service impacted through a dependency: the service it depends on that brought the outage.</param>
/// <param name="LatestSafeInvocation">Start + RTO − the plan's recovery time: invoke by then or miss the RTO.</param>
/// <param name="Plan">The plan that would recover it: the Approved DisasterRecovery/BusinessRecovery plan with the longest recovery time.</param>
public sealed record ServiceClock(
    string Id,
    string Name,
    int Tier,
    bool Direct,
    string? Via,
    TimeSpan Elapsed,
    TimeSpan Projected,
    TimeSpan Rto,
    TimeSpan Mtpd,
    DateTimeOffset LatestSafeInvocation,
    string? Plan,
    AssessmentLevel Level);

/// <summary>The decision for an incident at a moment, with every reason that led to it.</summary>
public sealed record IncidentAssessment(
    AssessmentLevel Level,
    Incident Incident,
    DateTimeOffset At,
    IReadOnlyList<ServiceClock> ImpactedServices,
    IReadOnlyList<string> Plans,
    IReadOnlyList<string> UnknownAliases,
    IReadOnlyList<string> Reasons);
