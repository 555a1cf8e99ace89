namespace ContinuityHub.Catalog;

/// <summary>Where the catalogue is kept (Table Storage in Azure).</summary>
public interface ICatalogStore
{
    /// <summary>Reads the whole stored catalogue; an empty store gives <see cref="ContinuityCatalog.Empty"/>.</summary>
    Task<ContinuityCatalog> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the store hold exactly <paramref name="catalog"/>: rows that differ are written, rows the catalogue no
    /// longer holds are deleted, unchanged rows are not touched (their ETags stay). Every update and delete is
    /// conditional on the ETag read; a conflict raises <see cref="ConcurrencyConflictException"/>.
    /// </summary>
    Task<CatalogChanges> ReplaceAsync(ContinuityCatalog catalog, IProgress<string>? progress, CancellationToken cancellationToken);
}

/// <summary>Immutable plan documents (Blob Storage: <c>plan-documents/{planId}/{version}/{file}</c>).</summary>
public interface IDocumentStore
{
    /// <summary>The hex SHA-256 of the stored document, or null when there is none.</summary>
    Task<string?> GetSha256Async(string planId, string version, string fileName, CancellationToken cancellationToken);

    /// <summary>Stores a document that is not there yet; never overwrites.</summary>
    Task UploadAsync(string planId, string version, string fileName, Stream content, string sha256, CancellationToken cancellationToken);
}

/// <summary>Reads the documents a catalogue file names, by the path written in the file.</summary>
public interface IDocumentSource
{
    /// <summary>Opens the document for reading, or returns null when it does not exist.</summary>
    Stream? TryOpen(string path);

    /// <summary>How the path reads to a user (for messages).</summary>
    string Describe(string path);
}

/// <summary>What one table (or container) saw of a write.</summary>
public sealed record ChangeCount(string Name, int Added, int Updated, int Deleted, int Unchanged)
{
    public bool Changed => Added + Updated + Deleted > 0;

    public override string ToString() => $"{Name}: {Added} added, {Updated} updated, {Deleted} deleted, {Unchanged} unchanged";
}

public sealed record CatalogChanges(IReadOnlyList<ChangeCount> Tables)
{
    public bool Changed => Tables.Any(t => t.Changed);
}

/// <summary>Where a maintenance window was declared.</summary>
public enum MaintenanceOrigin
{
    /// <summary>In the catalogue's <c>maintenance</c>, written by <c>hub catalog import</c>.</summary>
    Catalogue,

    /// <summary>Added over <c>POST /api/maintenance</c> or <c>hub maintenance add</c>; the import never touches it.</summary>
    Api,
}

/// <summary>A stored maintenance window and where it was declared.</summary>
public sealed record StoredMaintenanceWindow(MaintenanceWindow Window, MaintenanceOrigin Origin);

/// <summary>What cancelling a maintenance window came to.</summary>
public enum MaintenanceCancelOutcome
{
    /// <summary>An API window, now deleted.</summary>
    Cancelled,

    /// <summary>No window has that id.</summary>
    NotFound,

    /// <summary>Declared in the catalogue: only an import removes it.</summary>
    InCatalogue,
}

/// <summary>
/// The maintenance windows kept beside the catalogue's (Table Storage: the Maintenance table, partition <c>api</c>);
/// <see cref="ICatalogStore.LoadAsync"/> includes them in <see cref="ContinuityCatalog.Maintenance"/>.
/// </summary>
public interface IMaintenanceStore
{
    /// <summary>Stores a new API window; false when an API window already has its id (nothing written).</summary>
    Task<bool> AddAsync(MaintenanceWindow window, CancellationToken cancellationToken);

    /// <summary>Every stored window, the catalogue's in catalogue order first, then the API's by id.</summary>
    Task<IReadOnlyList<StoredMaintenanceWindow>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the API window with that id; a catalogue window is left alone.</summary>
    Task<MaintenanceCancelOutcome> CancelAsync(string id, CancellationToken cancellationToken);
}
