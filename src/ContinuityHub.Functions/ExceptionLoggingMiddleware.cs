using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Functions;

/// <summary>
/// Every function failure is logged once, with the function and invocation it belongs to, then rethrown so the host
/// records the failure (and retries or dead-letters where the trigger does).
/// </summary>
internal sealed partial class ExceptionLoggingMiddleware(ILogger<ExceptionLoggingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FunctionFailed(logger, e, context.FunctionDefinition.Name, context.InvocationId);
            throw;
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private static partial void FunctionFailed(ILogger logger, Exception exception, string functionName, string invocationId);
}
