using System.Globalization;
using ContinuityHub.Reporting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications;

/// <summary>The continuity channel the report's summary card goes to (<c>Teams:ContinuityTeamId</c>, <c>Teams:ContinuityChannelId</c>).</summary>
public sealed record ContinuityChannel(string TeamId, string ChannelId);

public enum AnnounceOutcome
{
    /// <summary>No continuity channel is configured.</summary>
    NotConfigured,

    Posted,

    /// <summary>The card for this report date was posted already: nothing sent.</summary>
    AlreadyPosted,

    /// <summary>Teams could not be reached now; the outbox sweep posts it later.</summary>
    Pending,

    /// <summary>Teams refused the post for good (recorded in the ledger, logged).</summary>
    Failed,
}

/// <summary>
/// Posts the continuity report's summary card to the continuity channel once per report date, as the notifications
/// account, with a 7-day read-only link to the HTML report. The post is recorded in the delivery ledger
/// (Notifications table, PartitionKey the report date), so a second run of the report posts nothing; a post that
/// could not go out is retried by the outbox sweep for up to <see cref="RetryDays"/> days.
/// </summary>
public sealed partial class ReportAnnouncer(
    ITeamsGateway teams,
    INotificationLedger ledger,
    IDocumentLinks links,
    ReportService reports,
    TimeProvider time,
    ILogger<ReportAnnouncer> logger,
    ContinuityChannel? channel = null)
{
    /// <summary>How many report dates back the sweep looks for a summary still to post.</summary>
    public const int RetryDays = 7;

    /// <summary>How long the card's link to the report lives.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(6);

    public async Task<AnnounceOutcome> AnnounceAsync(ContinuityReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (channel is null)
        {
            return AnnounceOutcome.NotConfigured;
        }

        var (key, id) = Keys(report.ReportDate);
        var record = await ledger.FindAsync(report.ReportDate, id, cancellationToken);
        if (record is { State: NotificationState.Sent })
        {
            return AnnounceOutcome.AlreadyPosted;
        }

        var attempts = (record?.Attempts ?? 0) + 1;
        try
        {
            Uri? link = null;
            try
            {
                link = await links.ReportLinkAsync(report.ReportDate, ReportFiles.Html, time.GetUtcNow() + LinkLifetime, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.NoLink(logger, report.ReportDate, e);
            }

            var posted = await teams.PostCardAsync(channel.TeamId, channel.ChannelId, AdaptiveCards.RenderReport(report, link), cancellationToken);
            await ledger.RecordAsync(Record(key, id, report.ReportDate, NotificationState.Sent, attempts, posted.Id, posted.WebUrl, null), cancellationToken);
            Log.Posted(logger, report.ReportDate, channel.ChannelId);
            return AnnounceOutcome.Posted;
        }
        catch (TeamsDeliveryException e) when (!e.Transient)
        {
            await ledger.RecordAsync(Record(key, id, report.ReportDate, NotificationState.Failed, attempts, null, null, e.Message), cancellationToken);
            Log.Refused(logger, report.ReportDate, e.Message);
            return AnnounceOutcome.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await ledger.RecordAsync(Record(key, id, report.ReportDate, NotificationState.Pending, attempts, null, null, e.Message), cancellationToken);
            Log.Pending(logger, report.ReportDate, attempts, e.Message);
            return AnnounceOutcome.Pending;
        }
    }

    /// <summary>Posts the summaries of the last <see cref="RetryDays"/> report dates still pending (the report is built again).</summary>
    /// <returns>How many were posted now.</returns>
    public async Task<int> RetryPendingAsync(CancellationToken cancellationToken)
    {
        if (channel is null)
        {
            return 0;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var posted = 0;
        for (var back = 0; back < RetryDays; back++)
        {
            var date = today.AddDays(-back);
            var (_, id) = Keys(date);
            if (await ledger.FindAsync(date, id, cancellationToken) is { State: NotificationState.Pending })
            {
                var rendered = await reports.BuildAsync(date, cancellationToken);
                if (await AnnounceAsync(rendered.Report, cancellationToken) == AnnounceOutcome.Posted)
                {
                    posted++;
                }
            }
        }

        return posted;
    }

    private static readonly StepKey Step = new(DeliveryStep.ReportCard);

    private (string Key, string Id) Keys(DateOnly date)
    {
        var key = "report~" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (key, Step.Id(key, string.Empty, channel!.ChannelId, "summary"));
    }

    private NotificationRecord Record(string key, string id, DateOnly date, NotificationState state, int attempts, string? graphId, string? url, string? error) =>
        new(id, date, key, string.Empty, Step.Name, Step.Channel, channel!.ChannelId, state, attempts, graphId, url, error, time.GetUtcNow());

    private static partial class Log
    {
        [LoggerMessage(EventId = 6600, Level = LogLevel.Information, Message = "Continuity report {ReportDate} summary posted to channel {ChannelId}")]
        public static partial void Posted(ILogger logger, DateOnly reportDate, string channelId);

        [LoggerMessage(EventId = 6601, Level = LogLevel.Warning, Message = "Continuity report {ReportDate} summary not posted yet (attempt {Attempt}): {Reason}; the outbox sweep retries")]
        public static partial void Pending(ILogger logger, DateOnly reportDate, int attempt, string reason);

        [LoggerMessage(EventId = 6602, Level = LogLevel.Error, Message = "Continuity report {ReportDate} summary refused by Teams: {Reason}")]
        public static partial void Refused(ILogger logger, DateOnly reportDate, string reason);

        [LoggerMessage(EventId = 6603, Level = LogLevel.Warning, Message = "No link to the continuity report {ReportDate}; the summary card goes without it")]
        public static partial void NoLink(ILogger logger, DateOnly reportDate, Exception exception);
    }
}
