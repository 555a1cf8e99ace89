using ContinuityHub.Assessment;
using ContinuityHub.Catalog;

namespace ContinuityHub.Intake;

/// <summary>The catalogue, ready for assessment.</summary>
public interface ICatalogProvider
{
    ValueTask<CatalogIndex> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads the stored catalogue at most once per <see cref="RefreshEvery"/> and shares the index between deliveries: an
/// import is seen by the intake within that time.
/// </summary>
public sealed class CachedCatalogProvider(ICatalogStore store, TimeProvider time) : ICatalogProvider, IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (CatalogIndex Index, DateTimeOffset Loaded)? _current;

    public async ValueTask<CatalogIndex> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } c && time.GetUtcNow() - c.Loaded < RefreshEvery)
        {
            return c.Index;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.Loaded < RefreshEvery)
            {
                return again.Index;
            }

            var index = new CatalogIndex(await store.LoadAsync(cancellationToken));
            _current = (index, time.GetUtcNow());
            return index;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>A fixed catalogue (tests, `hub simulate`).</summary>
public sealed class FixedCatalogProvider(ContinuityCatalog catalog) : ICatalogProvider
{
    private readonly CatalogIndex _index = new(catalog);

    public ValueTask<CatalogIndex> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_index);
}
