using System.Reflection;
using System.Text.Json;
using ContinuityHub.Local;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Worker;

/// <summary>
/// The Functions app ships no local sinks: neither the assemblies it loads nor the dependencies its build records
/// include <c>ContinuityHub.Local</c> (<see cref="LocalGraph"/>, <see cref="LocalEventSink"/>), which only
/// <c>hub</c> and the tests reference. (<see cref="FunctionsWorkerProcessTests"/> checks the published folder too.)
/// </summary>
public class FunctionsAppReferencesTests
{
    private static readonly string LocalAssembly = typeof(LocalGraph).Assembly.GetName().Name!;

    [Fact]
    public void No_hub_assembly_the_Functions_app_loads_is_or_references_the_local_sinks()
    {
        var loaded = HubAssembliesReachableFrom(typeof(FunctionsAppComposition).Assembly);

        Assert.Contains("ContinuityHub.Azure", loaded.Select(a => a.GetName().Name));
        Assert.DoesNotContain(LocalAssembly, loaded.Select(a => a.GetName().Name));
        Assert.DoesNotContain(loaded.SelectMany(a => a.GetTypes()), t => t.Name is nameof(LocalGraph) or nameof(LocalEventSink) or nameof(RecordedRequest));
    }

    [Fact]
    public void Functions_build_records_no_dependency_on_the_local_sinks()
    {
        var libraries = LibrariesIn(FunctionsDepsJson());

        Assert.Contains(libraries, name => name.StartsWith("ContinuityHub.Azure/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, name => name.StartsWith(LocalAssembly + "/", StringComparison.Ordinal));
    }

    /// <summary>The library names (<c>name/version</c>) a <c>.deps.json</c> lists.</summary>
    internal static IReadOnlyList<string> LibrariesIn(string depsJsonPath)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(depsJsonPath));
        return [.. deps.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name)];
    }

    /// <summary>The hub's own assemblies (<c>ContinuityHub.*</c>) <paramref name="root"/> references, directly or not, and itself.</summary>
    private static List<Assembly> HubAssembliesReachableFrom(Assembly root)
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal) { [root.GetName().Name!] = root };
        var pending = new Queue<Assembly>([root]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } name && name.StartsWith("ContinuityHub.", StringComparison.Ordinal) && !found.ContainsKey(name))
                {
                    var loaded = Assembly.Load(reference);
                    found[name] = loaded;
                    pending.Enqueue(loaded);
                }
            }
        }

        return [.. found.Values];
    }

    /// <summary>The Functions project's own build output, in the configuration and framework these tests were built in.</summary>
    private static string FunctionsDepsJson()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var configuration = typeof(FunctionsAppReferencesTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(AzuriteFixture.RepositoryRoot, "src", "ContinuityHub.Functions", "bin", configuration, framework, "ContinuityHub.Functions.deps.json");
        Assert.True(File.Exists(path), $"{path} is missing: build the Functions project first");
        return path;
    }
}
