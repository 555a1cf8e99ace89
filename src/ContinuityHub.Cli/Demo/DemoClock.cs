namespace ContinuityHub.Cli.Demo;

/// <summary>
/// The demo's simulated clock: it starts at the real time the demo begins and moves only when the script says, so
/// the incident's hours play in seconds and every clock on a card reads as it would at that moment.
/// </summary>
internal sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public DateTimeOffset Start { get; } = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward to <paramref name="moment"/> (never back).</summary>
    public void AdvanceTo(DateTimeOffset moment)
    {
        lock (_gate)
        {
            if (moment > _now)
            {
                _now = moment;
            }
        }
    }

    public void Advance(TimeSpan by) => AdvanceTo(GetUtcNow() + by);
}
