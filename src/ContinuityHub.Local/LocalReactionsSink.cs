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
/// set (with its token) is written back to for real by <paramref name="live"/>. Plans' automation requests are
/// recorded there too (<see cref="SendAsync"/>), unless <paramref name="automations"/> sends them.
/// </summary>
public sealed class LocalReactionsSink(string directory, IReadOnlyList<WriteBackSource> sources, IWriteBackGateway live, IAutomationGateway? automations = null)
    : IWriteBackGateway, IAutomationGateway
{
    /// <summary>Set to true, <c>hub serve</c> sends automation requests for real instead of recording them.</summary>
    public const string SendAutomationsSetting = "Reactions:Automations:Send";

    public const string Setting = "Reactions:SinkDirectory";

    public const string DefaultDirectory = "./reactions-sink/";

    private const string Masked = "***";

    // A local file for the engineer to read: non-ASCII (the note's dash, a title's accents) stays as it is.
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private int _sequence;

    public string Directory { get; } = directory;

    /// <summary>Automation requests are sent for real, not recorded.</summary>
    public bool SendsAutomations => automations is not null;

    /// <summary>The sources sent for real (their <c>BaseUrl</c> set); the others go to the sink.</summary>
    public IEnumerable<AliasSource> Live => sources.Where(s => s.BaseUrl is not null && live.IsOn(s.Source)).Select(s => s.Source);

    public bool IsOn(AliasSource source) => WriteBackSource.Supported.Contains(source);

    public async Task<string?> AddNoteAsync(SourceRecord record, string text, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Live.Contains(record.Source))
        {
            return await live.AddNoteAsync(record, text, cancellationToken, fields);
        }

        var source = sources.FirstOrDefault(s => s.Source == record.Source) ?? new WriteBackSource(record.Source, null, null, null);
        if (record.Source == AliasSource.ServiceNow && !WriteBackRequests.IsSysId(record.Id))
        {
            // Known by its number only: the hub would look its sys_id up first, then patch the note onto it.
            using var lookup = WriteBackRequests.Lookup(source, record.Id);
            await WriteAsync(lookup, record, "lookup", cancellationToken);
            using var patch = WriteBackRequests.Build(source, record with { Id = WriteBackRequests.SysIdPlaceholder }, text, fields: fields);
            await WriteAsync(patch, record, "note", cancellationToken);
            return null;
        }

        using var request = WriteBackRequests.Build(source, record, text, fields: fields);
        await WriteAsync(request, record, "note", cancellationToken);
        return null;
    }

    /// <summary>
    /// Records the automation request (<c>{seq:D6}-automation-{id}.json</c>): the webhook POST as it would go out (its
    /// signature masked), or the Service Bus message (entity, properties, body); sent for real only when
    /// <c>Reactions:Automations:Send</c> is true.
    /// </summary>
    public async Task<string?> SendAsync(AutomationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (automations is not null)
        {
            return await automations.SendAsync(request, cancellationToken);
        }

        var automation = request.Automation;
        var extra = new JsonObject
        {
            ["automation"] = automation.Id,
            ["plan"] = request.Plan,
            ["incident"] = request.IncidentKey,
            ["on"] = automation.On.ToString(),
            ["kind"] = automation.Kind == AutomationKind.ServiceBus ? "serviceBus" : "webhook",
        };
        var signature = automation.SigningSecret is { } secret ? $"sha256={Masked} (HMAC-SHA256 of the body with the secret {secret})" : null;
        if (automation.Kind == AutomationKind.ServiceBus)
        {
            var properties = new JsonObject
            {
                ["cloudEvents_type"] = AutomationEvent.Type,
                ["cloudEvents_id"] = request.EventId,
                ["plan"] = request.Plan,
                ["automation"] = automation.Id,
            };
            if (signature is not null)
            {
                properties[HttpAutomationGateway.SignatureHeader] = signature;
            }

            extra["entity"] = automation.Entity;
            extra["messageId"] = request.EventId;
            extra["contentType"] = AutomationEvent.ContentType;
            extra["applicationProperties"] = properties;
            extra["body"] = JsonNode.Parse(request.Body.Span);
            await WriteFileAsync(extra, "automation-" + automation.Id, cancellationToken);
            return null;
        }

        // A URL kept as a secret is not read locally: the file says which secret holds it.
        var url = automation.Url is { } plain && Uri.TryCreate(plain, UriKind.Absolute, out var parsed) ? parsed : new Uri("https://secret.invalid/" + Uri.EscapeDataString(automation.UrlSecret ?? "url"));
        using var message = HttpAutomationGateway.Build(request, url, null);
        if (signature is not null)
        {
            message.Headers.TryAddWithoutValidation(HttpAutomationGateway.SignatureHeader, signature);
        }

        await WriteAsync(message, extra, "automation-" + automation.Id, cancellationToken);
        return null;
    }

    private Task WriteAsync(HttpRequestMessage request, SourceRecord record, string what, CancellationToken cancellationToken) =>
        WriteAsync(request, new JsonObject { ["source"] = CatalogNames.Name(record.Source), ["record"] = record.Id }, CatalogNames.Name(record.Source) + "-" + what, cancellationToken);

    private async Task WriteAsync(HttpRequestMessage request, JsonObject recorded, string name, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (header, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            var value = string.Join(", ", values);
            headers[header] = header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? (value.Split(' ', 2)[0] + " " + Masked) : value;
        }

        recorded["method"] = request.Method.Method;
        recorded["url"] = request.RequestUri!.Host == "secret.invalid" ? $"(the URL in the secret {Uri.UnescapeDataString(request.RequestUri.AbsolutePath.TrimStart('/'))})" : request.RequestUri.AbsoluteUri;
        recorded["headers"] = headers;
        recorded["body"] = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        await WriteFileAsync(recorded, name, cancellationToken);
    }

    private async Task WriteFileAsync(JsonObject recorded, string name, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var file = $"{Interlocked.Increment(ref _sequence):D6}-{name}.json";
        await SinkFile.WriteAllTextAsync(Path.Combine(Directory, file), recorded.ToJsonString(_indented), cancellationToken);
    }
}
