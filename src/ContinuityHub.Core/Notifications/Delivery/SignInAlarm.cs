using System.Globalization;
using System.Net;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;
using ContinuityHub.Intake;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>
/// The notifications account can no longer post (its sign-in expired or was revoked): said loudly, once a day — an
/// incident of its own in the hub (so it shows in the incident API and the report) and an e-mail to the plan's owner
/// from the shared mailbox (app-only, which does not need the account).
/// </summary>
internal sealed class SignInAlarm(
    IIncidentStore incidents,
    INotificationLedger ledger,
    ITeamsGateway teams,
    IAuditLog audit,
    TimeProvider time,
    ILogger logger)
{
    private static readonly StepKey Mail = new(DeliveryStep.SignInMail);

    public async Task RaiseAsync(DeliveryContext context, string plan, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var externalId = "continuityhub-teams-sign-in-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var key = IncidentKey.Create(AliasSource.Generic, externalId);
        try
        {
            await OpenIncidentAsync(key, externalId, reason, now, cancellationToken);
            var owner = context.Plans.TryGetValue(plan, out var p) ? p.Owner : null;
            if (owner is null || !owner.Contains('@', StringComparison.Ordinal))
            {
                return;
            }

            var id = Mail.Id(key, plan, owner, day.ToString("O", CultureInfo.InvariantCulture));
            if (await ledger.FindAsync(day, id, cancellationToken) is { State: NotificationState.Sent })
            {
                return;
            }

            var body = $"<p>ContinuityHub cannot post alerts to the crisis team channels in Teams: {WebUtility.HtmlEncode(reason)}</p>"
                + "<p>Personal notifications still go out. To restore channel posts, the platform engineer runs <code>hub graph login</code> as the notifications account.</p>"
                + $"<p>Waiting: incident {WebUtility.HtmlEncode(context.Entry.IncidentKey)}, plan {WebUtility.HtmlEncode(plan)}.</p>";
            await teams.SendMailAsync(owner, new MailNotice("ContinuityHub: Teams channel posts have stopped (sign-in required)", body), cancellationToken);
            await ledger.RecordAsync(new NotificationRecord(id, day, key, plan, Mail.Name, Mail.Channel, owner, NotificationState.Sent, 1, null, null, null, now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            NotificationLog.SignInReportFailed(logger, e);
        }
    }

    private async Task OpenIncidentAsync(string key, string externalId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await incidents.FindAsync(key, cancellationToken) is not null)
        {
            return;
        }

        var incident = new Incident(
            key,
            AliasSource.Generic,
            externalId,
            "ContinuityHub cannot post to Teams: the notifications account must sign in again (run hub graph login)",
            Priority.P2,
            false,
            IncidentState.Open,
            now,
            null,
            [],
            null);
        await incidents.WriteAsync(new IncidentWrite(new StoredIncident(incident, AssessmentLevel.None, null, now, now, [], null), null, null), cancellationToken);
        await audit.AppendAsync(new AuditEntry(now, "ContinuityHub", "TeamsSignInRequired", key, reason), cancellationToken);
    }
}
