namespace ContinuityHub.Cli.Demo;

/// <summary>The files <c>demo-output/</c> holds, each with a line for the index's list.</summary>
internal static class DemoFiles
{
    /// <summary>A line for each file the index lists.</summary>
    public static IEnumerable<DemoFile> Describe(IReadOnlyList<DemoCard> cards, IReadOnlyList<DemoStep> steps)
    {
        foreach (var card in cards)
        {
            yield return (new DemoFile(card.File, $"{(card.Kind == "report" ? "The report's summary card" : $"Card to the crisis team of {card.Plan} ({card.Kind})")}: {card.Summary}"));
        }

        foreach (var file in steps.SelectMany(s => s.Files).Where(f => f.StartsWith("events-sink/", StringComparison.Ordinal)))
        {
            yield return (new DemoFile(file, "PlanInvoked event (CloudEvents JSON), as the continuity-events topic would carry it"));
        }

        foreach (var file in steps.SelectMany(s => s.Files).Where(f => f.StartsWith("reactions-sink/", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            yield return (new DemoFile(file, "A plan's automation request (the signed ContinuityHub.AutomationRequested CloudEvent, its callback URL inside), as the webhook would receive it"));
        }

        foreach (var file in steps.SelectMany(s => s.Files).Where(f => f.StartsWith("report/", StringComparison.Ordinal)))
        {
            yield return (new DemoFile(file, $"The continuity report ({Path.GetExtension(file).TrimStart('.').ToUpperInvariant()})"));
        }

        yield return (new DemoFile("teams-sink/", "Every Graph request the hub sent, one JSON file each, with an HTML preview of each card"));
        yield return (new DemoFile("reactions-sink/", "The notes the hub would write back to the incident's source record and the plans' automation requests, one request per file (credentials and signatures masked)"));
        yield return (new DemoFile(DemoPage.IndexFileName, "This page"));
        yield return (new DemoFile(DemoPage.TimelineFileName, "The timeline as JSON"));
        yield return (new DemoFile("hub.log", "The hub's log"));
    }
}
