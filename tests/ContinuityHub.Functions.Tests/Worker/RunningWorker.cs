using System.Text.Json;
using ContinuityHub.Azure;
using ContinuityHub.Functions.Tests.Deployment;
using ContinuityHub.Functions.Tests.Worker.Protocol;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Worker;

/// <summary>
/// The published Functions app running as a worker process, connected to <see cref="WorkerProtocolHost"/> and taken
/// through what the Functions host does before it invokes anything: the start stream, init, metadata (the app
/// indexes its own functions) and one load per function. Started once for the tests of a class, on an Azurite of its
/// own: its timers run on the real clock over everything stored, so they must not touch other tests' incidents.
/// </summary>
public sealed class RunningWorker(BicepFixture bicep) : IAsyncLifetime
{
    private readonly AzuriteFixture _storage = new();
    /// <summary>How long any one step of the conversation may take before the test says which step hung.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(1);

    private readonly string _appDirectory = Path.Combine(Path.GetTempPath(), "continuityhub-worker-" + Guid.NewGuid().ToString("N"));
    private WorkerProtocolHost? _host;
    private WorkerProcess? _worker;

    public string AppDirectory => _appDirectory;

    /// <summary>The deployed settings that reach what only Azure has (see <see cref="Settings"/>).</summary>
    public static IReadOnlyList<string> AzureOnly { get; } =
    [
        HubSettings.StorageAccountName, HubSettings.StorageClientId,
        HubSettings.ServiceBusFullyQualifiedNamespace, HubSettings.ServiceBusClientId,
        HubSettings.ApplicationInsightsAuthenticationString,
    ];

    public WorkerInitResponse Init { get; private set; } = null!;

    public FunctionMetadataResponse Metadata { get; private set; } = null!;

    public IReadOnlyDictionary<string, FunctionLoadResponse> Loads { get; private set; } = new Dictionary<string, FunctionLoadResponse>();

    /// <summary>The worker's HTTP server (the <c>HttpUri</c> capability of the ASP.NET Core integration).</summary>
    public Uri HttpUri => new(Init.Capabilities["HttpUri"]);

    public string StorageConnectionString => _storage.ConnectionString;

    /// <summary>What the worker printed and logged over the stream, for failure messages.</summary>
    public string Diagnostics => $"worker output:\n{_worker?.Output}\nworker logs over gRPC:\n{string.Join('\n', _host?.Logs ?? [])}";

    /// <summary>
    /// The settings the worker runs with: the deployed ones (<see cref="DeployedAppSettings.Values"/>), with what
    /// only Azure has replaced by what runs here — storage is Azurite (a connection string instead of the managed
    /// identity), Service Bus is left unset (there is no emulator; the drain is then off), and telemetry goes to an
    /// address on loopback without Entra authentication (the token would come from the managed-identity endpoint).
    /// </summary>
    public Dictionary<string, string> Settings()
    {
        var settings = DeployedAppSettings.Values(bicep.CompiledTemplate());
        foreach (var azureOnly in AzureOnly)
        {
            Assert.True(settings.Remove(azureOnly), $"the deployment no longer sets {azureOnly}: say here what stands in for it");
        }

        settings["Storage"] = _storage.ConnectionString;
        settings[HubSettings.ApplicationInsightsConnectionString] =
            "InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/";
        return settings;
    }

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await WorkerProcess.PublishAsync(_appDirectory, cancellationToken);
        await _storage.InitializeAsync();
        await FunctionsHost.ImportSeedAsync(_storage.ConnectionString, cancellationToken);
        _host = await WorkerProtocolHost.StartAsync(cancellationToken);

        var workerId = Guid.NewGuid().ToString();
        _worker = WorkerProcess.Start(_appDirectory, FunctionsAppStartupTests.HostArguments(_host.Endpoint, workerId, Guid.NewGuid().ToString()), Settings());

        var start = await ReceiveAsync("the start stream", m => m.ContentCase == StreamingMessage.ContentOneofCase.StartStream);
        Assert.Equal(workerId, start.StartStream.WorkerId);

        await _host.SendAsync(new StreamingMessage
        {
            RequestId = "init",
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = "4.1045.200.25556",
                WorkerDirectory = _appDirectory,
                FunctionAppDirectory = _appDirectory,
            },
        });
        Init = (await ReceiveAsync("the init response", m => m.ContentCase == StreamingMessage.ContentOneofCase.WorkerInitResponse)).WorkerInitResponse;

        await _host.SendAsync(new StreamingMessage
        {
            RequestId = "metadata",
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _appDirectory },
        });
        Metadata = (await ReceiveAsync("the function metadata", m => m.ContentCase == StreamingMessage.ContentOneofCase.FunctionMetadataResponse)).FunctionMetadataResponse;

        var loads = new Dictionary<string, FunctionLoadResponse>(StringComparer.Ordinal);
        foreach (var function in Metadata.FunctionMetadataResults)
        {
            await _host.SendAsync(new StreamingMessage
            {
                RequestId = "load-" + function.Name,
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
            });
            var load = await ReceiveAsync(
                "the load of " + function.Name,
                m => m.ContentCase == StreamingMessage.ContentOneofCase.FunctionLoadResponse && m.FunctionLoadResponse.FunctionId == function.FunctionId);
            loads[function.Name] = load.FunctionLoadResponse;
        }

        Loads = loads;
    }

    /// <summary>The metadata the worker reported for <paramref name="name"/>.</summary>
    public RpcFunctionMetadata Function(string name) => Assert.Single(Metadata.FunctionMetadataResults, f => f.Name == name);

    /// <summary>Each binding of a reported function as (name, type, direction), read from its raw bindings.</summary>
    public static IReadOnlyList<(string Name, string Type, string Direction)> Bindings(IEnumerable<string> rawBindings) =>
        rawBindings.Select(raw =>
        {
            using var binding = JsonDocument.Parse(raw);
            return Binding(binding.RootElement);
        }).ToList();

    public static (string Name, string Type, string Direction) Binding(JsonElement binding) =>
        (binding.GetProperty("name").GetString()!, binding.GetProperty("type").GetString()!, binding.GetProperty("direction").GetString()!.ToUpperInvariant());

    /// <summary>Invokes a function as the host does for a trigger that carries its data in the invocation (a timer).</summary>
    public async Task<InvocationResponse> InvokeAsync(string functionName, string bindingName, TypedData data)
    {
        var invocationId = Guid.NewGuid().ToString();
        var request = NewInvocation(functionName, invocationId);
        request.InputData.Add(new ParameterBinding { Name = bindingName, Data = data });
        request.TriggerMetadata.Add(bindingName, data);
        await _host!.SendAsync(new StreamingMessage { RequestId = invocationId, InvocationRequest = request });
        return await InvocationResponseAsync(functionName, invocationId);
    }

    /// <summary>
    /// Invokes an HTTP function as the host does with the worker's ASP.NET Core integration: the invocation request
    /// (route values as trigger metadata) and, at the same time, the HTTP request forwarded to the worker's own HTTP
    /// server with the invocation id header; the worker writes the response.
    /// </summary>
    public async Task<(InvocationResponse Invocation, HttpResponseMessage Response)> InvokeHttpAsync(
        string functionName,
        HttpRequestMessage httpRequest,
        IReadOnlyDictionary<string, string> routeValues)
    {
        ArgumentNullException.ThrowIfNull(httpRequest);
        var invocationId = Guid.NewGuid().ToString();
        var request = NewInvocation(functionName, invocationId);
        var http = new RpcHttp { Method = httpRequest.Method.Method, Url = new Uri(HttpUri, httpRequest.RequestUri!).AbsoluteUri };
        foreach (var (name, value) in routeValues)
        {
            http.Params.Add(name, value);
            request.TriggerMetadata.Add(name, new TypedData { String = value });
        }

        request.InputData.Add(new ParameterBinding { Name = "request", Data = new TypedData { Http = http } });
        httpRequest.RequestUri = new Uri(HttpUri, httpRequest.RequestUri!);
        httpRequest.Headers.Add("x-ms-invocation-id", invocationId);

        using var client = new HttpClient { Timeout = StepTimeout };
        var sending = client.SendAsync(httpRequest, TestContext.Current.CancellationToken);
        await _host!.SendAsync(new StreamingMessage { RequestId = invocationId, InvocationRequest = request });
        var response = await WhileRunning($"the HTTP response of {functionName}", sending);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        return (await InvocationResponseAsync(functionName, invocationId), response);
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _storage.DisposeAsync();

        try
        {
            Directory.Delete(_appDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind harms nothing.
        }
    }

    /// <summary>An invocation of a loaded function, with the W3C trace context the host always sends.</summary>
    private InvocationRequest NewInvocation(string functionName, string invocationId) => new()
    {
        InvocationId = invocationId,
        FunctionId = Function(functionName).FunctionId,
        TraceContext = new RpcTraceContext
        {
            TraceParent = $"00-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01",
        },
    };

    private async Task<InvocationResponse> InvocationResponseAsync(string functionName, string invocationId) =>
        (await ReceiveAsync(
            "the invocation response of " + functionName,
            m => m.ContentCase == StreamingMessage.ContentOneofCase.InvocationResponse && m.InvocationResponse.InvocationId == invocationId)).InvocationResponse;

    private Task<StreamingMessage> ReceiveAsync(string what, Func<StreamingMessage, bool> match) =>
        WhileRunning(what, _host!.ReceiveAsync(match, TestContext.Current.CancellationToken));

    /// <summary>Awaits <paramref name="step"/>, failing with the worker's output if the worker exits or the step hangs.</summary>
    private async Task<T> WhileRunning<T>(string what, Task<T> step)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StepTimeout);
        var exited = _worker!.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(step, exited);
        if (first == step)
        {
            return await step;
        }

        Assert.Fail(_worker.HasExited
            ? $"The worker exited while the test waited for {what}.\n{Diagnostics}"
            : $"No {what} within {StepTimeout.TotalSeconds:0} s.\n{Diagnostics}");
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>Protobuf helpers for the tests' messages.</summary>
internal static class ProtocolMessages
{
    /// <summary>A result's failure in words: the message and exception the worker sent.</summary>
    public static string Describe(this StatusResult result) =>
        result.Status == StatusResult.Types.Status.Success
            ? "Success"
            : $"{result.Status}: {result.Result} {result.Exception?.Type} {result.Exception?.Message}\n{result.Exception?.StackTrace}";

    /// <summary>TimerInfo as the host's timer trigger sends it.</summary>
    public static TypedData TimerInfo() => new()
    {
        Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""",
    };
}
