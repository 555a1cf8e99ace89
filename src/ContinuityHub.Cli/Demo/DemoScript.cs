using ContinuityHub.Exercises;
using System.Globalization;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Scheduling;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Samples;
using ContinuityHub.Intake;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// The major incident <c>hub demo</c> plays, through the hub's real routes over HTTP, signed as each vendor signs,
/// on the simulated clock: an Azure Monitor Sev1 on the SQL platform (an infrastructure service), the alerts to the
/// crisis teams of the business services that depend on it, PagerDuty's P1 for the same outage, the clock moved to a
/// latest safe invocation time, an Invoke decision POSTed through the link on a card, an escalation to tier 2, the
/// incident resolving and the stand-down, and the weekly report. Each step's line says what the hub did, read back
/// from what it sent (the Teams and events sinks), not from what the script expected.
/// </summary>
internal sealed class DemoScript(DemoEnvironment environment, DemoClock clock, string output, Action<DemoStep> onStep)
{
    /// <summary>Who decides on the demo's cards.</summary>
    public const string DecisionMaker = "Alex Morgan (continuity manager)";

    private readonly List<DemoStep> _steps = [];
    private readonly List<DemoCard> _cards = [];
    private readonly List<DemoFile> _files = [];
    private readonly HashSet<string> _alertedPlans = new(StringComparer.Ordinal);
    private readonly SinkReader _sink = new(environment.Serve.Sink!.SinkDirectory!, output, environment.Catalog);
    private readonly HashSet<string> _events = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenRequests = new(StringComparer.Ordinal);
    private readonly List<AutomationRequested> _automations = [];
    private readonly List<string> _keys = [];
    private int _notifications;
    private int _decisions;

    public async Task<DemoRun> PlayAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = environment.Address };
        var samples = VendorSamples.Folder() ?? throw new InvalidOperationException("infra/samples is missing.");
        Directory.CreateDirectory(Path.Combine(output, "cards"));

        // 1. Azure Monitor: the first signal, on the SQL platform.
        var monitor = PayloadTimes.Rewrite(await DemoPayloads.LoadAsync(samples, "azuremonitor", "metric-alert-fired", cancellationToken), clock.GetUtcNow());
        var monitorKey = await SignalAsync(http, AliasSource.AzureMonitor, monitor, "signal", cancellationToken);
        await DeliveredAsync("alert", "Crisis teams alerted", cancellationToken);

        // 2. PagerDuty: the on-call's P1 for the same outage, a few minutes later.
        clock.Advance(TimeSpan.FromMinutes(4));
        var pagerDuty = PayloadTimes.Rewrite(await DemoPayloads.LoadAsync(samples, "pagerduty", "incident-triggered", cancellationToken), clock.GetUtcNow());
        var pagerDutyKey = await SignalAsync(http, AliasSource.PagerDuty, pagerDuty, "update", cancellationToken);
        await DeliveredAsync("alert", "Crisis teams alerted about PagerDuty's incident", cancellationToken);

        // 2b. The backup and replication jobs report their heartbeats; four minutes on, one has gone quiet: the RPO
        // clock warns its crisis team, and the job catching up stands it down.
        await HeartbeatsAsync(http, quiet: null, "The backup and replication jobs reported their heartbeats", cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(4));
        var quiet = environment.Catalog.Services.Where(s => s.Heartbeats.Count > 0).OrderByDescending(s => s.Heartbeats.Max(h => h.Every)).First();
        await HeartbeatsAsync(http, quiet.Id, $"The jobs reported again, but for {quiet.Name}'s {quiet.Heartbeats[0].Name}", cancellationToken);
        await RunAsync("CheckHeartbeats", cancellationToken);
        await DeliveredAsync("rpo", $"The RPO clock: {quiet.Name} has no recovery point for {HumanText.Duration(TimeSpan.FromMinutes(4))} (RPO {HumanText.Duration(quiet.Rpo)})", cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(1));
        await HeartbeatsAsync(http, quiet: null, $"{quiet.Name}'s {quiet.Heartbeats[0].Name} caught up: every job reported", cancellationToken);
        await DeliveredAsync("rpo", "The RPO incident resolved", cancellationToken);

        // 3. The clock to the next latest safe invocation time: the hub recommends invoking (or invokes, where a plan allows it).
        var deadline = await NextDeadlineAsync([monitorKey, pagerDutyKey], cancellationToken);
        clock.AdvanceTo(deadline?.At ?? clock.GetUtcNow().AddMinutes(15));
        Step("clock", deadline is { } next
            ? $"The clock moves to {HumanText.Time(next.At)}: the latest safe invocation time of {next.Service} (plan {next.Plan})"
            : $"The clock moves to {HumanText.Time(clock.GetUtcNow())}", string.Empty, []);
        await RunAsync("ReassessOpenIncidents", cancellationToken);
        await DeliveredAsync("recommendation", "The hub re-assessed the open incidents at the new time", cancellationToken);

        // 4. A person invokes a plan through the Invoke link on its card.
        clock.Advance(TimeSpan.FromMinutes(2));
        await DecideAsync(http, cancellationToken);

        // 4b. Each automation the invocations requested (the seed's failover-sql) reports back through its callback.
        clock.Advance(TimeSpan.FromMinutes(6));
        await CallBackAsync(http, cancellationToken);

        // 5. Nobody acknowledged some plans: after their escalation delay, the next tier is paged.
        clock.Advance(LongestEscalationDelay() + TimeSpan.FromMinutes(1));
        await RunAsync("EscalateUnacknowledgedAlerts", cancellationToken);
        await DeliveredAsync("escalation", $"{HumanText.Time(clock.GetUtcNow())}: unacknowledged alerts escalated", cancellationToken);

        // 6. The incident resolves in both tools: the crisis teams are stood down.
        clock.Advance(TimeSpan.FromMinutes(50));
        await SignalAsync(http, AliasSource.AzureMonitor, DemoPayloads.ResolvedAlert(monitor, clock.GetUtcNow()), "resolved", cancellationToken);
        await SignalAsync(http, AliasSource.PagerDuty, DemoPayloads.ResolvedIncident(pagerDuty, clock.GetUtcNow()), "resolved", cancellationToken);
        await DeliveredAsync("stand-down", "The incidents resolved", cancellationToken);

        // 7. The weekly continuity report, as the Monday timer writes it, and its card in the continuity channel; the
        // jobs report first, so its RPO chart shows where the recovery points stand now.
        await HeartbeatsAsync(http, quiet: null, "The backup and replication jobs reported their heartbeats", cancellationToken);
        await RunAsync("WriteContinuityReport", cancellationToken);
        var reportFiles = await WriteReportAsync(cancellationToken);
        await DeliveredAsync("report", "The weekly continuity report was written", cancellationToken, reportFiles);

        _files.AddRange(DemoFiles.Describe(_cards, _steps));
        var firstCard = _cards.Count > 0 ? _cards.Min(c => c.At) : (DateTimeOffset?)null;
        return new DemoRun(
            clock.Start,
            output,
            _steps,
            _cards,
            _files,
            new DemoSummary(_alertedPlans.Count, _cards.Count, _notifications, _decisions, firstCard - clock.Start));
    }

    private async Task<string> SignalAsync(HttpClient http, AliasSource source, byte[] body, string kind, CancellationToken cancellationToken)
    {
        using var request = VendorSamples.Request(environment.Address, source, body, environment.Secrets[source]);
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The hub refused the {CatalogNames.Name(source)} sample: {(int)response.StatusCode} {answer}");
        }

        // The hub answers before Teams hears of it: the demo waits for the deliveries so each step shows its own.
        await environment.Serve.Services.GetRequiredService<BackgroundOutboxDispatcher>().WhenIdleAsync(cancellationToken);
        var json = JsonNode.Parse(answer)!;
        var key = (string)json["incidentKey"]!;
        if (!_keys.Contains(key))
        {
            _keys.Add(key);
        }
        var stored = await environment.Serve.Services.GetRequiredService<IIncidentStore>().FindAsync(key, cancellationToken);
        var incident = stored?.Incident;
        var name = CatalogNames.Name(source) switch { "azuremonitor" => "Azure Monitor", "pagerduty" => "PagerDuty", var other => other };
        var what = kind == "resolved"
            ? $"{name}: '{incident?.Title}' resolved"
            : $"{name}: '{incident?.Title}' ({incident?.Priority}{(incident?.Major == true ? ", major" : string.Empty)}) — the hub's level: {Level((string)json["level"]!)}";
        var impacted = stored?.LatestAssessment?.ImpactedServices.Count ?? 0;
        var plans = stored?.LatestAssessment?.Plans ?? [];
        Step(kind, what, kind == "resolved" ? string.Empty : $"{impacted} impacted services; plans concerned: {string.Join(", ", plans)}", []);
        return key;
    }

    /// <summary>Delivers what the outbox holds (the sweep timer's work) and records what reached Teams and the events topic as one step.</summary>
    private async Task DeliveredAsync(string kind, string what, CancellationToken cancellationToken, IReadOnlyList<string>? extraFiles = null)
    {
        await environment.Serve.Services.GetRequiredService<BackgroundOutboxDispatcher>().WhenIdleAsync(cancellationToken);
        await RunAsync("SweepNotificationOutbox", cancellationToken);
        var requests = _sink.Next();
        var files = new List<string>(extraFiles ?? []);
        var cards = new List<string>();
        var people = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var number = _steps.Count + 1;
        foreach (var request in requests)
        {
            if (request.IsActivity)
            {
                _notifications++;
                people.Add(request.Recipient);
                continue;
            }

            if (!request.IsCard)
            {
                continue;
            }

            var plan = _sink.PlanOf(request);
            var cardKind = plan.Length == 0 ? "report" : request.IsReply ? "reply" : "alert";
            if (cardKind == "alert")
            {
                _alertedPlans.Add(plan);
            }

            var file = $"cards/{Path.GetFileNameWithoutExtension(request.File).Split('-')[0]}-{(plan.Length > 0 ? plan : "continuity-report")}-{cardKind}.json";
            await File.WriteAllTextAsync(Path.Combine(output, file), request.Record["cards"]![0]!.ToJsonString(), cancellationToken);
            _cards.Add(new DemoCard(file, plan, cardKind, request.Summary, clock.GetUtcNow(), number));
            cards.Add($"{(plan.Length > 0 ? plan : "continuity channel")} ({cardKind})");
            files.Add(file);
        }

        foreach (var planInvoked in NewEvents())
        {
            files.Add(planInvoked);
        }

        var requested = new List<string>();
        foreach (var (file, automation, plan) in NewAutomationRequests())
        {
            files.Add(file);
            requested.Add($"{automation} ({plan})");
        }

        var parts = new List<string>();
        if (cards.Count > 0)
        {
            parts.Add($"{Count(cards.Count, "card", "cards")}: {string.Join(", ", cards)}");
        }

        if (people.Count > 0)
        {
            parts.Add($"{Count(people.Count, "person", "people")} paged in Teams' activity feed");
        }

        var who = string.Join("; ", parts);
        // PlanInvoked files are named …-PlanInvoked-{plan}-{id}.json.
        var invoked = files.Where(f => f.StartsWith("events-sink/", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f).Split("-PlanInvoked-", 2)[^1])
            .Select(rest => rest[..Math.Max(0, rest.LastIndexOf('-'))])
            .ToList();
        var said = invoked.Count > 0 ? $"{what}; PlanInvoked published for {string.Join(", ", invoked)}" : what;
        Step(kind, requested.Count > 0 ? $"{said}; automation requested: {string.Join(", ", requested)}" : said, who, files);
    }

    /// <summary>Every declared heartbeat reports now (but the service <paramref name="quiet"/>'s), as the jobs would.</summary>
    private async Task HeartbeatsAsync(HttpClient http, string? quiet, string what, CancellationToken cancellationToken)
    {
        var reported = 0;
        foreach (var service in environment.Catalog.Services.Where(s => s.Heartbeats.Count > 0 && s.Id != quiet))
        {
            foreach (var heartbeat in service.Heartbeats)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"api/heartbeats/{Uri.EscapeDataString(service.Id)}/{Uri.EscapeDataString(heartbeat.Name)}");
                request.Headers.Add(ContinuityHub.Intake.WebhookAuthenticator.TokenHeader, environment.Secrets[AliasSource.Heartbeat]);
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The hub refused the heartbeat {heartbeat.Name} of {service.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }

                reported++;
            }
        }

        await environment.Serve.Services.GetRequiredService<BackgroundOutboxDispatcher>().WhenIdleAsync(cancellationToken);
        Step("heartbeat", what, $"{Count(reported, "heartbeat", "heartbeats")}: POST /api/heartbeats/{{serviceId}}/{{name}}", []);
    }

    /// <summary>Each automation request not yet answered reports succeeded through its callback URL, as a runbook would.</summary>
    private async Task CallBackAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var pending = _automations.Where(a => !a.Answered).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        foreach (var request in pending)
        {
            request.Answered = true;
            var report = new JsonObject
            {
                ["status"] = "succeeded",
                ["message"] = $"Demo: {request.Automation} completed; the service runs in the secondary site.",
            };
            using var body = new StringContent(report.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(request.CallbackUrl, body, cancellationToken);
            Step("automation", $"Automation {request.Automation} ({request.Plan}) reported succeeded through its callback: the hub answered {(int)response.StatusCode} {response.ReasonPhrase}", "POST /api/automations/{token}: signed, once per status", [request.File]);
        }

        await DeliveredAsync("automation", "The hub told the crisis teams what their automations reported", cancellationToken);
    }

    /// <summary>The automation requests the reactions sink received since the last look: file, automation id, plan.</summary>
    private IEnumerable<(string File, string Automation, string Plan)> NewAutomationRequests()
    {
        var directory = Path.Combine(output, "reactions-sink");
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.GetFiles(directory, "*-automation-*.json").Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(output, file).Replace('\\', '/');
            if (!_seenRequests.Add(relative))
            {
                continue;
            }

            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var automation = json["automation"]!.GetValue<string>();
            var plan = json["plan"]!.GetValue<string>();
            if (json["body"]?["data"]?["callbackUrl"]?.GetValue<string>() is { } callback)
            {
                _automations.Add(new AutomationRequested(relative, automation, plan, callback));
            }

            yield return (relative, automation, plan);
        }
    }

    private sealed class AutomationRequested(string file, string automation, string plan, string callbackUrl)
    {
        public string File { get; } = file;

        public string Automation { get; } = automation;

        public string Plan { get; } = plan;

        public string CallbackUrl { get; } = callbackUrl;

        public bool Answered { get; set; }
    }

    private async Task DecideAsync(HttpClient http, CancellationToken cancellationToken)
    {
        // The plan furthest up the levels that still waits for a person's decision (invoked in no incident yet), on its latest card offering Invoke.
        var alerts = environment.Serve.Services.GetRequiredService<IAlertStore>();
        var all = new List<PlanAlert>();
        foreach (var key in _keys)
        {
            all.AddRange(await alerts.ListAlertsAsync(key, cancellationToken));
        }

        var invoked = all.Where(a => a.Status == AlertStatus.Invoked).Select(a => a.Plan).ToHashSet(StringComparer.Ordinal);
        var waiting = all.Where(a => a.Status == AlertStatus.Active && !invoked.Contains(a.Plan))
            .GroupBy(a => a.Plan, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(a => a.Level), StringComparer.Ordinal);

        // The RPO incident's cards are not the outage's: it resolved before anyone had to decide.
        var (card, link) = _cards.Where(c => waiting.ContainsKey(c.Plan) && _steps[c.Step - 1].Kind != "rpo")
            .Select(c => (Card: c, Link: InvokeLink(c)))
            .Where(c => c.Link is not null)
            .OrderByDescending(c => waiting[c.Card.Plan])
            .ThenByDescending(c => c.Card.Step)
            .FirstOrDefault();
        if (card is null)
        {
            Step("decision", "No card offers Invoke any more: every plan is invoked already", string.Empty, []);
            return;
        }

        using var form = new FormUrlEncodedContent([new("by", DecisionMaker)]);
        using var response = await http.PostAsync(link, form, cancellationToken);
        _decisions++;
        Step("decision", $"{DecisionMaker} pressed Invoke plan on the card of {card.Plan}: the hub answered {(int)response.StatusCode} {response.ReasonPhrase}", "recorded in the audit log; the link is single use", []);
        await DeliveredAsync("invoked", $"{card.Plan} invoked: war room opened", cancellationToken);
    }

    private string? InvokeLink(DemoCard card)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, card.File)));
        return (json?["actions"] as JsonArray)?.FirstOrDefault(a => (string?)a?["title"] == "Invoke plan")?["url"]?.GetValue<string>();
    }

    /// <summary>The next latest safe invocation time still ahead, of which service and plan.</summary>
    private async Task<(DateTimeOffset At, string Service, string Plan)?> NextDeadlineAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var store = environment.Serve.Services.GetRequiredService<IIncidentStore>();
        var now = clock.GetUtcNow();
        var deadlines = new List<(DateTimeOffset At, string Service, string Plan)>();
        foreach (var key in keys)
        {
            foreach (var service in (await store.FindAsync(key, cancellationToken))?.LatestAssessment?.ImpactedServices ?? [])
            {
                if (DateTimeOffset.TryParse(service.LatestSafeInvocation, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now)
                {
                    deadlines.Add((at, service.Name, service.Plan ?? "none"));
                }
            }
        }

        return deadlines.Count == 0 ? null : deadlines.MinBy(d => d.At);
    }

    private TimeSpan LongestEscalationDelay() =>
        environment.Catalog.Plans.Where(p => _alertedPlans.Contains(p.Id)).Select(p => p.CrisisTeam?.EscalationDelay ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.FromMinutes(15)).Max();

    private async Task RunAsync(string work, CancellationToken cancellationToken) =>
        await environment.Serve.Services.GetServices<IScheduledWork>().Single(w => w.Name == work).RunAsync(cancellationToken);

    private async Task<IReadOnlyList<string>> WriteReportAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(output, "report"));
        var rendered = await environment.Serve.Services.GetRequiredService<ReportService>().BuildAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        var files = new List<string>();
        foreach (var file in rendered.Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, file.FileName), file.Content, cancellationToken);
            files.Add("report/" + file.FileName);
        }

        return files;
    }

    private IEnumerable<string> NewEvents()
    {
        var directory = environment.Serve.Events?.Directory;
        if (directory is null || !Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (_events.Add(file))
            {
                yield return Path.GetRelativePath(output, file).Replace('\\', '/');
            }
        }
    }

    private void Step(string kind, string what, string who, IReadOnlyList<string> files)
    {
        var step = new DemoStep(_steps.Count + 1, clock.GetUtcNow(), kind, what, who, files);
        _steps.Add(step);
        onStep(step);
    }

    private static string Level(string level) => Enum.TryParse<AssessmentLevel>(level, out var parsed) ? AdaptiveCards.LevelLabel(parsed) : level;

    private static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
