using System.CommandLine;
using System.Globalization;
using System.Text;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Incidents.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Commands;

/// <summary><c>hub simulate</c>: what the hub would decide for a payload, against a catalogue, at a moment.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var payload = new Argument<string>("payload") { Description = "The ITSM payload (JSON) as the source sends it; '-' reads standard input." };
        var source = new Option<string>("--source")
        {
            Description = "Which tool sent it: servicenow, jira, pagerduty, opsgenie, azuremonitor, alertmanager or generic.",
            DefaultValueFactory = _ => "generic",
        };
        var catalogFile = new Option<string>("--catalog") { Description = "The catalogue YAML file (default: the stored catalogue)." };
        var at = new Option<string>("--at") { Description = "The moment to assess at, ISO 8601 (default: now), e.g. 2026-11-24T10:30:00Z." };
        var json = new Option<bool>("--json") { Description = "Print the assessment as JSON." };
        var storage = CatalogCommands.StorageOption();
        var command = new Command("simulate", "Assess an ITSM payload against the catalogue: impacted services, their clocks, the plans and the level.")
        {
            payload, source, catalogFile, at, json, storage,
        };

        command.SetAction(async (parse, ct) =>
        {
            var sourceName = parse.GetValue(source) ?? "generic";
            if (!IncidentParsers.TryGetSource(sourceName, out var from))
            {
                throw new HubValidationException("--source", $"unknown source '{sourceName}' (expected one of {string.Join(", ", CatalogNames.SourceNames)})");
            }

            var moment = time.GetUtcNow();
            if (parse.GetValue(at) is { Length: > 0 } atText
                && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out moment))
            {
                throw new HubValidationException("--at", $"'{atText}' is not an ISO 8601 time, e.g. 2026-11-24T10:30:00Z");
            }

            var body = await ReadPayloadAsync(parse.GetRequiredValue(payload), ct);
            var incident = IncidentParsers.Parse(from, body);

            ContinuityCatalog catalog;
            if (parse.GetValue(catalogFile) is { Length: > 0 } file)
            {
                catalog = await CatalogCommands.LoadAsync(file, ct);
            }
            else
            {
                await using var services = HubConfiguration.Services(parse.GetValue(storage));
                catalog = await services.GetRequiredService<ICatalogStore>().LoadAsync(ct);
            }

            var assessment = InvocationClock.Assess(incident, new CatalogIndex(catalog), moment);
            await console.Out.WriteAsync(parse.GetValue(json) ? AssessmentJson.Serialize(assessment) + Environment.NewLine : Describe(assessment));
            return HubCli.Ok;
        });
        return command;
    }

    private static async Task<string> ReadPayloadAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return await Console.In.ReadToEndAsync(cancellationToken);
        }

        return await CliFiles.ReadAllTextAsync(path, "payload", cancellationToken);
    }

    /// <summary>The assessment as a person reads it at a terminal.</summary>
    internal static string Describe(IncidentAssessment a)
    {
        var i = a.Incident;
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Level: {a.Level}\n");
        b.Append(CultureInfo.InvariantCulture, $"Incident: {i.Title} [{i.Key}] {i.PriorityText}{(i.Major ? " major" : string.Empty)}, {i.State}, started {HumanText.Time(i.StartedAt)}");
        if (i.EstimatedRestoreAt is { } eta)
        {
            b.Append(CultureInfo.InvariantCulture, $", restore expected {HumanText.Time(eta)}");
        }

        b.Append(CultureInfo.InvariantCulture, $"\nAssessed at: {HumanText.Time(a.At)}\n");
        if (i.Link is not null)
        {
            b.Append(CultureInfo.InvariantCulture, $"Link: {i.Link}\n");
        }

        if (a.ImpactedServices.Count > 0)
        {
            b.Append("\nImpacted services:\n");
            string[] header = ["SERVICE", "TIER", "HOW", "ELAPSED", "PROJECTED", "RTO", "MTPD", "INVOKE BY", "PLAN", "LEVEL"];
            var rows = a.ImpactedServices.Select(s => new[]
            {
                $"{s.Name} ({s.Id})",
                s.Tier.ToString(CultureInfo.InvariantCulture),
                s.Direct ? "direct" : $"via {s.Via}",
                HumanText.Duration(s.Elapsed),
                HumanText.Duration(s.Projected),
                HumanText.Duration(s.Rto),
                HumanText.Duration(s.Mtpd),
                HumanText.Time(s.LatestSafeInvocation),
                s.Plan ?? "-",
                s.Level.ToString(),
            }).ToList();
            var widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
            foreach (var row in rows.Prepend(header))
            {
                b.Append("  ").Append(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
            }
        }

        b.Append(CultureInfo.InvariantCulture, $"\nPlans: {(a.Plans.Count == 0 ? "none" : string.Join(", ", a.Plans))}\n");
        if (a.UnknownAliases.Count > 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"Unknown aliases: {string.Join(", ", a.UnknownAliases)}\n");
        }

        b.Append("\nReasons:\n");
        foreach (var reason in a.Reasons)
        {
            b.Append("  - ").Append(reason).Append('\n');
        }

        return b.ToString();
    }
}
