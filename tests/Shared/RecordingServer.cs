using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Testing;

/// <summary>
/// A vendor API on loopback (127.0.0.1, a free port) that records every request — method, path and query, headers,
/// body — and answers each with the next queued answer (<see cref="Answer"/>), else 201 with <c>{"id": "n"}</c>.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(HttpStatusCode Status, string Body, string? RetryAfter)> _answers = new();
    private readonly ConcurrentQueue<Recorded> _requests = new();
    private int _sequence;

    private RecordingServer(WebApplication app)
    {
        _app = app;
        _app.Run(RecordAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Recorded> Requests => [.. _requests];

    public static async Task<RecordingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new RecordingServer(builder.Build());
        await server._app.StartAsync();
        server.BaseUrl = new Uri(server._app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Answers the next <paramref name="times"/> requests with <paramref name="status"/> (and <c>Retry-After</c>, when given).</summary>
    public void Answer(HttpStatusCode status, int times = 1, string body = "{}", string? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
        {
            _answers.Enqueue((status, body, retryAfter));
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (status, answer, retryAfter) = _answers.TryDequeue(out var next)
            ? next
            : (HttpStatusCode.Created, $"{{\"id\": \"{Interlocked.Increment(ref _sequence)}\"}}", null);
        _requests.Enqueue(new Recorded(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body, (int)status));
        context.Response.StatusCode = (int)status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    /// <param name="PathAndQuery">As sent: <c>/v2/alerts/abc/notes?identifierType=id</c>.</param>
    /// <param name="Status">What the server answered.</param>
    public sealed record Recorded(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, int Status);
}
