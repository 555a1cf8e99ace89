using System.Globalization;
using ContinuityHub.Intake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Http;

/// <summary>
/// The audit of refused webhooks, aggregated: one audit row per source, status and reason in each minute, with the
/// count and the first few addresses, written when the minute is over (and when the host stops). So a flood of forged
/// posts costs one row a minute, not one each. The log says the first refusal of each kind in a minute at warning and
/// the rest at debug.
/// </summary>
public sealed partial class RefusalAudit(IAuditLog audit, TimeProvider time, ILogger<RefusalAudit> logger) : BackgroundService
{
    /// <summary>Addresses kept per row.</summary>
    public const int MaxAddresses = 5;

    /// <summary>Kinds of refusal kept per minute; past it (an attacker varying the reason) they share one row.</summary>
    public const int MaxKinds = 1000;

    private const int MaxReasonLength = 200;
    private const string OtherReason = "other refusals (too many kinds in one minute)";

    private readonly Dictionary<Kind, Tally> _tallies = [];
    private readonly Lock _lock = new();

    /// <summary>Counts one refused webhook.</summary>
    public void Record(string source, int status, string reason, string address)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var kind = new Kind(minute, source, status, reason.Length > MaxReasonLength ? reason[..MaxReasonLength] + "…" : reason);
        bool first;
        lock (_lock)
        {
            if (!_tallies.TryGetValue(kind, out var tally))
            {
                if (_tallies.Count >= MaxKinds)
                {
                    kind = kind with { Reason = OtherReason };
                }

                if (!_tallies.TryGetValue(kind, out tally))
                {
                    tally = new Tally();
                    _tallies[kind] = tally;
                }
            }

            first = tally.Count++ == 0;
            if (tally.Addresses.Count < MaxAddresses && !tally.Addresses.Contains(address))
            {
                tally.Addresses.Add(address);
            }
        }

        if (first)
        {
            Log.Refused(logger, source, status, reason, address);
        }
        else
        {
            Log.RefusedAgain(logger, source, status, reason, address);
        }
    }

    /// <summary>
    /// Writes the rows of the minutes that are over (all of them when <paramref name="all"/>); a row that cannot be
    /// written is logged and kept for the next flush.
    /// </summary>
    public async Task FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<KeyValuePair<Kind, Tally>> due;
        lock (_lock)
        {
            due = [.. _tallies.Where(t => all || t.Key.Minute.AddMinutes(1) <= now)];
            foreach (var (kind, _) in due)
            {
                _tallies.Remove(kind);
            }
        }

        for (var i = 0; i < due.Count; i++)
        {
            var (kind, tally) = due[i];
            try
            {
                await audit.AppendAsync(Entry(kind, tally), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.AuditFailed(logger, e, kind.Source, kind.Status);
                Keep(due.Skip(i));
                return;
            }
            catch (OperationCanceledException)
            {
                Keep(due.Skip(i));
                throw;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
            try
            {
                await Task.Delay(next > TimeSpan.Zero ? next : TimeSpan.FromSeconds(1), time, stoppingToken);
                await FlushAsync(all: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(all: true, cancellationToken);
    }

    private static AuditEntry Entry(Kind kind, Tally tally)
    {
        var more = tally.Count > tally.Addresses.Count ? ", …" : string.Empty;
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"{kind.Status}: {kind.Reason}; {tally.Count} refused in the minute from {kind.Minute:HH:mm} UTC; from {string.Join(", ", tally.Addresses)}{more}");
        return new AuditEntry(kind.Minute, $"intake:{kind.Source}", IntakeEndpoint.RefusedAction, "POST /api/intake/" + kind.Source, detail);
    }

    private void Keep(IEnumerable<KeyValuePair<Kind, Tally>> rows)
    {
        lock (_lock)
        {
            foreach (var (kind, tally) in rows)
            {
                if (_tallies.TryGetValue(kind, out var newer))
                {
                    newer.Count += tally.Count;
                }
                else
                {
                    _tallies[kind] = tally;
                }
            }
        }
    }

    private sealed record Kind(DateTimeOffset Minute, string Source, int Status, string Reason);

    private sealed class Tally
    {
        public int Count { get; set; }

        public List<string> Addresses { get; } = [];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2411, Level = LogLevel.Warning, Message = "Webhook from {Source} refused with {Status}: {Reason} (from {RemoteAddress}); more of the same this minute are logged at debug and audited as one row")]
        public static partial void Refused(ILogger logger, string source, int status, string reason, string remoteAddress);

        [LoggerMessage(EventId = 2413, Level = LogLevel.Debug, Message = "Webhook from {Source} refused with {Status}: {Reason} (from {RemoteAddress})")]
        public static partial void RefusedAgain(ILogger logger, string source, int status, string reason, string remoteAddress);

        [LoggerMessage(EventId = 2412, Level = LogLevel.Error, Message = "Could not audit the refused webhooks from {Source} ({Status}); kept for the next minute")]
        public static partial void AuditFailed(ILogger logger, Exception exception, string source, int status);
    }
}
