using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Azure.Graph;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Local;

/// <summary>
/// A local Microsoft Graph on loopback (Kestrel on 127.0.0.1, a free port) that answers, like Graph v1.0, the calls
/// <see cref="GraphTeamsGateway"/> makes: channel messages and replies, activity-feed notifications, mail, online
/// meetings, channels and channel members; anything else answers 404 with a Graph error body. It records every request
/// (<see cref="Requests"/>), can answer faults (<see cref="Fail"/>, <see cref="Hang"/>), and, given a sink directory,
/// writes every request it answered with success there as JSON (with an HTML preview of each Adaptive Card, rendered by
/// the official renderer under the Teams host configs: <see cref="CardPreviewPage"/>): the
/// tests' Graph stub and the Teams sink of <c>hub serve</c>.
/// </summary>
public sealed class LocalGraph : IAsyncDisposable
{
    public const string Version = "v1.0";

    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Fault> _faults = [];
    private readonly CardPreviews? _previews;
    private int _sequence;
    private int _sinkSequence;
    private long _lastMessageId;

    private LocalGraph(WebApplication app, string? sinkDirectory, ILogger logger, TimeProvider clock, Func<string?> locateCardRenderer)
    {
        _app = app;
        SinkDirectory = sinkDirectory is null ? null : Path.GetFullPath(sinkDirectory);
        _previews = SinkDirectory is null ? null : new CardPreviews(SinkDirectory, locateCardRenderer, logger);
        _logger = logger;
        _clock = clock;
        BaseUrl = new Uri("http://127.0.0.1/" + Version);
    }

    /// <summary>Where the stub answers: <c>http://127.0.0.1:{port}/v1.0</c> (set <c>Graph:BaseUrl</c> to it).</summary>
    public Uri BaseUrl { get; private set; }

    /// <summary>The Teams sink (full path), or null when requests are only recorded.</summary>
    public string? SinkDirectory { get; }

    /// <summary>Every request received so far, in order (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The Adaptive Cards (JSON) of the requests answered with success, in order.</summary>
    public IReadOnlyList<string> Cards => [.. Requests.Where(r => r.Succeeded).SelectMany(r => r.CardJsons)];

    /// <summary>Starts a local Graph; <paramref name="sinkDirectory"/> (created if missing) receives every successful request, or null for none.</summary>
    public static Task<LocalGraph> StartAsync(string? sinkDirectory, CancellationToken cancellationToken) =>
        StartAsync(sinkDirectory, loggerFactory: null, timeProvider: null, cancellationToken);

    /// <summary>Starts a local Graph that logs (sink failures) to <paramref name="loggerFactory"/> and stamps requests with <paramref name="timeProvider"/>.</summary>
    public static Task<LocalGraph> StartAsync(string? sinkDirectory, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, CancellationToken cancellationToken) =>
        StartAsync(sinkDirectory, loggerFactory, timeProvider, AdaptiveCardsLibrary.Locate, cancellationToken);

    /// <summary>As the public overload, with the card previews' renderer found by <paramref name="locateCardRenderer"/> (a path, or null for none).</summary>
    internal static async Task<LocalGraph> StartAsync(
        string? sinkDirectory, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, Func<string?> locateCardRenderer, CancellationToken cancellationToken)
    {
        // An empty builder: no configuration files, environment, or logging providers of its own (no noise).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LocalGraph).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LocalGraph>();
        var graph = new LocalGraph(app, sinkDirectory, logger, timeProvider ?? TimeProvider.System, locateCardRenderer);
        app.Run(graph.HandleAsync);
        try
        {
            graph.PrepareSink();
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            graph.BaseUrl = new Uri(address.TrimEnd('/') + "/" + Version);
        }
        catch
        {
            await graph.DisposeAsync();
            throw;
        }

        if (graph.SinkDirectory is { } sink)
        {
            Log.LocalGraphStarted(logger, graph.BaseUrl, sink);
        }

        return graph;
    }

    /// <summary>Every request whose path contains <paramref name="pathContains"/> (case-insensitive), however it was answered.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string pathContains) =>
        [.. Requests.Where(r => r.Path.Contains(pathContains, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The requests whose path contains <paramref name="pathContains"/> that the stub answered with success (what Graph would have done).</summary>
    public IReadOnlyList<RecordedRequest> DeliveredTo(string pathContains) =>
        [.. RequestsTo(pathContains).Where(r => r.Succeeded)];

    /// <summary>
    /// The next <paramref name="times"/> requests (matching <paramref name="when"/>, else any) answer <paramref name="status"/>
    /// with a Graph error body, and a <c>Retry-After</c> header in whole seconds when <paramref name="retryAfter"/> is given.
    /// Faults apply in the order they were set.
    /// </summary>
    internal void Fail(int times, int status, TimeSpan? retryAfter = null, Func<RecordedRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }

        lock (_gate)
        {
            _faults.Add(new Fault(times, status, retryAfter, when, Hang: false));
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> requests (matching <paramref name="when"/>, else any) get no answer: the stub
    /// holds them until the client gives up (its timeout) or the stub stops. Recorded with status 0.
    /// </summary>
    internal void Hang(int times, Func<RecordedRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        lock (_gate)
        {
            _faults.Add(new Fault(times, 0, null, when, Hang: true));
        }
    }

    /// <summary>Forgets the recorded requests and the faults not yet used (the sink keeps its files and numbering).</summary>
    internal void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _faults.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new RecordedRequest(0, request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", headers, body, _clock.GetUtcNow(), 0, Injected: false);
        var json = RecordedRequest.ParseJson(body);

        Answer answer;
        int sinkSequence = 0;
        lock (_gate)
        {
            var fault = TakeFault(received);
            answer = fault is null ? Route(received, json) : Answer.For(fault);
            received = received with { Sequence = ++_sequence, Status = answer.Status, Injected = fault is not null };
            _requests.Add(received);
            if (SinkDirectory is not null && received.Succeeded)
            {
                sinkSequence = ++_sinkSequence;
            }
        }

        if (received.Injected)
        {
            Log.FaultInjected(_logger, received.Method, received.Path, answer.Status);
        }

        if (answer.Hang)
        {
            await HoldAsync(context);
            return;
        }

        if (sinkSequence > 0)
        {
            await WriteToSinkAsync(sinkSequence, received, json, answer.Slug);
        }

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (answer.Body is { } responseBody)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(responseBody.ToJsonString(), context.RequestAborted);
        }
    }

    private Fault? TakeFault(RecordedRequest request)
    {
        var index = _faults.FindIndex(f => f.When is null || f.When(request));
        if (index < 0)
        {
            return null;
        }

        var fault = _faults[index];
        if (fault.Times <= 1)
        {
            _faults.RemoveAt(index);
        }
        else
        {
            _faults[index] = fault with { Times = fault.Times - 1 };
        }

        return fault;
    }

    private async Task HoldAsync(HttpContext context)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, held.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, or the stub stops: drop the connection without an answer.
        }

        context.Abort();
    }

    /// <summary>Answers what Graph v1.0 would for the calls the gateway makes (called under the lock: ids stay unique).</summary>
    private Answer Route(RecordedRequest request, JsonNode? json)
    {
        var segments = request.Path.Trim('/').Split('/');
        if (segments.Length < 2 || !Is(segments[0], Version) || !HttpMethods.IsPost(request.Method))
        {
            return NotFound(request);
        }

        var route = segments[1..];
        var kind = route switch
        {
            [_, _, _] when Is(route[0], "teams") && Is(route[2], "channels") => "channel",
            [_, _, _, _, _] when Is(route[0], "teams") && Is(route[2], "channels") && Is(route[4], "messages") => "channel-message",
            [_, _, _, _, _] when Is(route[0], "teams") && Is(route[2], "channels") && Is(route[4], "members") => "channel-member",
            [_, _, _, _, _, _, _] when Is(route[0], "teams") && Is(route[2], "channels") && Is(route[4], "messages") && Is(route[6], "replies") => "channel-reply",
            [_, _, _, _] when Is(route[0], "users") && Is(route[2], "teamwork") && Is(route[3], "sendActivityNotification") => "activity-notification",
            [_, _, _] when Is(route[0], "users") && Is(route[2], "sendMail") => "send-mail",
            [_, _, _] when Is(route[0], "users") && Is(route[2], "onlineMeetings") => "online-meeting",
            _ => null,
        };
        if (kind is null)
        {
            return NotFound(request);
        }

        if (request.BearerToken is not { Length: > 0 })
        {
            return Answer.Error(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "Access token is empty.");
        }

        if (json is not JsonObject body)
        {
            return Answer.Error(HttpStatusCode.BadRequest, "BadRequest", "Empty or invalid JSON payload.");
        }

        var at = request.ReceivedAt.ToUniversalTime();
        return kind switch
        {
            "channel-message" => Message(kind, route[1], route[3], replyTo: null, body, at),
            "channel-reply" => Message(kind, route[1], route[3], replyTo: route[5], body, at),
            "channel" => Channel(route[1], body, at),
            "channel-member" => Member(route[1], route[3], body),
            "online-meeting" => Meeting(route[1], body, at),
            "activity-notification" => body["topic"] is JsonObject && body["activityType"] is JsonValue
                ? Answer.Success(kind, HttpStatusCode.NoContent, null)
                : Answer.Error(HttpStatusCode.BadRequest, "BadRequest", "topic and activityType are required."),
            _ => body["message"] is JsonObject
                ? Answer.Success(kind, HttpStatusCode.Accepted, null)
                : Answer.Error(HttpStatusCode.BadRequest, "ErrorInvalidRequest", "The message is required."),
        };
    }

    private Answer Message(string kind, string team, string channel, string? replyTo, JsonObject body, DateTimeOffset at)
    {
        // Graph refuses an attachment that the body does not place with <attachment id="…"></attachment>.
        var content = Text(body["body"]?["content"]) ?? "";
        foreach (var attachment in (body["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = Text(attachment["id"]);
            if (id is null || !content.Contains($"<attachment id=\"{id}\"></attachment>", StringComparison.Ordinal))
            {
                return Answer.Error(HttpStatusCode.BadRequest, "BadRequest", $"Attachment '{id}' is not referenced in the message body.");
            }
        }

        var messageId = _lastMessageId = Math.Max(_lastMessageId + 1, at.ToUnixTimeMilliseconds());
        var messageIdText = messageId.ToString(CultureInfo.InvariantCulture);
        var response = (JsonObject)body.DeepClone();
        response["@odata.context"] = $"{BaseUrl}/$metadata#teams('{team}')/channels('{channel}')/messages/$entity";
        response["id"] = messageIdText;
        response["replyToId"] = replyTo;
        response["etag"] = messageIdText;
        response["messageType"] = "message";
        response["createdDateTime"] = at;
        response["lastModifiedDateTime"] = at;
        response["importance"] ??= "normal";
        response["channelIdentity"] = new JsonObject { ["teamId"] = team, ["channelId"] = channel };
        response["webUrl"] = "https://teams.microsoft.com/l/message/" + Uri.EscapeDataString(channel) + "/" + messageIdText
            + "?groupId=" + Uri.EscapeDataString(team) + "&parentMessageId=" + (replyTo is null ? messageIdText : Uri.EscapeDataString(replyTo))
            + "&createdTime=" + messageIdText;
        return Answer.Success(kind, HttpStatusCode.Created, response);
    }

    private Answer Channel(string team, JsonObject body, DateTimeOffset at)
    {
        if (Text(body["displayName"]) is not { Length: > 0 } displayName)
        {
            return Answer.Error(HttpStatusCode.BadRequest, "BadRequest", "displayName is required.");
        }

        var id = $"19:{Guid.NewGuid():N}@thread.tacv2";
        return Answer.Success("channel", HttpStatusCode.Created, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#teams('{team}')/channels/$entity",
            ["id"] = id,
            ["createdDateTime"] = at,
            ["displayName"] = displayName,
            ["description"] = body["description"]?.DeepClone(),
            ["membershipType"] = body["membershipType"]?.DeepClone() ?? "standard",
            ["webUrl"] = "https://teams.microsoft.com/l/channel/" + Uri.EscapeDataString(id) + "/" + Uri.EscapeDataString(displayName)
                + "?groupId=" + Uri.EscapeDataString(team),
        });
    }

    private Answer Member(string team, string channel, JsonObject body)
    {
        var binding = Text(body["user@odata.bind"]);
        if (binding is null)
        {
            return Answer.Error(HttpStatusCode.BadRequest, "BadRequest", "user@odata.bind is required.");
        }

        var user = binding.Split("'") is [_, var inner, ..] ? inner : binding;
        return Answer.Success("channel-member", HttpStatusCode.Created, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#teams('{team}')/channels('{channel}')/members/$entity",
            ["@odata.type"] = "#microsoft.graph.aadUserConversationMember",
            ["id"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{channel}#{user}")),
            ["roles"] = body["roles"]?.DeepClone() ?? new JsonArray(),
            ["userId"] = user,
            ["email"] = user,
        });
    }

    private Answer Meeting(string organizer, JsonObject body, DateTimeOffset at)
    {
        var thread = Guid.NewGuid().ToString("N");
        return Answer.Success("online-meeting", HttpStatusCode.Created, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#users('{organizer}')/onlineMeetings/$entity",
            ["id"] = "MSo" + thread,
            ["creationDateTime"] = at,
            ["startDateTime"] = body["startDateTime"]?.DeepClone(),
            ["endDateTime"] = body["endDateTime"]?.DeepClone(),
            ["subject"] = body["subject"]?.DeepClone(),
            ["participants"] = body["participants"]?.DeepClone(),
            ["joinWebUrl"] = $"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0",
        });
    }

    private static Answer NotFound(RecordedRequest request) =>
        Answer.Error(HttpStatusCode.NotFound, "NotFound", $"The local Graph does not answer {request.Method} {request.Path}.");

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates the sink directory and numbers new files after those already there (a restarted <c>hub serve</c> appends).</summary>
    private void PrepareSink()
    {
        if (SinkDirectory is null)
        {
            return;
        }

        Directory.CreateDirectory(SinkDirectory);
        _sinkSequence = Directory.EnumerateFiles(SinkDirectory, "*.json")
            .Select(file => Path.GetFileName(file))
            .Select(name => name.Length > 6 && int.TryParse(name.AsSpan(0, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>
    /// Writes <c>{seq:D6}-{METHOD}-{slug}[-card].json</c> and, per card, <c>…-card.html</c> (<see cref="CardPreviewPage"/>,
    /// with the official renderer copied beside it before the first). The name comes from the
    /// route's kind only, never from the path's ids or the body, so nothing a caller sends reaches a file name. Tokens
    /// are not written. A failure is logged, never thrown: the request was answered all the same.
    /// </summary>
    private async Task WriteToSinkAsync(int sequence, RecordedRequest request, JsonNode? body, string slug)
    {
        var directory = SinkDirectory!;
        var cards = RecordedRequest.CardsIn(body);
        var stem = $"{sequence:D6}-{request.Method.ToUpperInvariant()}-{slug}{(cards.Count > 0 ? "-card" : "")}";
        try
        {
            Directory.CreateDirectory(directory);
            var record = new JsonObject
            {
                ["method"] = request.Method,
                ["path"] = request.Path,
                ["query"] = request.Query.Length > 0 ? request.Query : null,
                ["receivedAt"] = request.ReceivedAt,
                ["status"] = request.Status,
                ["body"] = body?.DeepClone() ?? (request.Body.Length > 0 ? JsonValue.Create(request.Body) : null),
            };
            if (cards.Count > 0)
            {
                record["cards"] = new JsonArray([.. cards.Select(card => RecordedRequest.ParseJson(card) ?? JsonValue.Create(card))]);
            }

            await SinkFile.WriteAllTextAsync(Path.Combine(directory, stem + ".json"), record.ToJsonString(_indented), CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Log.SinkWriteFailed(_logger, exception, sequence, request.Method, request.Path, directory);
            return;
        }

        for (var i = 0; i < cards.Count; i++)
        {
            var fileName = stem + (i == 0 ? "" : $"-{i + 1}") + ".html";
            try
            {
                await _previews!.WriteAsync(fileName, cards[i]);
            }
#pragma warning disable CA1031 // The preview is a courtesy: whatever goes wrong rendering it must not fail the request.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.CardPreviewFailed(_logger, exception, fileName, sequence);
            }
        }
    }

    private sealed record Fault(int Times, int Status, TimeSpan? RetryAfter, Func<RecordedRequest, bool>? When, bool Hang);

    private sealed record Answer(int Status, JsonNode? Body, string Slug, TimeSpan? RetryAfter = null, bool Hang = false)
    {
        public static Answer Success(string slug, HttpStatusCode status, JsonNode? body) => new((int)status, body, slug);

        public static Answer Error(HttpStatusCode status, string code, string message, TimeSpan? retryAfter = null) =>
            new((int)status, ErrorBody(code, message), "error", retryAfter);

        public static Answer For(Fault fault) => fault.Hang
            ? new Answer(0, null, "hang", Hang: true)
            : Error((HttpStatusCode)fault.Status, CodeFor(fault.Status), $"Injected by the local Graph: {fault.Status}.", fault.RetryAfter);

        private static JsonObject ErrorBody(string code, string message) => new()
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString() },
            },
        };

        private static string CodeFor(int status) => status switch
        {
            400 => "BadRequest",
            401 => "InvalidAuthenticationToken",
            403 => "Forbidden",
            404 => "NotFound",
            408 => "RequestTimeout",
            409 => "Conflict",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => "UnknownError",
        };
    }
}
