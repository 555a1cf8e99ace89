using System.Text.Json;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// Runs the Bicep CLI once for all the tests of <see cref="BicepTemplates"/>, three commands side by side:
/// <c>bicep build main.bicep</c>; <c>bicep lint</c> of every .bicep file (building main reports a module's error only
/// as "the referenced module has errors", and none of its warnings); <c>bicep build-params</c> of every parameters
/// file. Holds what each printed, the compiled ARM template and the built parameters.
/// </summary>
public sealed class BicepFixture : IAsyncLifetime
{
    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "continuityhub-bicep-" + Guid.NewGuid().ToString("N"));

    public static string BicepDirectory { get; } = Path.Combine(AzuriteFixture.RepositoryRoot, "bicep");

    /// <summary>The Bicep files, relative to <see cref="BicepDirectory"/>: <c>main.bicep</c>, <c>modules/….bicep</c>.</summary>
    public static IReadOnlyList<string> BicepFiles { get; } = Directory.GetFiles(BicepDirectory, "*.bicep", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(BicepDirectory, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The parameters files, by file name (<c>main.dev.bicepparam</c>, …).</summary>
    public static IReadOnlyList<string> ParameterFiles { get; } = Directory.GetFiles(BicepDirectory, "*.bicepparam")
        .Select(Path.GetFileName)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary><c>bicep build main.bicep</c>.</summary>
    public BicepRun Build { get; private set; } = null!;

    /// <summary><c>bicep lint</c> of every file of <see cref="BicepFiles"/>.</summary>
    public BicepRun Lint { get; private set; } = null!;

    /// <summary><c>bicep build-params</c> of every file of <see cref="ParameterFiles"/>.</summary>
    public BicepRun ParameterBuild { get; private set; } = null!;

    /// <summary>The compiled ARM template of <c>bicep/main.bicep</c> (null when the build failed).</summary>
    public ArmTemplate? Template { get; private set; }

    /// <summary>The deployment parameters each parameters file built to, by parameters file name.</summary>
    public IReadOnlyDictionary<string, JsonDocument> Parameters { get; private set; } = new Dictionary<string, JsonDocument>();

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var parametersDirectory = Path.Combine(_outputDirectory, "parameters");
        Directory.CreateDirectory(parametersDirectory);
        var templateFile = Path.Combine(_outputDirectory, "main.json");

        var build = BicepCli.RunAsync(BicepDirectory, ["build", "main.bicep", "--outfile", templateFile], cancellationToken);
        var lint = BicepCli.RunAsync(BicepDirectory, ["lint", "--pattern", "**/*.bicep"], cancellationToken);
        var parameterBuild = BicepCli.RunAsync(BicepDirectory, ["build-params", "--pattern", "*.bicepparam", "--outdir", parametersDirectory], cancellationToken);
        await Task.WhenAll(build, lint, parameterBuild);

        (Build, Lint, ParameterBuild) = (await build, await lint, await parameterBuild);
        if (Build.ExitCode == 0)
        {
            Template = new ArmTemplate(JsonDocument.Parse(await File.ReadAllTextAsync(templateFile, cancellationToken)));
        }

        var parameters = new Dictionary<string, JsonDocument>(StringComparer.Ordinal);
        foreach (var file in ParameterFiles)
        {
            var json = Path.Combine(parametersDirectory, Path.ChangeExtension(file, ".json"));
            if (File.Exists(json))
            {
                parameters[file] = JsonDocument.Parse(await File.ReadAllTextAsync(json, cancellationToken));
            }
        }

        Parameters = parameters;
    }

    /// <summary>The compiled template, failing the test with the build's output when there is none.</summary>
    public ArmTemplate CompiledTemplate()
    {
        if (Template is null)
        {
            Assert.Fail($"bicep/main.bicep did not build:{Environment.NewLine}{Build}");
        }

        return Template;
    }

    public ValueTask DisposeAsync()
    {
        Template?.Dispose();
        foreach (var parameters in Parameters.Values)
        {
            parameters.Dispose();
        }

        if (Directory.Exists(_outputDirectory))
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(nameof(BicepTemplates))]
public sealed class BicepTemplates : ICollectionFixture<BicepFixture>;
