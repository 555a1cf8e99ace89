using System.Net;
using System.Threading.Channels;
using ContinuityHub.Functions.Tests.Worker.Protocol;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Functions.Tests.Worker;

/// <summary>
/// The Functions host's side of its conversation with a language worker, as far as the start-up tests need it: a
/// gRPC server on loopback (HTTP/2 without TLS, as the host listens) serving <c>FunctionRpc.EventStream</c>, with
/// what the worker sends kept for <see cref="ReceiveAsync"/> and what the test sends written to the worker in order.
/// </summary>
internal sealed class WorkerProtocolHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WorkerStream _stream;

    private WorkerProtocolHost(WebApplication app, WorkerStream stream, Uri endpoint)
    {
        _app = app;
        _stream = stream;
        Endpoint = endpoint;
    }

    /// <summary>Where the worker connects (<c>--functions-uri</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>Every log line the worker sent over the stream, as <c>level category: message</c>.</summary>
    public IReadOnlyList<string> Logs => _stream.Logs;

    public static async Task<WorkerProtocolHost> StartAsync(CancellationToken cancellationToken)
    {
        var stream = new WorkerStream();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(stream);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new WorkerProtocolHost(app, stream, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public ValueTask SendAsync(StreamingMessage message) => _stream.SendAsync(message);

    /// <summary>The first message from the worker that <paramref name="match"/> accepts, taken off the list.</summary>
    public Task<StreamingMessage> ReceiveAsync(Func<StreamingMessage, bool> match, CancellationToken cancellationToken) =>
        _stream.ReceiveAsync(match, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _stream.Complete();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>The one stream of one worker: what it sent, and what is queued for it.</summary>
    internal sealed class WorkerStream
    {
        private readonly Channel<StreamingMessage> _toWorker = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
        private readonly List<StreamingMessage> _received = [];
        private readonly List<string> _logs = [];
        private readonly Lock _gate = new();
        private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Logs
        {
            get
            {
                lock (_gate)
                {
                    return [.. _logs];
                }
            }
        }

        public ValueTask SendAsync(StreamingMessage message) => _toWorker.Writer.WriteAsync(message);

        public void Complete() => _toWorker.Writer.TryComplete();

        public async Task<StreamingMessage> ReceiveAsync(Func<StreamingMessage, bool> match, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task arrived;
                lock (_gate)
                {
                    var index = _received.FindIndex(m => match(m));
                    if (index >= 0)
                    {
                        var message = _received[index];
                        _received.RemoveAt(index);
                        return message;
                    }

                    arrived = _arrived.Task;
                }

                await arrived.WaitAsync(cancellationToken);
            }
        }

        public void Received(StreamingMessage message)
        {
            TaskCompletionSource arrived;
            lock (_gate)
            {
                if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
                {
                    var log = message.RpcLog;
                    _logs.Add($"{log.Level} {log.Category}: {log.Message}{(log.Exception is null ? string.Empty : " " + log.Exception.Message)}");
                    return;
                }

                _received.Add(message);
                arrived = _arrived;
                _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            arrived.TrySetResult();
        }

        public async Task WriteToWorkerAsync(IServerStreamWriter<StreamingMessage> worker, CancellationToken cancellationToken)
        {
            await foreach (var message in _toWorker.Reader.ReadAllAsync(cancellationToken))
            {
                await worker.WriteAsync(message, cancellationToken);
            }
        }
    }

    /// <summary>The gRPC service the worker calls once and keeps open.</summary>
    private sealed class FunctionRpcService(WorkerStream stream) : FunctionRpc.FunctionRpcBase
    {
        public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            var writing = stream.WriteToWorkerAsync(responseStream, stop.Token);
            try
            {
                await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
                {
                    stream.Received(message);
                }
            }
            finally
            {
                await stop.CancelAsync();
                try
                {
                    await writing;
                }
                catch (OperationCanceledException)
                {
                    // The worker went away, or the test host is stopping.
                }
            }
        }
    }
}
