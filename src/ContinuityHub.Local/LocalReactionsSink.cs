using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Azure.Reactions;
using ContinuityHub.Catalog;
using ContinuityHub.Reactions;

namespace ContinuityHub.Local;

/// <summary>
/// <c>hub serve</c>'s write-back: each note is written to <c>Reactions:SinkDirectory</c> (default
/// <c>./reactions-sink/</c>) as the request the hub would send — method, URL, headers (credentials masked), body —
/// one file per note named <c>{seq:D6}-{source}-note.json</c>, instead of being sent; a source whose <c>BaseUrl</c> is
/// set (with its token) is written back to for real by <paramref name="live"/>.
/// </summary>
public sealed class LocalReactionsSink(string directory, IReadOnlyList<WriteBackSource> sources, IWriteBackGateway live) : IWriteBackGateway
{
    public const string Setting = "Reactions:SinkDirectory";

    public const string DefaultDirectory = "./reactions-sink/";

    private const string Masked = "***";

    // A local file for the engineer to read: non-ASCII (the note's dash, a title's accents) stays as it is.
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private int _sequence;

    public string Directory { get; } = directory;

    /// <summary>The sources sent for real (their <c>BaseUrl</c> set); the others go to the sink.</summary>
    public IEnumerable<AliasSource> Live => sources.Where(s => s.BaseUrl is not null && live.IsOn(s.Source)).Select(s => s.Source);

    public bool IsOn(AliasSource source) => WriteBackSource.Supported.Contains(source);

    public async Task<string?> AddNoteAsync(SourceRecord record, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Live.Contains(record.Source))
        {
            return await live.AddNoteAsync(record, text, cancellationToken);
        }

        var source = sources.FirstOrDefault(s => s.Source == record.Source) ?? new WriteBackSource(record.Source, null, null, null);
        if (record.Source == AliasSource.ServiceNow && !WriteBackRequests.IsSysId(record.Id))
        {
            // Known by its number only: the hub would look its sys_id up first, then patch the note onto it.
            using var lookup = WriteBackRequests.Lookup(source, record.Id);
            await WriteAsync(lookup, record, "lookup", cancellationToken);
            using var patch = WriteBackRequests.Build(source, record with { Id = WriteBackRequests.SysIdPlaceholder }, text);
            await WriteAsync(patch, record, "note", cancellationToken);
            return null;
        }

        using var request = WriteBackRequests.Build(source, record, text);
        await WriteAsync(request, record, "note", cancellationToken);
        return null;
    }

    private async Task WriteAsync(HttpRequestMessage request, SourceRecord record, string what, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (header, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            var value = string.Join(", ", values);
            headers[header] = header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? (value.Split(' ', 2)[0] + " " + Masked) : value;
        }

        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        var recorded = new JsonObject
        {
            ["source"] = CatalogNames.Name(record.Source),
            ["record"] = record.Id,
            ["method"] = request.Method.Method,
            ["url"] = request.RequestUri!.AbsoluteUri,
            ["headers"] = headers,
            ["body"] = body,
        };
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{Interlocked.Increment(ref _sequence):D6}-{CatalogNames.Name(record.Source)}-{what}.json";
        await SinkFile.WriteAllTextAsync(Path.Combine(Directory, name), recorded.ToJsonString(_indented), cancellationToken);
    }
}
