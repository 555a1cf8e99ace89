using ContinuityHub.Assessment;

namespace ContinuityHub.Reporting;

/// <summary>
/// The maintenance part of the report: every occurrence of every window (the catalogue's and those added over the
/// API) that started in the period, and the incidents of the period that began inside one. An incident's services
/// are those its assessments found impacted (directly or through a dependency, as the incidents section lists them),
/// so an incident impacted through a service under a window counts as the cap at Monitor counts it.
/// </summary>
/// <param name="Held">Occurrences that started in the period [periodStart, reportDate) (UTC days), oldest first.</param>
/// <param name="IncidentsInWindows">One line per incident of the period and window it began inside, by start.</param>
public sealed record MaintenanceSummary(IReadOnlyList<MaintenanceHeld> Held, IReadOnlyList<IncidentInWindow> IncidentsInWindows)
{
    public static MaintenanceSummary Empty { get; } = new([], []);
}

/// <summary>One occurrence of a maintenance window in the period.</summary>
/// <param name="Start">When it began (UTC).</param>
/// <param name="End">When it ended, or ends (UTC).</param>
/// <param name="DuringWorkingHours">It overlapped the policy calendar's working hours (<see cref="MaintenanceCalendar.DuringWorkingHours"/>).</param>
/// <param name="Incidents">Keys of the period's incidents that began inside it on one of its services.</param>
public sealed record MaintenanceHeld(
    string WindowId,
    IReadOnlyList<string> Services,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Reason,
    string ApprovedBy,
    bool DuringWorkingHours,
    IReadOnlyList<string> Incidents);

/// <summary>An incident of the period that began inside a maintenance window on one of its services.</summary>
/// <param name="Services">The services its assessments found impacted.</param>
/// <param name="StartedAt">When it began (a reopened incident: its first outage), inside the window.</param>
/// <param name="LevelAfterWindow">The highest level assessed from the window's end on (the cap lifted); null when none was assessed then.</param>
/// <param name="Resolved">The hub heard it was Resolved or Closed (a reopened incident: its last outage).</param>
public sealed record IncidentInWindow(
    string IncidentKey,
    string Title,
    IReadOnlyList<string> Services,
    string WindowId,
    DateTimeOffset StartedAt,
    AssessmentLevel? LevelAfterWindow,
    bool Resolved);
