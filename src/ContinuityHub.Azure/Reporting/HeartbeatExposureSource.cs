using ContinuityHub.Heartbeats;
using ContinuityHub.Reporting;

namespace ContinuityHub.Azure.Reporting;

/// <summary>
/// The report's RPO exposures from the heartbeats as they stand now (<see cref="HeartbeatService.ListAsync"/>, on the
/// Heartbeats table): one row per service that declares heartbeats, that of its worst heartbeat
/// (<see cref="RpoExposure.PerService"/>).
/// </summary>
public sealed class HeartbeatExposureSource(HeartbeatService heartbeats) : IRpoExposureSource
{
    public async Task<IReadOnlyList<RpoExposure>> ReadAsync(CancellationToken cancellationToken) =>
        RpoExposure.PerService(await heartbeats.ListAsync(cancellationToken));
}
