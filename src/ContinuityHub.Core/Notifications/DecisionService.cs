using ContinuityHub.Assessment;
using ContinuityHub.Intake;
using ContinuityHub.Outbox;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications;

public enum DecisionOutcome
{
    /// <summary>The link is good and the decision can be taken (the confirmation page).</summary>
    Ready,

    /// <summary>The decision was recorded.</summary>
    Recorded,

    /// <summary>Not a link this hub made: 401.</summary>
    Forged,

    /// <summary>The link expired: 410.</summary>
    Expired,

    /// <summary>The link was used already: 410.</summary>
    AlreadyUsed,

    /// <summary>No alert for this incident and plan: 404.</summary>
    NotFound,

    /// <summary>The alert is past this decision (acknowledged twice, stood down already …): 409.</summary>
    NotApplicable,
}

/// <summary>What came of a decision link, in words a crisis team member reads.</summary>
public sealed record DecisionResult(DecisionOutcome Outcome, string Message, DecisionClaim? Claim, PlanAlert? Alert);

/// <summary>
/// The decision links on the cards (<c>GET|POST /api/decisions/{token}</c>): GET checks the link and shows what it
/// will do (link scanners open links; nothing changes on GET), POST records the decision — the alert's new state, the
/// token consumed and an outbox entry, in one write in the incident's partition — then audits it and has the sender
/// tell the team (and, on invocation, publish PlanInvoked). A forged, expired or used link records nothing.
/// </summary>
public sealed partial class DecisionService(
    DecisionTokens tokens,
    IAlertStore alerts,
    IAuditLog audit,
    IOutboxDispatcher dispatcher,
    TimeProvider time,
    ILogger<DecisionService> logger)
{
    private const int MaxAttempts = 10;
    private const int MaxNameChars = 100;

    /// <summary>Checks a link without using it.</summary>
    public async Task<DecisionResult> PreviewAsync(string token, CancellationToken cancellationToken)
    {
        var (check, claim, alert) = await CheckAsync(token, cancellationToken);
        return check ?? new DecisionResult(DecisionOutcome.Ready, Describe(claim!), claim, alert);
    }

    /// <summary>Uses a link: records the decision once.</summary>
    /// <param name="enteredName">The name the person typed on the confirmation page, if any; recorded beside the link's user hint.</param>
    public async Task<DecisionResult> DecideAsync(string token, string? enteredName, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (check, claim, alert) = await CheckAsync(token, cancellationToken);
            if (check is not null)
            {
                return check;
            }

            var now = time.GetUtcNow();
            var actor = Actor(claim!.UserHint, enteredName);
            var updated = claim.Action switch
            {
                DecisionAction.Acknowledge => alert! with { Status = AlertStatus.Acknowledged, AcknowledgedBy = actor, AcknowledgedAt = now, NextEscalationAt = null },
                DecisionAction.Invoke => alert! with { Status = AlertStatus.Invoked, DecidedBy = actor, DecidedAt = now, NextEscalationAt = null },
                _ => alert! with { Status = AlertStatus.StoodDown, DecidedBy = actor, DecidedAt = now, NextEscalationAt = null },
            };
            var kind = claim.Action switch
            {
                DecisionAction.Acknowledge => OutboxKind.Acknowledged,
                DecisionAction.Invoke => OutboxKind.Invoked,
                _ => OutboxKind.StoodDown,
            };
            var entry = new OutboxEntry(claim.IncidentKey, OutboxEntry.IdAt(now), now, kind, alert!.Level, [claim.Plan], actor);
            var write = new AlertWrite(claim.IncidentKey, [updated], [entry], new ConsumedToken(claim.Nonce, claim.Plan, claim.Action, actor, now));
            switch (await alerts.WriteAsync(write, cancellationToken))
            {
                case WriteOutcome.Written:
                    var action = claim.Action switch
                    {
                        DecisionAction.Acknowledge => "Acknowledged",
                        DecisionAction.Invoke => "PlanInvoked",
                        _ => "StoodDown",
                    };
                    await audit.AppendAsync(new AuditEntry(now, actor, action, claim.IncidentKey, $"plan {claim.Plan} at level {alert.Level} (decision link for {claim.UserHint})"), cancellationToken);
                    Log.Decided(logger, claim.IncidentKey, claim.Plan, claim.Action, actor);
                    await dispatcher.DispatchAsync(claim.IncidentKey, cancellationToken);
                    return new DecisionResult(DecisionOutcome.Recorded, Done(claim, actor, now), claim, updated);

                case WriteOutcome.Duplicate:
                    continue; // Used meanwhile: the next check says by whom.

                default:
                    continue; // The alert changed meanwhile (another decision, the sender): check again.
            }
        }

        throw new ConcurrencyConflictException("The alert kept changing while the decision was recorded; try the link again.");
    }

    private async Task<(DecisionResult? Refusal, DecisionClaim? Claim, PlanAlert? Alert)> CheckAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (tokens.Verify(token, now, out var claim))
        {
            case TokenCheck.Forged:
                Log.Refused(logger, "forged");
                return (new DecisionResult(DecisionOutcome.Forged, "This decision link is not valid.", null, null), null, null);
            case TokenCheck.Expired:
                Log.Refused(logger, "expired");
                return (new DecisionResult(DecisionOutcome.Expired, $"This decision link expired at {AssessmentJson.Time(claim!.ExpiresAt)}. Use the links on the latest card.", claim, null), null, null);
        }

        if (await alerts.FindTokenAsync(claim!.IncidentKey, claim.Nonce, cancellationToken) is { } used)
        {
            Log.Refused(logger, "already used");
            return (new DecisionResult(DecisionOutcome.AlreadyUsed, $"This link was already used: {used.Action} by {used.UsedBy} at {AssessmentJson.Time(used.UsedAt)}.", claim, null), null, null);
        }

        var alert = await alerts.FindAlertAsync(claim.IncidentKey, claim.Plan, cancellationToken);
        if (alert is null)
        {
            return (new DecisionResult(DecisionOutcome.NotFound, $"No alert for incident {claim.IncidentKey} and plan {claim.Plan}.", claim, null), null, null);
        }

        var refusal = (claim.Action, alert.Status) switch
        {
            (_, AlertStatus.StoodDown) => $"The crisis team was already stood down{By(alert.DecidedBy, alert.DecidedAt)}.",
            (DecisionAction.Acknowledge, AlertStatus.Acknowledged) => $"Already acknowledged{By(alert.AcknowledgedBy, alert.AcknowledgedAt)}.",
            (DecisionAction.Acknowledge or DecisionAction.Invoke, AlertStatus.Invoked) => $"The plan was already invoked{By(alert.DecidedBy, alert.DecidedAt)}.",
            _ => null,
        };
        return refusal is null
            ? (null, claim, alert)
            : (new DecisionResult(DecisionOutcome.NotApplicable, refusal, claim, alert), null, null);
    }

    private static string By(string? who, DateTimeOffset? when) =>
        who is null ? string.Empty : $" by {who}" + (when is { } at ? $" at {AssessmentJson.Time(at)}" : string.Empty);

    private static string Actor(string userHint, string? enteredName)
    {
        var name = new string((enteredName ?? string.Empty).Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > MaxNameChars)
        {
            name = name[..MaxNameChars];
        }

        return name.Length == 0 || string.Equals(name, userHint, StringComparison.OrdinalIgnoreCase) ? userHint : $"{name} (link for {userHint})";
    }

    private static string Describe(DecisionClaim claim) => claim.Action switch
    {
        DecisionAction.Acknowledge => $"Acknowledge the alert for incident {claim.IncidentKey} (plan {claim.Plan}): escalation stops.",
        DecisionAction.Invoke => $"Invoke plan {claim.Plan} for incident {claim.IncidentKey}: the invocation is recorded and downstream runbooks are started.",
        _ => $"Stand the crisis team of plan {claim.Plan} down for incident {claim.IncidentKey}: escalation stops.",
    };

    private static string Done(DecisionClaim claim, string actor, DateTimeOffset at) => claim.Action switch
    {
        DecisionAction.Acknowledge => $"Acknowledged by {actor} at {AssessmentJson.Time(at)}. Escalation stopped.",
        DecisionAction.Invoke => $"Plan {claim.Plan} invoked by {actor} at {AssessmentJson.Time(at)}.",
        _ => $"Stood down by {actor} at {AssessmentJson.Time(at)}.",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 6400, Level = LogLevel.Warning, Message = "Decision on incident {IncidentKey}, plan {Plan}: {Action} by {Actor}")]
        public static partial void Decided(ILogger logger, string incidentKey, string plan, DecisionAction action, string actor);

        [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "Decision link refused: {Reason}")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
