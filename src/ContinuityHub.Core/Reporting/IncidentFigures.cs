using System.Xml;
using ContinuityHub.Assessment;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Reporting;

/// <summary>The incidents section and the calibration, read from incident histories.</summary>
internal static class IncidentFigures
{
    internal sealed record Result(IncidentSummary Summary, IReadOnlyList<CalibrationEntry> Calibration, int RecoveriesWithinRto, int Recoveries);

    public static Result Compute(IReadOnlyList<IncidentHistory> histories, DateOnly periodStart, DateOnly reportDate)
    {
        var from = new DateTimeOffset(periodStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(reportDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var lines = new List<IncidentLine>();
        var calibration = new List<CalibrationEntry>();
        var counts = new int[5];
        var toAlert = new List<TimeSpan>();
        var toDecision = new List<TimeSpan>();
        int invocations = 0, standDowns = 0, recoveries = 0, withinRto = 0;
        foreach (var history in histories)
        {
            var incident = history.Incident.Incident;
            var start = StartOf(incident);
            if (start < from || start >= until)
            {
                continue;
            }

            var highest = history.Incident.Level;
            AssessmentEntry? firstAlert = null;
            AssessmentEntry? decision = null;
            var stoodDown = false;
            var services = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            TimeSpan? tightestRto = null;
            foreach (var entry in history.Assessments.OrderBy(a => a.At))
            {
                highest = entry.Level > highest ? entry.Level : highest;
                if (entry.Level == AssessmentLevel.None && firstAlert is not null)
                {
                    stoodDown = true;
                }

                if (entry.Level >= AssessmentLevel.Alert)
                {
                    firstAlert ??= entry;
                }

                if (entry.Level >= AssessmentLevel.RecommendInvocation)
                {
                    decision ??= entry;
                }

                foreach (var clock in entry.Assessment.ImpactedServices)
                {
                    if (seen.Add(clock.Id))
                    {
                        services.Add(clock.Id);
                    }

                    if (TryDuration(clock.Rto, out var rto) && (tightestRto is null || rto < tightestRto))
                    {
                        tightestRto = rto;
                    }
                }
            }

            // A reopened incident was down for each of its outages: the total is its outage, the longest one is
            // what its recovery clock measured against the RTO.
            var resolvedAt = CurrentResolvedAt(history);
            TimeSpan? last = resolvedAt is { } r ? Since(incident.EarlierOutages.Count > 0 ? incident.StartedAt : start, r) : null;
            var earlier = incident.EarlierOutages.Select(o => Since(o.Start, o.End)).ToList();
            TimeSpan? outage = last is { } l ? earlier.Aggregate(l, static (sum, o) => sum + o) : null;
            TimeSpan? longest = last is { } l2 ? earlier.Aggregate(l2, static (max, o) => o > max ? o : max) : null;
            TimeSpan? timeToAlert = firstAlert is null ? null : Since(start, firstAlert.At);
            TimeSpan? timeToDecision = decision is null ? null : Since(start, decision.At);

            counts[(int)highest]++;
            invocations += highest == AssessmentLevel.Invoke ? 1 : 0;
            standDowns += stoodDown ? 1 : 0;
            if (timeToAlert is { } ta)
            {
                toAlert.Add(ta);
            }

            if (timeToDecision is { } td)
            {
                toDecision.Add(td);
            }

            bool? needed = longest is { } o && tightestRto is { } t ? o > t : null;
            if (needed is { } n)
            {
                recoveries++;
                withinRto += n ? 0 : 1;
            }

            lines.Add(new IncidentLine(
                incident.Key,
                incident.Title,
                incident.Priority.ToString(),
                start,
                highest,
                firstAlert?.At,
                timeToAlert,
                decision?.At,
                timeToDecision,
                resolvedAt,
                outage,
                stoodDown,
                services));

            if (firstAlert is not null)
            {
                var recommended = decision is not null;
                calibration.Add(new CalibrationEntry(
                    incident.Key,
                    incident.Title,
                    start,
                    firstAlert.At,
                    ProjectedAt(firstAlert) ?? timeToAlert!.Value,
                    outage,
                    tightestRto,
                    recommended,
                    needed,
                    needed switch
                    {
                        null => CalibrationVerdict.Undetermined,
                        true => recommended ? CalibrationVerdict.RecommendedAndNeeded : CalibrationVerdict.NeededNotRecommended,
                        false => recommended ? CalibrationVerdict.RecommendedNotNeeded : CalibrationVerdict.NotNeeded,
                    },
                    services));
            }
        }

        if (lines.Count == 0)
        {
            return new Result(IncidentSummary.Empty, [], 0, 0);
        }

        lines.Sort(static (a, b) => a.StartedAt != b.StartedAt ? a.StartedAt.CompareTo(b.StartedAt) : string.CompareOrdinal(a.Id, b.Id));
        calibration.Sort(static (a, b) => a.StartedAt != b.StartedAt ? a.StartedAt.CompareTo(b.StartedAt) : string.CompareOrdinal(a.Id, b.Id));
        var summary = new IncidentSummary(
            lines.Count,
            new LevelCounts(counts[0], counts[1], counts[2], counts[3], counts[4]),
            Stats(toAlert),
            Stats(toDecision),
            invocations,
            standDowns,
            lines);
        return new Result(summary, calibration, withinRto, recoveries);
    }

    /// <summary>When the incident began: a reopened incident belongs to the period its first outage began in.</summary>
    internal static DateTimeOffset StartOf(Incident incident) =>
        incident.EarlierOutages.Count > 0 ? incident.EarlierOutages[0].Start : incident.StartedAt;

    /// <summary>When the incident's current outage was resolved (a reopened incident: its last outage's end); null while open.</summary>
    internal static DateTimeOffset? CurrentResolvedAt(IncidentHistory history)
    {
        var incident = history.Incident.Incident;
        return incident.EarlierOutages.Count > 0 ? (incident.IsOpen ? null : incident.ResolvedAt) : ResolvedAt(history);
    }

    /// <summary>When the hub first heard the incident was Resolved or Closed: from its event log, else its assessments, else the row.</summary>
    private static DateTimeOffset? ResolvedAt(IncidentHistory history)
    {
        DateTimeOffset? resolved = null;
        foreach (var e in history.Events)
        {
            if (e.State is IncidentState.Resolved or IncidentState.Closed && (resolved is null || e.ReceivedAt < resolved))
            {
                resolved = e.ReceivedAt;
            }
        }

        if (resolved is not null)
        {
            return resolved;
        }

        foreach (var a in history.Assessments)
        {
            if (a.Assessment.Incident.State is nameof(IncidentState.Resolved) or nameof(IncidentState.Closed) && (resolved is null || a.At < resolved))
            {
                resolved = a.At;
            }
        }

        return resolved ?? (history.Incident.Incident.IsOpen ? null : history.Incident.LastUpdated);
    }

    private static TimeSpan? ProjectedAt(AssessmentEntry entry)
    {
        TimeSpan? longest = null;
        foreach (var clock in entry.Assessment.ImpactedServices)
        {
            if (TryDuration(clock.Projected, out var projected) && (longest is null || projected > longest))
            {
                longest = projected;
            }
        }

        return longest;
    }

    private static TimeSpan Since(DateTimeOffset start, DateTimeOffset at) => at > start ? at - start : TimeSpan.Zero;

    private static DurationStats Stats(List<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return DurationStats.Empty;
        }

        values.Sort();
        return new DurationStats(values.Count, Rank(values, 50), Rank(values, 90), values[^1]);
    }

    // Nearest rank: the smallest value with at least p% of the values at or below it.
    private static TimeSpan Rank(List<TimeSpan> sorted, int percent) => sorted[Math.Max(1, ((percent * sorted.Count) + 99) / 100) - 1];

    private static bool TryDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            value = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return false;
        }
    }
}
