using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>
/// Incident histories for report tests, built directly: a P1 on one service (<c>svc</c>, RTO 4h) started at
/// <see cref="Start"/>, with the assessments and the resolution a test adds.
/// </summary>
internal sealed class HistoryBuilder
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private readonly string _id;
    private readonly DateTimeOffset _start;
    private readonly List<(TimeSpan After, AssessmentLevel Level, TimeSpan? Projected)> _assessments = [];
    private (string Id, TimeSpan Rto)[] _services = [("svc", TimeSpan.FromHours(4))];
    private TimeSpan? _resolvedAfter;

    public HistoryBuilder(string id = "INC1", DateTimeOffset? start = null)
    {
        _id = id;
        _start = start ?? Start;
    }

    public HistoryBuilder On(params (string Id, TimeSpan Rto)[] services)
    {
        _services = services;
        return this;
    }

    /// <summary>An assessment <paramref name="after"/> the start; its services' projected outage is the elapsed time unless given.</summary>
    public HistoryBuilder Assessed(TimeSpan after, AssessmentLevel level, TimeSpan? projected = null)
    {
        _assessments.Add((after, level, projected));
        return this;
    }

    /// <summary>A Resolved delivery <paramref name="after"/> the start, and the stand-down assessment (None) the hub records with it.</summary>
    public HistoryBuilder Resolved(TimeSpan after)
    {
        _resolvedAfter = after;
        _assessments.Add((after, AssessmentLevel.None, null));
        return this;
    }

    public IncidentHistory Build()
    {
        var incident = new Incident(
            IncidentKey.Create(AliasSource.Generic, _id),
            AliasSource.Generic,
            _id,
            $"Outage {_id}",
            Priority.P1,
            true,
            _resolvedAfter is null ? IncidentState.Open : IncidentState.Resolved,
            _start,
            null,
            [.. _services.Select(s => s.Id)],
            null);
        var entries = _assessments
            .Select(a => new AssessmentEntry(_start + a.After, a.Level, Document(incident, a.After, a.Level, a.Projected ?? a.After)))
            .ToList();
        var events = new List<IncidentEvent>
        {
            new("d1", _start, IntakeChannel.Http, "intake-archive/a.json", IncidentState.Open, Priority.P1, incident.Title),
        };
        if (_resolvedAfter is { } resolved)
        {
            events.Add(new IncidentEvent("d2", _start + resolved, IntakeChannel.Http, "intake-archive/b.json", IncidentState.Resolved, Priority.P1, incident.Title));
        }

        var last = entries.Count == 0 ? AssessmentLevel.None : entries[^1].Level;
        var stored = new StoredIncident(incident, last, entries.Count == 0 ? null : entries[^1].Assessment, _start, _start + (_resolvedAfter ?? TimeSpan.Zero), [], "etag");
        return new IncidentHistory(stored, events, entries);
    }

    private AssessmentDocument Document(Incident incident, TimeSpan elapsed, AssessmentLevel level, TimeSpan projected) => new(
        level.ToString(),
        AssessmentJson.ToDocument(incident),
        AssessmentJson.Time(_start + elapsed),
        [.. _services.Select(s => new ServiceClockDocument(
            s.Id,
            s.Id,
            1,
            true,
            null,
            AssessmentJson.Duration(elapsed),
            AssessmentJson.Duration(projected),
            AssessmentJson.Duration(s.Rto),
            AssessmentJson.Duration(s.Rto * 2),
            AssessmentJson.Time(_start + s.Rto),
            null,
            level.ToString()))],
        [],
        [],
        []);
}
