using System.Collections.Concurrent;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContinuityHub.Benchmarks;

/// <summary>Counts every request sent through the pipelines it is added to (per try: a retry is a request too).</summary>
internal sealed class StormCounter(int tablePort, int queuePort) : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> _byShape = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _bytesByShape = new(StringComparer.Ordinal);
    private long _count;

    private long _onRequestPath;

    /// <summary>Set while an intake request is handled: what is sent then is on the request path (the rest is the background notification pipeline and the host's timers).</summary>
    public static AsyncLocal<bool> RequestPath { get; } = new();

    public long Count => Interlocked.Read(ref _count);

    public long OnRequestPath => Interlocked.Read(ref _onRequestPath);

    /// <summary>The requests so far by shape: <c>PUT blob intake-archive</c>, <c>PUT blob intake-archive ?comp=metadata</c>, <c>POST table $batch</c>, <c>GET table alerts</c>.</summary>
    public Dictionary<string, long> Snapshot() => _byShape.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>The request bodies' bytes so far by shape.</summary>
    public Dictionary<string, long> BytesSnapshot() => _bytesByShape.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>The mean request body of each shape from <paramref name="before"/> to <paramref name="after"/>, in bytes.</summary>
    public static string MeanBodies(Dictionary<string, long> countsBefore, Dictionary<string, long> countsAfter, Dictionary<string, long> before, Dictionary<string, long> after) => string.Join(
        "; ",
        after.Select(p => (p.Key, Bytes: p.Value - before.GetValueOrDefault(p.Key), Count: countsAfter.GetValueOrDefault(p.Key) - countsBefore.GetValueOrDefault(p.Key)))
            .Where(p => p.Bytes > 0 && p.Count > 0)
            .OrderByDescending(p => p.Bytes)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Bytes / p.Count:N0} B")));

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        if (RequestPath.Value)
        {
            Interlocked.Increment(ref _onRequestPath);
        }
        var shape = Shape(message.Request);
        _byShape.AddOrUpdate(shape, 1, (_, n) => n + 1);
        if (message.Request.Content is { } content && content.TryComputeLength(out var length))
        {
            _bytesByShape.AddOrUpdate(shape, length, (_, n) => n + length);
        }
    }

    /// <summary>The differences of the counts from <paramref name="before"/> to <paramref name="after"/>, per event, largest first.</summary>
    public static string Breakdown(Dictionary<string, long> before, Dictionary<string, long> after, int events) => string.Join(
        "; ",
        after.Select(p => (p.Key, Delta: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Delta > 0)
            .OrderByDescending(p => p.Delta)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(double)p.Delta / Math.Max(events, 1):F2}")));

    private string Shape(Request request)
    {
        var uri = request.Uri.ToUri();
        var path = uri.AbsolutePath;
        var service = request.Uri.Port == tablePort ? "table" : request.Uri.Port == queuePort ? "queue" : "blob";
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var detail = path.Contains("$batch", StringComparison.Ordinal) ? " $batch"
            : query["comp"] is { } comp ? " ?comp=" + comp
            : query["restype"] is { } restype ? " ?restype=" + restype
            : service == "table" && path.EndsWith("/Tables", StringComparison.Ordinal) ? " Tables"
            : service == "table" && !path.Contains('(', StringComparison.Ordinal) && query["$filter"] is not null ? " query"
            : string.Empty;
        // The table or container named in the path (a $batch names its table only in its body).
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 && !segments[1].StartsWith('$') ? " " + segments[1].Split('(')[0] : string.Empty;
        return $"{request.Method} {service}{resource}{detail}";
    }
}
