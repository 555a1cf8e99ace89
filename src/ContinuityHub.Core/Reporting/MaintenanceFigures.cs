using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;

namespace ContinuityHub.Reporting;

/// <summary>The maintenance part of the report: the windows' occurrences in the period, and the incidents that began inside one.</summary>
internal static class MaintenanceFigures
{
    public static MaintenanceSummary Compute(ContinuityCatalog catalog, IReadOnlyList<IncidentHistory> histories, DateOnly periodStart, DateOnly reportDate)
    {
        if (catalog.Maintenance.Count == 0)
        {
            return MaintenanceSummary.Empty;
        }

        var calendar = catalog.Policy.Calendar;
        var from = new DateTimeOffset(periodStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(reportDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var inside = Inside(catalog.Maintenance, calendar, histories, from, until);
        var held = catalog.Maintenance
            .SelectMany(w => MaintenanceCalendar.Starting(w, calendar, from, until))
            .Where(o => o.Start < until) // Starting's end is inclusive; the period's is not
            .OrderBy(o => o.Start)
            .ThenBy(o => o.Window.Id, StringComparer.Ordinal)
            .Select(o => new MaintenanceHeld(
                o.Window.Id,
                o.Window.Services,
                o.Start,
                o.End,
                o.Window.Reason,
                o.Window.ApprovedBy,
                MaintenanceCalendar.DuringWorkingHours(o, calendar),
                [.. inside.Where(i => i.Occurrence == o).Select(i => i.Line.IncidentKey).Distinct(StringComparer.Ordinal)]))
            .ToList();
        return new MaintenanceSummary(held, [.. inside.Select(i => i.Line)]);
    }

    /// <summary>
    /// Each incident of the period that began inside an occurrence of a window naming one of its services, once per
    /// window (in catalogue order), by start; with the highest level assessed from that occurrence's end on.
    /// </summary>
    private static List<(IncidentInWindow Line, MaintenanceOccurrence Occurrence)> Inside(
        IReadOnlyList<MaintenanceWindow> windows, BusinessCalendar calendar, IReadOnlyList<IncidentHistory> histories, DateTimeOffset from, DateTimeOffset until)
    {
        var found = new List<(IncidentInWindow Line, MaintenanceOccurrence Occurrence)>();
        foreach (var history in histories)
        {
            var incident = history.Incident.Incident;
            var start = IncidentFigures.StartOf(incident);
            if (start < from || start >= until)
            {
                continue;
            }

            var services = ImpactedServices(history);
            foreach (var window in windows)
            {
                if (!window.Services.Any(services.Contains) || MaintenanceCalendar.At(window, calendar, start) is not { } occurrence)
                {
                    continue;
                }

                var after = history.Assessments.Where(a => a.At >= occurrence.End).Select(a => (AssessmentLevel?)a.Level).Max();
                var line = new IncidentInWindow(incident.Key, incident.Title, services, window.Id, start, after, IncidentFigures.CurrentResolvedAt(history) is not null);
                found.Add((line, occurrence));
            }
        }

        // A stable sort: an incident's windows keep their catalogue order.
        return [.. found.OrderBy(f => f.Line.StartedAt).ThenBy(f => f.Line.IncidentKey, StringComparer.Ordinal)];
    }

    /// <summary>The ids of the services the incident's assessments found impacted, directly or through a dependency, in the order first seen.</summary>
    private static List<string> ImpactedServices(IncidentHistory history)
    {
        var services = new List<string>();
        foreach (var entry in history.Assessments)
        {
            foreach (var clock in entry.Assessment.ImpactedServices)
            {
                if (!services.Contains(clock.Id, StringComparer.Ordinal))
                {
                    services.Add(clock.Id);
                }
            }
        }

        return services;
    }
}
