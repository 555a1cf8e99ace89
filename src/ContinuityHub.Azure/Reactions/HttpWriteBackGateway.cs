using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ContinuityHub.Catalog;
using ContinuityHub.Notifications;
using ContinuityHub.Reactions;
using Microsoft.Extensions.Logging;
using Polly;

namespace ContinuityHub.Azure.Reactions;

/// <summary>
/// Writes notes back over HTTP (<see cref="WriteBackRequests"/>) to the sources whose settings are complete
/// (<see cref="WriteBackSource.IsConfigured"/>); the others are off. 408, 429 and 5xx (and no answer) are transient: the
/// outbox retries them; any other refusal (401, 403, 404, 400) is for good and shows in the ledger and the log.
/// </summary>
public sealed partial class HttpWriteBackGateway : IWriteBackGateway
{
    /// <summary>The name of the <see cref="HttpClient"/> the factory gives the write-back.</summary>
    public const string ClientName = "ContinuityHub.WriteBack";

    private readonly IHttpClientFactory _clients;
    private readonly ILogger _logger;
    private readonly global::Azure.Core.TokenCredential? _identity;

    /// <param name="identity">The hub's managed identity: Azure Monitor's alert state is set with its token for Azure Resource Manager.</param>
    public HttpWriteBackGateway(IHttpClientFactory clients, IEnumerable<WriteBackSource> sources, ILogger<HttpWriteBackGateway> logger, global::Azure.Core.TokenCredential? identity = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(sources);
        _clients = clients;
        _logger = logger;
        _identity = identity;
        Sources = sources.Where(s => s.IsConfigured).ToDictionary(s => s.Source);
    }

    /// <summary>The longest Retry-After waited for in the request itself; a longer throttle waits in the outbox for the sweep.</summary>
    public static readonly TimeSpan MaxInlineRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The write-back client's pipeline: a 429 or 503 whose Retry-After is at most <see cref="MaxInlineRetryAfter"/> (or
    /// absent: then 1 s, 2 s) is sent again up to twice, after what the vendor asked; anything else, a lost answer
    /// included (a note must not be written twice), goes back to the outbox. Each attempt has 20 s.
    /// </summary>
    public static void Resilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } response
                && (response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero) <= MaxInlineRetryAfter
                && (response.Headers.RetryAfter?.Date is not { } date || date - DateTimeOffset.UtcNow <= MaxInlineRetryAfter)),
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(20));
    }

    /// <summary>The sources written back to.</summary>
    public IReadOnlyDictionary<AliasSource, WriteBackSource> Sources { get; }

    public bool IsOn(AliasSource source) => Sources.ContainsKey(source);

    public async Task<string?> AddNoteAsync(SourceRecord record, string text, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Sources.TryGetValue(record.Source, out var source))
        {
            throw new TeamsDeliveryException($"Write-back to {CatalogNames.Name(record.Source)} is off.", transient: false, status: null);
        }

        if (record.Source == AliasSource.ServiceNow && !WriteBackRequests.IsSysId(record.Id))
        {
            record = record with { Id = await SysIdAsync(source, record.Id, cancellationToken) };
        }

        var bearer = record.Source == AliasSource.AzureMonitor ? await ArmTokenAsync(source, cancellationToken) : null;
        using var request = WriteBackRequests.Build(source, record, text, bearer, fields);
        var body = await SendAsync(request, record, cancellationToken);
        Log.NoteWritten(_logger, record.Source, record.Id);
        return NoteId(body);
    }

    // A ServiceNow incident that came with its number only: its sys_id, from the Table API.
    private async Task<string> SysIdAsync(WriteBackSource source, string number, CancellationToken cancellationToken)
    {
        using var lookup = WriteBackRequests.Lookup(source, number);
        var body = await SendAsync(lookup, new SourceRecord(AliasSource.ServiceNow, number), cancellationToken);
        string? sysId = null;
        try
        {
            sysId = JsonNode.Parse(body)?["result"] is JsonArray { Count: > 0 } results ? results[0]?["sys_id"]?.ToString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not the Table API's answer: said below.
        }

        return sysId is { } found && WriteBackRequests.IsSysId(found)
            ? found
            : throw new TeamsDeliveryException($"ServiceNow has no incident numbered {number} the hub's user can see.", transient: false, status: null);
    }

    // Sends a request; the body on 2xx, else the refusal as transient (408, 429, 5xx, no answer) or for good.
    private async Task<string> SendAsync(HttpRequestMessage request, SourceRecord record, CancellationToken cancellationToken) =>
        (await ReactionHttp.SendAsync(_clients.CreateClient(ClientName), request, CatalogNames.Name(record.Source), "record " + record.Id, cancellationToken)).Body;

    private async Task<string> ArmTokenAsync(WriteBackSource source, CancellationToken cancellationToken)
    {
        if (_identity is null)
        {
            throw new TeamsDeliveryException("Azure Monitor's alert state is set with the hub's managed identity, and this host has none.", transient: false, status: null);
        }

        try
        {
            var token = await _identity.GetTokenAsync(new global::Azure.Core.TokenRequestContext([new Uri(source.Api, ".default").AbsoluteUri]), cancellationToken);
            return token.Token;
        }
        catch (global::Azure.Identity.AuthenticationFailedException e)
        {
            throw new TeamsDeliveryException($"No token for Azure Resource Manager: {e.Message}", transient: true, status: null, e);
        }
    }

    // What each vendor calls the note: ServiceNow's record sys_id, a Jira comment id, PagerDuty's note.id, Opsgenie's requestId.
    private static string? NoteId(string body)
    {
        try
        {
            var json = JsonNode.Parse(body);
            return (json?["note"]?["id"] ?? json?["id"] ?? json?["requestId"] ?? json?["result"]?["sys_id"])?.ToString();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6450, Level = LogLevel.Information, Message = "Note written back to {Source} record {Record}")]
        public static partial void NoteWritten(ILogger logger, AliasSource source, string record);
    }
}
