using Azure.Core;
using Azure.Core.Pipeline;

namespace ContinuityHub.Azure.Tests.Graph.NotificationsAccount;

/// <summary>
/// Runs another writer's action just before the next conditional blob upload (<c>PUT</c> with <c>If-Match</c>) leaves,
/// as a second function instance refreshing at the same moment would; counts the uploads.
/// </summary>
internal sealed class InterloperPolicy : HttpPipelinePolicy
{
    private Func<Task>? _before;
    private int _uploads;

    public int Uploads => Volatile.Read(ref _uploads);

    public void BeforeNextConditionalUpload(Func<Task> action) => Volatile.Write(ref _before, action);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Method == RequestMethod.Put && message.Request.Headers.TryGetValue("If-Match", out _))
        {
            Interlocked.Increment(ref _uploads);
            if (Interlocked.Exchange(ref _before, null) is { } action)
            {
                await action();
            }
        }

        await ProcessNextAsync(message, pipeline);
    }
}
