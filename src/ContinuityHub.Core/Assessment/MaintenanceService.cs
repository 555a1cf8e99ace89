using ContinuityHub.Catalog;

namespace ContinuityHub.Assessment;

/// <summary>What adding a maintenance window came to: added, or its id already taken (by the catalogue or the API).</summary>
public sealed record MaintenanceAddResult(MaintenanceWindowStatus? Added, MaintenanceOrigin? TakenBy);

/// <summary>A stored window, where it was declared and the occurrence that holds now (null when none does).</summary>
public sealed record MaintenanceWindowStatus(MaintenanceWindow Window, MaintenanceOrigin Origin, MaintenanceOccurrence? Active);

/// <summary>
/// Maintenance windows added beside the catalogue's (<c>POST|GET|DELETE /api/maintenance</c>, <c>hub maintenance</c>):
/// a new window is checked by the catalogue's own rules, as a window of the stored catalogue, so its problems read as
/// the YAML's would (paths are its own fields: <c>services[0]</c>, <c>weekly.from</c>). The assessment caps by it once
/// the intake's catalogue is next read.
/// </summary>
public sealed class MaintenanceService(ICatalogStore catalogs, IMaintenanceStore store, TimeProvider time)
{
    /// <summary>Adds <paramref name="window"/>; a window the catalogue's rules refuse raises <see cref="HubValidationException"/>.</summary>
    public async Task<MaintenanceAddResult> AddAsync(MaintenanceWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var stored = await store.ListAsync(cancellationToken);
        if (stored.FirstOrDefault(s => string.Equals(s.Window.Id, window.Id, StringComparison.Ordinal)) is { } taken)
        {
            return new MaintenanceAddResult(null, taken.Origin);
        }

        var catalog = await catalogs.LoadAsync(cancellationToken);
        var prefix = $"maintenance[{catalog.Maintenance.Count}]";
        var problems = CatalogValidator.Validate(catalog with { Maintenance = [.. catalog.Maintenance, window] })
            .Where(p => p.Path == prefix || p.Path.StartsWith(prefix + ".", StringComparison.Ordinal))
            .Select(p => new ValidationProblem(p.Path.Length == prefix.Length ? string.Empty : p.Path[(prefix.Length + 1)..], p.Message))
            .ToList();
        if (problems.Count > 0)
        {
            throw new HubValidationException(problems);
        }

        return await store.AddAsync(window, cancellationToken)
            ? new MaintenanceAddResult(Status(new StoredMaintenanceWindow(window, MaintenanceOrigin.Api), catalog.Policy.Calendar), null)
            : new MaintenanceAddResult(null, MaintenanceOrigin.Api);
    }

    /// <summary>Every window, the catalogue's first, each with whether it holds now.</summary>
    public async Task<IReadOnlyList<MaintenanceWindowStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var catalog = await catalogs.LoadAsync(cancellationToken);
        var stored = await store.ListAsync(cancellationToken);
        return [.. stored.Select(s => Status(s, catalog.Policy.Calendar))];
    }

    public Task<MaintenanceCancelOutcome> CancelAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return store.CancelAsync(id, cancellationToken);
    }

    private MaintenanceWindowStatus Status(StoredMaintenanceWindow stored, BusinessCalendar calendar) =>
        new(stored.Window, stored.Origin, MaintenanceCalendar.At(stored.Window, calendar, time.GetUtcNow()));
}
