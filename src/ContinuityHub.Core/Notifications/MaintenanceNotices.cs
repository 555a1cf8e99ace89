using System.Globalization;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;
using static ContinuityHub.Notifications.AdaptiveCardElements;

namespace ContinuityHub.Notifications;

/// <summary>
/// A maintenance window's start and end, one message each in the crisis channel of every plan that covers a tier-1 or
/// tier-2 service in it (run with the re-assessment, every minute): the team knows why its services go quiet, and
/// when the hub listens again. Once per occurrence, plan and edge through the ledger; an end is said only after its
/// start was, and only within <see cref="LookBack"/> of it.
/// </summary>
public sealed partial class MaintenanceNotices(
    ICatalogProvider catalogs,
    ITeamsGateway teams,
    INotificationLedger ledger,
    TimeProvider time,
    ILogger<MaintenanceNotices> logger)
{
    /// <summary>How far back occurrences are looked at: a window's end is said if its start was, this long ago at most.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(8);

    private static readonly StepKey Step = new(DeliveryStep.MaintenanceNotice);

    /// <returns>How many messages were posted.</returns>
    public async Task<int> AnnounceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = await catalogs.GetAsync(cancellationToken);
        var posted = 0;
        foreach (var window in catalog.Catalog.Maintenance)
        {
            var covered = catalog.Services.Where(s => s.Tier <= 2 && window.Services.Contains(s.Id, StringComparer.Ordinal)).ToList();
            var plans = catalog.Catalog.Plans.Where(p => p.CrisisTeam is not null && p.Status != PlanStatus.Retired && p.Services.Any(id => covered.Any(s => s.Id == id))).ToList();
            if (plans.Count == 0)
            {
                continue;
            }

            foreach (var occurrence in MaintenanceCalendar.Starting(window, catalog.Policy.Calendar, now - LookBack, now))
            {
                foreach (var plan in plans)
                {
                    var started = await SayAsync(occurrence, plan, covered, ended: false, now, cancellationToken);
                    if (occurrence.End <= now && started)
                    {
                        await SayAsync(occurrence, plan, covered, ended: true, now, cancellationToken);
                    }
                }
            }
        }

        return posted;

        async Task<bool> SayAsync(MaintenanceOccurrence occurrence, ContinuityPlan plan, IReadOnlyList<BusinessService> covered, bool ended, DateTimeOffset at, CancellationToken token)
        {
            var key = "maintenance~" + occurrence.Window.Id;
            var due = DateOnly.FromDateTime(occurrence.Start.UtcDateTime);
            var id = Step.Id(key, plan.Id, ended ? "end" : "start", occurrence.Start.UtcTicks.ToString(CultureInfo.InvariantCulture));
            var record = await ledger.FindAsync(due, id, token);
            if (record is { State: NotificationState.Sent })
            {
                return true;
            }

            // A start the hub did not see (it was down, or the window began before the catalogue named it) is not said late.
            if (!ended && occurrence.End <= at)
            {
                return false;
            }

            var team = plan.CrisisTeam!;
            var attempts = (record?.Attempts ?? 0) + 1;
            try
            {
                var message = await teams.PostCardAsync(team.TeamId, team.ChannelId, Card(occurrence, covered, ended), token);
                await ledger.RecordAsync(new NotificationRecord(id, due, key, plan.Id, Step.Name, Step.Channel, team.ChannelId, NotificationState.Sent, attempts, message.Id, message.WebUrl, null, at), token);
                posted++;
                Log.Said(logger, occurrence.Window.Id, ended ? "end" : "start", plan.Id);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                var state = e is TeamsDeliveryException { Transient: false } ? NotificationState.Failed : NotificationState.Pending;
                await ledger.RecordAsync(new NotificationRecord(id, due, key, plan.Id, Step.Name, Step.Channel, team.ChannelId, state, attempts, null, null, e.Message, at), token);
                Log.NotSaid(logger, occurrence.Window.Id, plan.Id, e.Message);
                return false;
            }
        }
    }

    /// <summary>The message: what the window is, over which services, until when; what the hub does meanwhile.</summary>
    internal static TeamsCard Card(MaintenanceOccurrence occurrence, IReadOnlyList<BusinessService> covered, bool ended)
    {
        var window = occurrence.Window;
        var services = string.Join(", ", covered.Select(s => s.Name));
        var headline = ended ? "Maintenance ended" : "Maintenance began";
        var body = new JsonArray
        {
            Text(headline, size: "Large", weight: "Bolder"),
            Text(AdaptiveCardText.Plain($"{window.Id}: {window.Reason}", 300), subtle: true, spacing: "None"),
            Facts([
                Fact("Services", AdaptiveCardText.Plain(services, 500)),
                Fact("From", HumanText.Time(occurrence.Start)),
                Fact("Until", HumanText.Time(occurrence.End)),
                Fact("Approved by", AdaptiveCardText.Plain(window.ApprovedBy, 200)),
            ]),
            Text(ended
                ? "The hub alerts on these services again; an incident that began during the window is assessed from its real start."
                : "Incidents on these services are recorded and assessed but capped at Monitor until it ends: no alert, escalation or automation."),
        };
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
        var summary = HumanText.Truncate(AdaptiveCardText.Plain($"[{headline}] {window.Id}: {services} until {HumanText.Time(occurrence.End)}", 400), AdaptiveCardRenderer.MaxSummaryChars);
        return new TeamsCard(card.ToJsonString(CardJson), summary);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6320, Level = LogLevel.Information, Message = "Maintenance window {Window}: its {Edge} said in the crisis channel of plan {Plan}")]
        public static partial void Said(ILogger logger, string window, string edge, string plan);

        [LoggerMessage(EventId = 6321, Level = LogLevel.Warning, Message = "Maintenance window {Window}: the message to plan {Plan}'s crisis channel did not go ({Reason}); the next run tries again")]
        public static partial void NotSaid(ILogger logger, string window, string plan, string reason);
    }
}
