// TEMPORARY STUB: replaced by the demo-page branch.
namespace ContinuityHub.Cli.Demo;

internal static class DemoPage
{
    public static Task WriteAsync(DemoRun run, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(run.OutputDirectory, "index.html"), "<!DOCTYPE html><title>demo</title>", cancellationToken);

    public static Task WriteTimelineAsync(DemoRun run, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(run.OutputDirectory, "timeline.json"), System.Text.Json.JsonSerializer.Serialize(run), cancellationToken);
}
