using System.Globalization;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// What a plan's card shows: that plan's services and the reasons about them first (what the incident does to other
/// plans in one line), document links, the decisions still open (no "Invoke plan" once the plan is invoked), and
/// who decided what, when.
/// </summary>
internal sealed class CardModelFactory(
    IDocumentLinks documents,
    DecisionTokens tokens,
    NotificationSettings settings,
    TimeProvider time,
    ILogger logger)
{
    /// <param name="userHint">Whom the decision links are for: the channel, or one person's e-mail.</param>
    public async Task<AlertCardModel> CreateAsync(
        DeliveryContext context, ContinuityPlan plan, PlanAlert alert, AlertCardKind kind, string? note, CancellationToken cancellationToken, string userHint = "crisis-team channel")
    {
        var now = time.GetUtcNow();
        var entry = context.Entry;
        var assessment = context.Stored.LatestAssessment;
        var (services, reasons, elsewhere) = Scope(assessment, plan.Id);
        return new AlertCardModel(
            kind,
            kind == AlertCardKind.StandDown ? AssessmentLevel.None : (entry.Kind is OutboxKind.Alert or OutboxKind.LevelChange ? context.LevelFor(plan.Id) : alert.Level),
            now,
            entry.IncidentKey,
            context.Incident.Title,
            CatalogNames.Name(context.Incident.Source),
            NotificationWords.HttpLink(context.Incident.Link),
            plan.Id,
            plan.Title,
            plan.Version,
            await DocumentsAsync(plan, now, cancellationToken),
            services,
            reasons,
            alert.Paged,
            alert.BridgeUrl,
            alert.WarRoomUrl ?? context.WarRooms.GetValueOrDefault(plan.Id),
            kind == AlertCardKind.StandDown ? null : Actions(context, plan, alert, userHint, now),
            note,
            elsewhere,
            Decision(alert))
        {
            Exercise = context.Incident.Exercise?.ExerciseId,
        };
    }

    /// <summary>The plan's own services and reasons, and one line on the rest; every service when none is the plan's.</summary>
    internal static (IReadOnlyList<ServiceClockDocument> Services, IReadOnlyList<string> Reasons, string? Elsewhere) Scope(AssessmentDocument? assessment, string planId)
    {
        if (assessment is null)
        {
            return ([], [], null);
        }

        var own = assessment.ImpactedServices.Where(s => s.Plan == planId).ToList();
        if (own.Count == 0)
        {
            return (assessment.ImpactedServices, assessment.Reasons, null);
        }

        var others = assessment.ImpactedServices.Where(s => s.Plan != planId).ToList();
        bool About(string reason, IEnumerable<ServiceClockDocument> services) =>
            services.Any(s => reason.StartsWith(s.Name + ":", StringComparison.Ordinal));
        var reasons = assessment.Reasons.Where(r => About(r, own) || !About(r, others)).ToList();
        var otherReasons = assessment.Reasons.Count - reasons.Count;
        if (others.Count == 0)
        {
            return (own, reasons, null);
        }

        var plans = others.Select(s => s.Plan).Where(p => p is not null).Distinct(StringComparer.Ordinal).Count();
        var what = plans == 0
            ? Plural(others.Count, "other service", "other services")
            : $"{Plural(others.Count, "service", "services")} of {Plural(plans, "other plan", "other plans")}";
        var line = $"The incident also impacts {what}" + (otherReasons > 0 ? $" ({Plural(otherReasons, "reason", "reasons")} not shown)." : ".");
        return (own, reasons, line);
    }

    private static string? Decision(PlanAlert alert) => alert switch
    {
        { Status: AlertStatus.Invoked, DecidedBy: { } by, DecidedAt: { } at } => $"Plan invoked by {by} at {HumanText.Time(at)}.",
        { Status: AlertStatus.Acknowledged, AcknowledgedBy: { } by, AcknowledgedAt: { } at } => $"Acknowledged by {by} at {HumanText.Time(at)}.",
        _ => null,
    };

    private CardActions? Actions(DeliveryContext context, ContinuityPlan plan, PlanAlert alert, string userHint, DateTimeOffset now)
    {
        if (settings.DecisionsBaseUrl is null)
        {
            return null;
        }

        var expires = now + settings.TokenLifetime;
        Uri Link(DecisionAction action) =>
            settings.DecisionLink(tokens.Sign(new DecisionClaim(context.Entry.IncidentKey, action, plan.Id, userHint, expires, DecisionTokens.NewNonce())))!;
        var invoked = alert.Status == AlertStatus.Invoked;
        return new CardActions(
            invoked || alert.Status == AlertStatus.Acknowledged ? null : Link(DecisionAction.Acknowledge),
            invoked ? null : Link(DecisionAction.Invoke),
            Link(DecisionAction.StandDown),
            NotificationWords.HttpLink(context.Incident.Link));
    }

    private async Task<List<CardDocument>> DocumentsAsync(ContinuityPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var links = new List<CardDocument>();
        foreach (var document in plan.Documents)
        {
            try
            {
                links.Add(new CardDocument(document.FileName, await documents.ReadLinkAsync(plan.Id, plan.Version, document.FileName, now + settings.DocumentLinkLifetime, cancellationToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                NotificationLog.DocumentLinkFailed(logger, plan.Id, document.FileName, e);
            }
        }

        return links;
    }

    private static string Plural(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");
}
