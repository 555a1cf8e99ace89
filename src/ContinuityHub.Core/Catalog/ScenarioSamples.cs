using System.Globalization;

namespace ContinuityHub.Catalog;

/// <summary>
/// Reads the sample files a catalogue's scenarios name (<c>sample: infra/samples/azuremonitor/x.json</c>) into their
/// injects' payloads, so every stored inject carries its payload and nothing downstream reads files. A relative path
/// is looked for beside the catalogue file and then in each folder above it (a seed in <c>infra/seed/</c> names
/// samples from the repository root); an absolute one is taken as it is.
/// </summary>
public static class ScenarioSamples
{
    /// <summary>The most a sample file may hold: what the hub takes in one delivery.</summary>
    public const int MaxSampleBytes = 1024 * 1024;

    /// <summary>Where <paramref name="sample"/> is looked for, in order, from a catalogue in <paramref name="catalogueDirectory"/>.</summary>
    public static IReadOnlyList<string> Candidates(string sample, string catalogueDirectory)
    {
        var relative = sample.Replace('\\', '/');
        if (Path.IsPathFullyQualified(relative))
        {
            return [Path.GetFullPath(relative)];
        }

        var places = new List<string>();
        for (var dir = new DirectoryInfo(Path.GetFullPath(catalogueDirectory)); dir is not null; dir = dir.Parent)
        {
            places.Add(Path.GetFullPath(Path.Combine(dir.FullName, relative)));
        }

        return places;
    }

    /// <summary>
    /// The catalogue with each sample's text as its inject's payload, checked again now that the payloads are there
    /// (each must parse for its source; the scenario must fit storage). A sample found nowhere is taken from
    /// <paramref name="stored"/> when given (the payload the store already holds for that sample: a catalogue exported
    /// elsewhere imports again); else every problem is thrown as one <see cref="HubValidationException"/>.
    /// </summary>
    public static async Task<ContinuityCatalog> LoadAsync(
        ContinuityCatalog catalog,
        string catalogueDirectory,
        Func<string, CancellationToken, Task<string?>>? stored,
        CancellationToken cancellationToken)
    {
        if (!catalog.Exercises.Any(e => e.Scenario.Any(i => i.Sample is not null)))
        {
            return catalog;
        }

        var problems = new List<ValidationProblem>();
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        var exercises = new List<Exercise>(catalog.Exercises.Count);
        for (var i = 0; i < catalog.Exercises.Count; i++)
        {
            var exercise = catalog.Exercises[i];
            var scenario = new List<ExerciseInject>(exercise.Scenario.Count);
            for (var j = 0; j < exercise.Scenario.Count; j++)
            {
                var inject = exercise.Scenario[j];
                if (inject.Sample is { } sample)
                {
                    var path = $"exercises[{i}].scenario[{j}].sample";
                    var text = await ReadAsync(sample, catalogueDirectory, read, path, problems, stored, cancellationToken);
                    inject = inject with { Payload = text ?? inject.Payload };
                }

                scenario.Add(inject);
            }

            exercises.Add(exercise with { Scenario = scenario });
        }

        var loaded = catalog with { Exercises = exercises };
        if (problems.Count == 0)
        {
            problems.AddRange(CatalogValidator.Validate(loaded));
        }

        return problems.Count > 0 ? throw new HubValidationException(problems) : loaded;
    }

    private static async Task<string?> ReadAsync(
        string sample,
        string catalogueDirectory,
        Dictionary<string, string> read,
        string path,
        List<ValidationProblem> problems,
        Func<string, CancellationToken, Task<string?>>? stored,
        CancellationToken cancellationToken)
    {
        var places = Candidates(sample, catalogueDirectory);
        var file = places.FirstOrDefault(File.Exists);
        if (file is null)
        {
            if (stored is not null && await stored(sample, cancellationToken) is { } kept)
            {
                return kept;
            }

            var where = $"{sample} (looked in {string.Join(", ", places)})";
            problems.Add(new(path, stored is null ? $"file not found: {where}" : $"file not found: {where}, and the stored catalogue holds no payload from it"));
            return null;
        }

        if (read.TryGetValue(file, out var text))
        {
            return text;
        }

        try
        {
            var length = new FileInfo(file).Length;
            if (length > MaxSampleBytes)
            {
                problems.Add(new(path, string.Create(CultureInfo.InvariantCulture, $"{file} is {length} bytes; a sample may hold at most {MaxSampleBytes} (1 MiB)")));
                return null;
            }

            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(path, $"{file} could not be read: {e.Message}"));
            return null;
        }

        read[file] = text;
        return text;
    }
}
