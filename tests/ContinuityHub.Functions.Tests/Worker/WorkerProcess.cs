using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Worker;

/// <summary>
/// The published Functions app started as the Functions host starts a .NET isolated worker: the executable and
/// assembly its <c>worker.config.json</c> names, in the app's folder, with the host's command line and the app
/// settings as environment variables. Its console output is kept for the failure messages.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>What the worker printed so far (stdout and stderr, interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Publishes <c>src/ContinuityHub.Functions</c> (the configuration these tests were built in, no rebuild) into <paramref name="directory"/>.</summary>
    public static async Task PublishAsync(string directory, CancellationToken cancellationToken)
    {
        var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var project = Path.Combine(AzuriteFixture.RepositoryRoot, "src", "ContinuityHub.Functions", "ContinuityHub.Functions.csproj");
        var start = new ProcessStartInfo(DotnetHost(), ["publish", project, "--configuration", configuration, "--no-build", "--nologo", "--output", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start");
        var output = publish.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = publish.StandardError.ReadToEndAsync(cancellationToken);
        await publish.WaitForExitAsync(cancellationToken);
        Assert.True(publish.ExitCode == 0, $"dotnet publish of the Functions app failed:\n{await output}\n{await errors}");
    }

    /// <summary>Starts the worker in <paramref name="appDirectory"/> with the host's arguments and <paramref name="settings"/>.</summary>
    public static WorkerProcess Start(string appDirectory, IReadOnlyList<string> hostArguments, IReadOnlyDictionary<string, string> settings)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        var executable = description.GetProperty("defaultExecutablePath").GetString()!;
        var workerPath = description.GetProperty("defaultWorkerPath").GetString()!;

        var start = new ProcessStartInfo(executable == "dotnet" ? DotnetHost() : executable)
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(appDirectory, workerPath));
        foreach (var argument in hostArguments)
        {
            start.ArgumentList.Add(argument);
        }

        // What the Functions host sets for every worker it starts, then the app's settings.
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        start.Environment["AzureWebJobsScriptRoot"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, line) => worker.Append(line.Data);
        process.ErrorDataReceived += (_, line) => worker.Append(line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The <c>dotnet</c> running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
}
