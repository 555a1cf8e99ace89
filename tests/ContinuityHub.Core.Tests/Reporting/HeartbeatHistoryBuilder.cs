using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Heartbeats;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>
/// The history of a heartbeat's RPO incident (<c>heartbeat~{service}~{heartbeat}</c>) as the intake keeps it: each
/// time it was raised an outage from its recovery point, raised at Alert, maybe breached (RecommendInvocation), maybe
/// resolved (None); raised again, the incident reopens and the earlier outages are kept.
/// </summary>
internal sealed class HeartbeatHistoryBuilder(string service = "ledger-db", string heartbeat = "dc2-log-shipping")
{
    private readonly List<Raise> _raises = [];

    private sealed record Raise(DateTimeOffset RecoveryPoint, TimeSpan RaisedAfter, TimeSpan? BreachedAfter, TimeSpan? ResolvedAfter);

    /// <summary>Raised <paramref name="raisedAfter"/> the recovery point; breached and resolved after it when given.</summary>
    public HeartbeatHistoryBuilder Raised(DateTimeOffset recoveryPoint, TimeSpan raisedAfter, TimeSpan? breachedAfter = null, TimeSpan? resolvedAfter = null)
    {
        _raises.Add(new Raise(recoveryPoint, raisedAfter, breachedAfter, resolvedAfter));
        return this;
    }

    public IncidentHistory Build()
    {
        var last = _raises[^1];
        var earlier = _raises.SkipLast(1).Select(r => new Outage(r.RecoveryPoint, r.RecoveryPoint + r.ResolvedAfter!.Value)).ToList();
        var resolved = last.ResolvedAfter is { } after ? last.RecoveryPoint + after : (DateTimeOffset?)null;
        var incident = new Incident(
            HeartbeatService.IncidentKeyOf(service, heartbeat),
            AliasSource.Heartbeat,
            service + "~" + heartbeat,
            $"RPO at risk: {service} ({heartbeat})",
            Priority.P2,
            false,
            resolved is null ? IncidentState.Open : IncidentState.Resolved,
            last.RecoveryPoint,
            null,
            [service],
            null)
        {
            EarlierOutages = earlier,
            ResolvedAt = resolved,
        };

        var events = new List<IncidentEvent>();
        var assessments = new List<AssessmentEntry>();
        foreach (var raise in _raises)
        {
            var raisedAt = raise.RecoveryPoint + raise.RaisedAfter;
            events.Add(new IncidentEvent($"open-{events.Count}", raisedAt, IntakeChannel.Timer, "intake-archive/open.json", IncidentState.Open, Priority.P2, incident.Title));
            assessments.Add(Assessed(incident, raisedAt, AssessmentLevel.Alert));
            if (raise.BreachedAfter is { } breached)
            {
                assessments.Add(Assessed(incident, raise.RecoveryPoint + breached, AssessmentLevel.RecommendInvocation));
            }

            if (raise.ResolvedAfter is { } resolvedAfter)
            {
                events.Add(new IncidentEvent($"resolved-{events.Count}", raise.RecoveryPoint + resolvedAfter, IntakeChannel.Timer, "intake-archive/resolved.json", IncidentState.Resolved, Priority.P2, incident.Title));
                assessments.Add(Assessed(incident, raise.RecoveryPoint + resolvedAfter, AssessmentLevel.None));
            }
        }

        var first = _raises[0];
        var stored = new StoredIncident(
            incident,
            assessments[^1].Level,
            assessments[^1].Assessment,
            first.RecoveryPoint + first.RaisedAfter,
            events[^1].ReceivedAt,
            [],
            "etag");
        return new IncidentHistory(stored, events, assessments);
    }

    private static AssessmentEntry Assessed(Incident incident, DateTimeOffset at, AssessmentLevel level) =>
        new(at, level, new AssessmentDocument(level.ToString(), AssessmentJson.ToDocument(incident), AssessmentJson.Time(at), [], [], [], []));
}
