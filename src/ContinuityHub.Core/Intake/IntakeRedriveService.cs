using Microsoft.Extensions.Logging;

namespace ContinuityHub.Intake;

public sealed record RedriveResult(int Found, int Accepted, int Duplicates, int Rejected, int Failed);

/// <summary>
/// Re-drives deliveries that were archived but never processed (the host crashed, or storage failed after the
/// archive write). Safe to run any time: a delivery already applied is recognised as a duplicate.
/// </summary>
public sealed partial class IntakeRedriveService(IPayloadArchive archive, IntakeService intake, TimeProvider time, ILogger<IntakeRedriveService> logger)
{
    /// <summary>How long a delivery may be in flight before the sweep treats it as lost.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <param name="since">The earliest archive time to look at.</param>
    /// <param name="olderThan">Leave deliveries younger than this alone (they may still be in flight).</param>
    public async Task<RedriveResult> RedriveAsync(DateTimeOffset since, TimeSpan olderThan, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        int found = 0, accepted = 0, duplicates = 0, rejected = 0, failed = 0;
        var until = time.GetUtcNow() - olderThan;
        await foreach (var payload in archive.ListUnprocessedAsync(since, until, cancellationToken))
        {
            found++;
            if (payload.Channel == IntakeChannel.Exercise)
            {
                // Without its exercise's mark it would come back as a real incident: an exercise is played again instead.
                rejected++;
                await archive.MarkAsync(payload.Path, ArchiveStatus.Rejected, "An exercise's inject is never re-driven: play the exercise again.", cancellationToken);
                progress?.Report($"{payload.Path}: an exercise's inject, not re-driven");
                continue;
            }

            try
            {
                var body = await archive.ReadAsync(payload.Path, cancellationToken);
                var result = await intake.ProcessAsync(payload.Source, body, IntakeChannel.Redrive, payload.Path, payload.ReceivedAt, cancellationToken);
                if (result.Duplicate)
                {
                    duplicates++;
                }
                else
                {
                    accepted++;
                }

                progress?.Report($"{payload.Path}: {(result.Duplicate ? "already applied" : "applied")} to {result.IncidentKey} ({result.Level})");
            }
            catch (HubValidationException e)
            {
                rejected++;
                progress?.Report($"{payload.Path}: rejected: {string.Join("; ", e.Problems)}");
            }
            catch (UnprocessableDeliveryException e)
            {
                rejected++;
                progress?.Report($"{payload.Path}: rejected: {e.InnerException?.Message ?? e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                Log.RedriveFailed(logger, e, payload.Path);
                progress?.Report($"{payload.Path}: failed, left for the next re-drive: {e.Message}");
            }
        }

        return new RedriveResult(found, accepted, duplicates, rejected, failed);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Error, Message = "Re-drive of {ArchivePath} failed; it stays for the next re-drive")]
        public static partial void RedriveFailed(ILogger logger, Exception exception, string archivePath);
    }
}
