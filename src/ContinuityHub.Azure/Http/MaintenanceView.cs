using System.Globalization;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Http;

/// <summary>A weekly window's hours as the routes show them (days by name, times HH:mm).</summary>
public sealed record WeeklyWindowView(IReadOnlyList<string> Days, string From, string To, string? TimeZone);

/// <summary>
/// A maintenance window as <c>GET /api/maintenance</c> and <c>hub maintenance list --json</c> show it: the YAML's keys,
/// one-off times at the offset they were given, where it was declared (<c>catalogue</c> or <c>api</c>) and whether it holds now
/// (<c>activeUntil</c> ISO 8601 UTC).
/// </summary>
public sealed record MaintenanceView(
    string Id,
    IReadOnlyList<string> Services,
    string? Start,
    string? End,
    WeeklyWindowView? Weekly,
    string Reason,
    string ApprovedBy,
    string Origin,
    bool Active,
    string? ActiveUntil)
{
    public static MaintenanceView From(MaintenanceWindowStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var w = status.Window;
        return new MaintenanceView(
            w.Id,
            w.Services,
            Time(w.Start),
            Time(w.End),
            w.Weekly is { } weekly
                ? new WeeklyWindowView([.. weekly.DayNames], HoursOf(weekly.From), HoursOf(weekly.To), weekly.TimeZone)
                : null,
            w.Reason,
            w.ApprovedBy,
            status.Origin == MaintenanceOrigin.Api ? "api" : "catalogue",
            status.Active is not null,
            status.Active is { } active ? AssessmentJson.Time(active.End) : null);
    }

    private static string? Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string HoursOf(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
