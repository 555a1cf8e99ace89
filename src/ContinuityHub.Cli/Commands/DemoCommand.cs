using ContinuityHub.Exercises;
using System.CommandLine;
using System.Globalization;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Demo;
using ContinuityHub.Cli.Samples;
using ContinuityHub.Intake;
using ContinuityHub.Local;
using Spectre.Console;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub demo</c>: a major incident end to end on a laptop — Azurite, the hub and the local Teams and events sinks
/// started on free loopback ports, the seed catalogue imported, a scripted incident played on a simulated clock
/// (<see cref="DemoScript"/>), a timeline printed as it goes, and <c>demo-output/</c> left behind with
/// <c>index.html</c>. Everything it started stops at the end, and on Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultOutput = "demo-output";

    public static Command Create(CliConsole console, TimeProvider time)
    {
        var output = new Option<string>("--out", "-o") { Description = $"The folder to leave the demo's files in (default ./{DefaultOutput}/); a previous demo's output there is replaced." };
        var keepServing = new Option<bool>("--keep-serving") { Description = "Leave the hub running at the end (until Ctrl+C) and print its address, its API key and a signed curl to post a sample." };
        var command = new Command(
            "demo",
            "Play a major incident end to end on this machine: Azurite, the hub, the Teams and events sinks, the seed catalogue; a timeline as it goes; demo-output/index.html at the end.")
        {
            output, keepServing,
        };
        command.SetAction(async (parse, ct) =>
        {
            var repository = Repository() ?? throw new HubValidationException("demo", "run it from the repository (it needs infra/: the seed catalogue, the samples and Azurite)");
            var folder = Prepare(parse.GetValue(output));
            var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
            if (!ansi.Profile.Capabilities.Interactive)
            {
                // Redirected (a log, CI): one line per step, not wrapped at 80 columns.
                ansi.Profile.Width = 240;
            }

            var clock = new DemoClock(time.GetUtcNow());
            DemoEnvironment? environment = null;
            try
            {
                environment = await StartAsync(ansi, repository, folder, clock, ct);

                ansi.MarkupLine($"[grey]The hub listens on {Markup.Escape(environment!.Serve.Address)}; the simulated clock starts at {Markup.Escape(HumanText.Time(clock.Start))}.[/]");
                var script = new DemoScript(environment, clock, folder, step => Print(ansi, clock, step));
                var run = await script.PlayAsync(ct);
                await DemoPage.WriteTimelineAsync(run, ct);
                await DemoPage.WriteAsync(run, ct);
                Summary(ansi, run);
                if (parse.GetValue(keepServing))
                {
                    await KeepServingAsync(ansi, console.Out, environment, folder, time, ct);
                }
            }
            finally
            {
                if (environment is not null)
                {
                    await environment.DisposeAsync();
                }
            }

            return HubCli.Ok;
        });
        return command;
    }

    /// <summary>Starts what the demo runs on, each stage on its own line, with a spinner while it waits when the output is a terminal.</summary>
    private static async Task<DemoEnvironment> StartAsync(IAnsiConsole ansi, string repository, string folder, DemoClock clock, CancellationToken cancellationToken)
    {
        void Line(string line) => ansi.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        if (!ansi.Profile.Capabilities.Interactive)
        {
            return await DemoEnvironment.StartAsync(repository, folder, null, null, clock, Line, cancellationToken);
        }

        return await ansi.Status().StartAsync("Starting…", async status => await DemoEnvironment.StartAsync(repository, folder, null, null, clock, line =>
        {
            Line(line);
            status.Status(Markup.Escape(line));
        }, cancellationToken));
    }

    private static void Print(IAnsiConsole ansi, DemoClock clock, DemoStep step)
    {
        var offset = step.At - clock.Start;
        var colour = step.Kind switch
        {
            "signal" or "update" => "blue",
            "alert" or "escalation" => "yellow",
            "recommendation" or "decision" or "invoked" => "red",
            "resolved" or "stand-down" => "green",
            "automation" => "aqua",
            "rpo" => "yellow",
            _ => "grey",
        };
        ansi.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]{step.At:HH:mm}[/] [grey]+{Markup.Escape(offset == TimeSpan.Zero ? "0 s" : HumanText.Duration(offset))}[/] [{colour}]{step.Kind,-14}[/] {Markup.Escape(step.What)}"));
        if (step.Who.Length > 0)
        {
            ansi.MarkupLine($"                       [grey]{Markup.Escape(step.Who)}[/]");
        }
    }

    private static void Summary(IAnsiConsole ansi, DemoRun run)
    {
        var table = new Table().AddColumns("What", "How many");
        table.AddRow("Plans alerted", Count(run.Summary.PlansAlerted));
        table.AddRow("Cards sent", Count(run.Summary.Cards));
        table.AddRow("Teams notifications", Count(run.Summary.Notifications));
        table.AddRow("Decisions", Count(run.Summary.Decisions));

        // The notes the hub would add to the source records (PagerDuty's here), as reactions-sink/ holds them.
        var reactions = Path.Combine(run.OutputDirectory, "reactions-sink");
        table.AddRow("Notes written back", Count(Directory.Exists(reactions) ? Directory.GetFiles(reactions, "*-note.json").Length : 0) + Markup.Escape(" (reactions-sink/)"));
        table.AddRow("Automations requested", Count(Directory.Exists(reactions) ? Directory.GetFiles(reactions, "*-automation-*.json").Length : 0) + Markup.Escape(" (reactions-sink/)"));
        table.AddRow("Time to first alert", run.Summary.TimeToFirstAlert is { } first ? Markup.Escape(first == TimeSpan.Zero ? "0 s (at once)" : HumanText.Duration(first)) : "–");
        table.AddRow("Files", Markup.Escape(run.OutputDirectory));
        ansi.Write(table);
        ansi.MarkupLine($"Open [bold]{Markup.Escape(Path.Combine(run.OutputDirectory, "index.html"))}[/] to see the cards as Teams shows them.");
    }

    private static async Task KeepServingAsync(IAnsiConsole ansi, TextWriter raw, DemoEnvironment environment, string folder, TimeProvider time, CancellationToken cancellationToken)
    {
        var (source, path) = VendorSamples.Resolve("pagerduty", null);
        // A new PagerDuty incident (its own event and incident ids), so the hub takes it as news, not a duplicate of the demo's.
        var fresh = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllBytesAsync(path, cancellationToken))!;
        var id = "DEMO" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
        fresh["event"]!["id"] = id + "-triggered";
        fresh["event"]!["data"]!["id"] = id;
        var body = PayloadTimes.Rewrite(System.Text.Encoding.UTF8.GetBytes(fresh.ToJsonString()), time.GetUtcNow());
        var sample = Path.Combine(folder, "sample-pagerduty.json");
        await File.WriteAllBytesAsync(sample, body, cancellationToken);
        var secret = environment.Secrets[source];
        ansi.MarkupLine($"The hub keeps serving at [bold]{Markup.Escape(environment.Serve.Address)}[/] (Ctrl+C stops it). Its clock stays where the demo left it.");
        ansi.MarkupLine($"API key for GET /api/incidents/{{key}} (header {ContinuityHub.Cli.Serve.ApiKeyFilter.Header}): {Markup.Escape(environment.ApiKey)}");
        // The commands go out unwrapped (not through the console library, which wraps at the terminal's width), to paste as they are.
        await raw.WriteLineAsync("Post a new PagerDuty incident (the sample, with fresh ids and times), signed:");
        await raw.WriteLineAsync($"  curl -i {environment.Serve.Address}/api/intake/pagerduty -H 'Content-Type: application/json' -H '{WebhookAuthenticator.PagerDutySignatureHeader}: v1={WebhookAuthenticator.Sign(secret, body)}' --data-binary @{sample}");
        await raw.WriteLineAsync("or any sample with fresh times:");
        await raw.WriteLineAsync($"  Intake__Sources__pagerduty__Secret={secret} ./hub samples send pagerduty/incident-resolved --url {environment.Serve.Address}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            ansi.WriteLine("Stopped.");
        }
    }

    /// <summary>The output folder, emptied: a previous demo's output is replaced; any other folder with files is refused.</summary>
    internal static string Prepare(string? requested)
    {
        var folder = Path.GetFullPath(string.IsNullOrWhiteSpace(requested) ? DefaultOutput : requested);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, "timeline.json")) && !File.Exists(Path.Combine(folder, "hub.log")))
            {
                throw new HubValidationException("--out", $"{folder} holds files that are not a demo's output: give an empty or new folder");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The clone the demo plays from: the one whose infra/ holds the seed catalogue.</summary>
    internal static string? Repository() =>
        InfraFolder.Find(Path.Combine("seed", "catalog.yaml")) is { } seed ? Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(seed))) : null;

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
