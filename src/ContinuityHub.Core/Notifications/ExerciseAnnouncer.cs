using ContinuityHub.Exercises;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Notifications;

/// <summary>
/// Posts an ended exercise's summary card to the continuity channel (<c>Teams:ContinuityTeamId</c>,
/// <c>Teams:ContinuityChannelId</c>) as the notifications account, with a read link to the after-action report. No
/// channel configured: the card is off (<see cref="ExerciseSummaryState.NotConfigured"/>), nothing failed. The run
/// records what became of it, so the exercise timer retries a post Teams could not take now.
/// </summary>
public sealed partial class ExerciseAnnouncer(
    ITeamsGateway teams,
    IDocumentLinks links,
    TimeProvider time,
    ILogger<ExerciseAnnouncer> logger,
    ContinuityChannel? channel = null)
{
    public async Task<ExerciseSummaryState> AnnounceAsync(AfterActionReport report, ExerciseRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        if (channel is null)
        {
            return ExerciseSummaryState.NotConfigured;
        }

        try
        {
            Uri? link = null;
            try
            {
                link = await links.ExerciseReportLinkAsync(report.Plan, report.ExerciseId, AfterActionFiles.HtmlFile, time.GetUtcNow() + ReportAnnouncer.LinkLifetime, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.NoLink(logger, report.ExerciseId, e);
            }

            await teams.PostCardAsync(channel.TeamId, channel.ChannelId, AdaptiveCardExercise.Render(report, run.Speed, link), cancellationToken);
            Log.Posted(logger, report.ExerciseId, run.RunId, channel.ChannelId);
            return ExerciseSummaryState.Posted;
        }
        catch (TeamsDeliveryException e) when (!e.Transient)
        {
            Log.Refused(logger, report.ExerciseId, run.RunId, e.Message);
            return ExerciseSummaryState.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.Pending(logger, report.ExerciseId, run.RunId, e.Message);
            return ExerciseSummaryState.Pending;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6610, Level = LogLevel.Information, Message = "Exercise {ExerciseId} run {RunId}: summary posted to channel {ChannelId}")]
        public static partial void Posted(ILogger logger, string exerciseId, string runId, string channelId);

        [LoggerMessage(EventId = 6611, Level = LogLevel.Warning, Message = "Exercise {ExerciseId} run {RunId}: summary not posted yet ({Reason}); the exercise timer retries")]
        public static partial void Pending(ILogger logger, string exerciseId, string runId, string reason);

        [LoggerMessage(EventId = 6612, Level = LogLevel.Error, Message = "Exercise {ExerciseId} run {RunId}: summary refused by Teams: {Reason}")]
        public static partial void Refused(ILogger logger, string exerciseId, string runId, string reason);

        [LoggerMessage(EventId = 6613, Level = LogLevel.Warning, Message = "No link to the after-action report of {ExerciseId}; the summary card goes without it")]
        public static partial void NoLink(ILogger logger, string exerciseId, Exception exception);
    }
}
