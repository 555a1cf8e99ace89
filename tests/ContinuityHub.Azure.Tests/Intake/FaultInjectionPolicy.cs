using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ContinuityHub.Azure.Tests.Intake;

/// <summary>
/// Fails the next entity-group transactions (<c>POST …/$batch</c>) the table client sends, as a storage outage would:
/// before the request leaves (nothing written) or after the service answered (written, but the answer lost).
/// </summary>
internal sealed class FaultInjectionPolicy : HttpPipelinePolicy
{
    private int _remaining;
    private int _injected;

    /// <summary>True: the request reaches the service and the response is lost; false: the request never leaves.</summary>
    public bool AfterSend { get; init; }

    public int Injected => Volatile.Read(ref _injected);

    public void FailNext(int transactions) => Volatile.Write(ref _remaining, transactions);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fail = Take(message);
        if (fail && !AfterSend)
        {
            throw Fault();
        }

        ProcessNext(message, pipeline);
        if (fail)
        {
            throw Fault();
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fail = Take(message);
        if (fail && !AfterSend)
        {
            throw Fault();
        }

        await ProcessNextAsync(message, pipeline);
        if (fail)
        {
            throw Fault();
        }
    }

    private bool Take(HttpMessage message)
    {
        if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return false;
        }

        var left = Interlocked.Decrement(ref _remaining);
        if (left < 0)
        {
            Interlocked.Increment(ref _remaining);
            return false;
        }

        Interlocked.Increment(ref _injected);
        return true;
    }

    private RequestFailedException Fault() =>
        new(503, AfterSend ? "Injected fault: the transaction was sent but its response was lost." : "Injected fault: the table service is unavailable.");
}
