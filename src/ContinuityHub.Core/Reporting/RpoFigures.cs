using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;

namespace ContinuityHub.Reporting;

/// <summary>The RPO part of the report: the exposures a source read, and the heartbeat incidents of the histories.</summary>
internal static class RpoFigures
{
    public static RpoSummary Compute(ContinuityCatalog catalog, IReadOnlyList<IncidentHistory> histories, IReadOnlyList<RpoExposure> exposures, DateOnly periodStart, DateOnly reportDate)
    {
        var from = new DateTimeOffset(periodStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(reportDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var events = histories.Where(h => h.Incident.Incident.Source == AliasSource.Heartbeat).SelectMany(h => Events(h, from, until)).ToList();
        events.Sort(static (a, b) => a.RecoveryPointAt != b.RecoveryPointAt ? a.RecoveryPointAt.CompareTo(b.RecoveryPointAt) : string.CompareOrdinal(a.IncidentKey, b.IncidentKey));
        return new RpoSummary(Services(catalog, exposures), events);
    }

    // The catalogue's services that declare heartbeats, in its order, each with the exposure the source gave it (if any).
    private static List<RpoExposure> Services(ContinuityCatalog catalog, IReadOnlyList<RpoExposure> exposures)
    {
        var byId = new Dictionary<string, RpoExposure>(exposures.Count, StringComparer.Ordinal);
        foreach (var exposure in exposures)
        {
            byId.TryAdd(exposure.Service, exposure);
        }

        var rows = new List<RpoExposure>(byId.Count);
        foreach (var service in catalog.Services)
        {
            if (service.Heartbeats.Count > 0 && byId.Remove(service.Id, out var exposure))
            {
                rows.Add(exposure);
            }
        }

        return rows;
    }

    /// <summary>
    /// One event per time the heartbeat's incident was raised in the period: its first outage, and each reopen (a new
    /// recovery point at risk); the worst level is the highest assessment from that start to its resolution.
    /// </summary>
    private static IEnumerable<RpoEvent> Events(IncidentHistory history, DateTimeOffset from, DateTimeOffset until)
    {
        var incident = history.Incident.Incident;
        var (service, heartbeat) = Parts(incident);
        var outages = incident.EarlierOutages
            .Select(o => (o.Start, End: (DateTimeOffset?)o.End))
            .Append((incident.StartedAt, End: IncidentFigures.CurrentResolvedAt(history)))
            .ToList();
        DateTimeOffset? previousEnd = null;
        for (var i = 0; i < outages.Count; i++)
        {
            var (start, end) = outages[i];
            if (start >= from && start < until)
            {
                var raised = i == 0 ? history.Incident.FirstSeen : ReopenedAt(history, previousEnd!.Value) ?? start;
                var worst = history.Assessments
                    .Where(a => a.At >= start && (end is null || a.At <= end))
                    .Select(a => a.Level)
                    .Append(end is null ? history.Incident.Level : AssessmentLevel.None)
                    .Max();
                yield return new RpoEvent(
                    incident.Key,
                    service,
                    heartbeat,
                    worst >= AssessmentLevel.RecommendInvocation ? RpoLevel.Breached : RpoLevel.AtRisk,
                    start,
                    raised,
                    end);
            }

            previousEnd = end;
        }
    }

    // The delivery that opened the incident again after an earlier outage's end.
    private static DateTimeOffset? ReopenedAt(IncidentHistory history, DateTimeOffset after) =>
        history.Events.Where(e => e.State is Incidents.IncidentState.Open or Incidents.IncidentState.Mitigated && e.ReceivedAt >= after)
            .Select(e => (DateTimeOffset?)e.ReceivedAt)
            .Min();

    // heartbeat~{service}~{name}: the key's parts, else the external id's.
    private static (string Service, string Heartbeat) Parts(Incidents.Incident incident)
    {
        var parts = incident.Key.Split('~');
        if (parts.Length == 3)
        {
            return (Incidents.IncidentKey.Unescape(parts[1]), Incidents.IncidentKey.Unescape(parts[2]));
        }

        var id = incident.ExternalId.Split('~', 2);
        return (id[0], id.Length == 2 ? id[1] : string.Empty);
    }
}
