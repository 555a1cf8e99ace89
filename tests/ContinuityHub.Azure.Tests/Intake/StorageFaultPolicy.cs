using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>What a storage call meets when the policy fails it.</summary>
internal enum StorageFault
{
    /// <summary>The service answers 503 before doing anything.</summary>
    Unavailable,

    /// <summary>The request times out before it reaches the service.</summary>
    Timeout,

    /// <summary>The service did the work, then the connection dropped: the answer is lost.</summary>
    ResponseLost,

    /// <summary>The caller's token is cancelled once the request reached the service (the work done, the caller gone).</summary>
    CancelledAfterSend,
}

/// <summary>
/// Fails table and blob calls the way a degraded cloud does, deterministically: a seeded share of every call
/// (<see cref="Rate"/>), or exactly the <see cref="FailCall"/>-th call from now. Placed per retry, so the SDK's own
/// retries meet faults too.
/// </summary>
internal sealed class StorageFaultPolicy(int seed = 22301) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private int _calls;
    private int _injected;
    private int _failAt = -1;
    private int _failTimes;
    private int _matching;
    private Func<Request, bool>? _of;
    private StorageFault _failAtKind;
    private readonly List<string> _seen = [];

    /// <summary>The share of calls failed at random, each with one of the first three faults (0 = none).</summary>
    public double Rate { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public int Injected => Volatile.Read(ref _injected);

    /// <summary>
    /// Fails the <paramref name="n"/>-th call from now (1 = the next one) with <paramref name="fault"/>, and the
    /// <paramref name="times"/> − 1 after it; counting only the calls <paramref name="of"/> picks (all when null).
    /// </summary>
    public void FailCall(int n, StorageFault fault, Func<Request, bool>? of = null, int times = 1)
    {
        lock (_lock)
        {
            _matching = 0;
            _failAt = n;
            _failTimes = times;
            _failAtKind = fault;
            _of = of;
        }
    }

    /// <summary>Disarms what <see cref="FailCall"/> armed: storage is back.</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _failAt = -1;
        }
    }

    /// <summary>Each call so far, as <c>{method} {path}</c> (with <c>?comp=…</c> when there is one): <c>POST /devstoreaccount1/$batch</c>.</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Whether a call writes a blob's content (Put Blob: it names the blob type), not its metadata.</summary>
    public static bool BlobUpload(Request request) =>
        request.Method == RequestMethod.Put && request.Headers.Contains("x-ms-blob-type");

    /// <summary>Whether a call is an entity-group transaction.</summary>
    public static bool Transaction(Request request) => request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var fault = Next(message.Request);
        switch (fault)
        {
            case StorageFault.Unavailable:
                throw new RequestFailedException(503, "Injected fault: the storage service is unavailable.");
            case StorageFault.Timeout:
                throw new TaskCanceledException("Injected fault: the request timed out.", new TimeoutException());
        }

        await ProcessNextAsync(message, pipeline);
        switch (fault)
        {
            case StorageFault.ResponseLost:
                throw new IOException("Injected fault: the connection dropped after the service answered.");
            case StorageFault.CancelledAfterSend:
                throw new OperationCanceledException("Injected fault: the caller went away after the request was sent.");
        }
    }

    private StorageFault? Next(Request request)
    {
        lock (_lock)
        {
            _calls++;
            var query = request.Uri.Query;
            var comp = query.IndexOf("comp=", StringComparison.Ordinal);
            _seen.Add(comp < 0 ? $"{request.Method} {request.Uri.Path}" : $"{request.Method} {request.Uri.Path}?{query[comp..].Split('&')[0]}");
            StorageFault? fault = null;
            if (_failAt > 0 && (_of is null || _of(request)) && ++_matching >= _failAt && _matching < _failAt + _failTimes)
            {
                fault = _failAtKind;
            }
            else if (Rate > 0 && _random.NextDouble() < Rate)
            {
                fault = (StorageFault)_random.Next(3);
            }

            if (fault is not null)
            {
                _injected++;
            }

            return fault;
        }
    }
}
