using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Demo;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;

namespace ContinuityHub.Cli.Tests.Demo;

/// <summary>
/// A small <see cref="DemoRun"/> in a temporary output directory: a signal, an alert card to dr-ledger's crisis team on
/// an incident titled <see cref="Title"/> (written with <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> as they are, so a
/// <c>&lt;/script&gt;</c> is really in the file), an invocation reply, and the continuity report's card 4 h 10 min in.
/// Disposing deletes the directory.
/// </summary>
internal sealed class DemoRunBuilder : IDisposable
{
    public const string Title = """Core <ledger> & "payments" </script><b>x</b> *urgent*""";

    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 40, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions _asWritten = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string OutputDirectory { get; } = Directory.CreateTempSubdirectory("hub-demo-page-").FullName;

    /// <summary>The run, its card files written under <c>cards/</c>.</summary>
    public async Task<DemoRun> BuildAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(OutputDirectory, "cards"));
        var alert = AdaptiveCards.Render(Model(AlertCardKind.Alert, Start.AddMinutes(2).AddSeconds(10)));
        var invoked = AdaptiveCards.Render(Model(AlertCardKind.Invoked, Start.AddMinutes(40)) with { Decision = "Invoked by Alice at 10:20 UTC" });
        var report = AdaptiveCards.RenderReport(Report(), new Uri("https://hub.example/reports/2026-11-24/continuity-report.html"));
        await WriteCardAsync("cards/01-alert-dr-ledger.json", alert, cancellationToken);
        await WriteCardAsync("cards/02-reply-dr-ledger.json", invoked, cancellationToken);
        await WriteCardAsync("cards/03-report.json", report, cancellationToken);
        DemoStep[] steps =
        [
            new(1, Start, "signal", $"ServiceNow: P1 incident INC0012345 \"{Title}\"", "", ["events/01-signal.json"]),
            new(2, Start.AddMinutes(2).AddSeconds(10), "alert", "dr-ledger is at Alert: Core ledger is down", "crisis team of dr-ledger: 2 people paged", ["cards/01-alert-dr-ledger.json"]),
            new(3, Start.AddMinutes(40), "invoked", "Alice invoked dr-ledger", "crisis team of dr-ledger", ["cards/02-reply-dr-ledger.json"]),
            new(4, Start.AddHours(4).AddMinutes(10), "report", "The continuity report went to the continuity channel", "continuity channel", ["cards/03-report.json", "../outside.txt", "javascript:alert(1)"]),
        ];
        DemoCard[] cards =
        [
            new("cards/01-alert-dr-ledger.json", "dr-ledger", "alert", alert.Summary, steps[1].At, 2),
            new("cards/03-report.json", "", "report", report.Summary, steps[3].At, 4),
            new("cards/02-reply-dr-ledger.json", "dr-ledger", "reply", invoked.Summary, steps[2].At, 3),
        ];
        DemoFile[] files =
        [
            new("events/01-signal.json", "The ServiceNow webhook the demo posted <raw>"),
            .. cards.Select(c => new DemoFile(c.File, $"The {c.Kind} card (Adaptive Card JSON)")),
            new("timeline.json", "The timeline as JSON"),
        ];
        return new DemoRun(Start, OutputDirectory, steps, cards, files, new DemoSummary(1, 3, 2, 1, TimeSpan.FromSeconds(130)));
    }

    public void Dispose() => Directory.Delete(OutputDirectory, recursive: true);

    private async Task WriteCardAsync(string file, TeamsCard card, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(Path.Combine(OutputDirectory, file), JsonNode.Parse(card.CardJson)!.ToJsonString(_asWritten), cancellationToken);

    private static AlertCardModel Model(AlertCardKind kind, DateTimeOffset at) => new(
        kind,
        AssessmentLevel.Alert,
        at,
        "servicenow~INC0012345",
        Title,
        "servicenow",
        new Uri("https://contoso.service-now.com/nav_to.do?uri=incident.do?sys_id=42"),
        "dr-ledger",
        "Ledger disaster recovery",
        "3",
        [new CardDocument("Runbook.pdf", new Uri("https://docs.example/plan-documents/dr-ledger/3/Runbook.pdf"))],
        [new ServiceClockDocument("ledger", "Core ledger", 1, true, null, "PT1H40M", "PT1H40M", "PT4H", "P1D", "2026-11-24T11:00:00Z", "dr-ledger", "Alert")],
        ["Core ledger is down for 1 h 40 min, half its RTO of 4 h"],
        [new PagedTier(0, ["alice@contoso.example", "Bob Jones"], at)],
        null,
        null,
        new CardActions(new Uri("https://hub.example/api/decisions/ack"), new Uri("https://hub.example/api/decisions/invoke"), new Uri("https://hub.example/api/decisions/standdown"), null),
        null);

    private static ContinuityReport Report()
    {
        var catalog = CatalogYamlReader.Read(File.ReadAllText(CliRun.Seed));
        var day = DateOnly.FromDateTime(Start.UtcDateTime);
        return ContinuityReportBuilder.Build(catalog, [], day, day.AddDays(-7));
    }
}
