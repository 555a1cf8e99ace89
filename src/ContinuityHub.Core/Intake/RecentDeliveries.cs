using ContinuityHub.Assessment;

namespace ContinuityHub.Intake;

/// <summary>
/// The deliveries this process applied lately, per incident: a sender's retry of one of them (the same delivery key)
/// is answered as the duplicate it is without a storage round trip, and without a second archive copy (the first one
/// holds the body). Bounded: the oldest incidents are forgotten first, and a forgotten delivery only costs the storage
/// path, which recognises it too.
/// </summary>
internal sealed class RecentDeliveries(int maxIncidents = RecentDeliveries.DefaultMaxIncidents, int maxPerIncident = RecentDeliveries.DefaultMaxPerIncident)
{
    public const int DefaultMaxIncidents = 4096;
    public const int DefaultMaxPerIncident = 512;

    private readonly Dictionary<string, Deliveries> _incidents = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>When this process applied the delivery: the incident's level after this process last applied one to it, and where the delivery is archived.</summary>
    public bool TryGet(string incidentKey, string deliveryKey, out AssessmentLevel level, out string archivePath)
    {
        lock (_incidents)
        {
            if (_incidents.TryGetValue(incidentKey, out var deliveries) && deliveries.Paths.TryGetValue(deliveryKey, out var path))
            {
                (level, archivePath) = (deliveries.Level, path);
                return true;
            }
        }

        (level, archivePath) = (AssessmentLevel.None, string.Empty);
        return false;
    }

    /// <summary>Records a delivery applied to (or found in) an incident, and the incident's level after it.</summary>
    public void Add(string incidentKey, string deliveryKey, string archivePath, AssessmentLevel level)
    {
        lock (_incidents)
        {
            if (!_incidents.TryGetValue(incidentKey, out var deliveries))
            {
                while (_incidents.Count >= maxIncidents && _order.TryDequeue(out var oldest))
                {
                    _incidents.Remove(oldest);
                }

                deliveries = new Deliveries();
                _incidents[incidentKey] = deliveries;
                _order.Enqueue(incidentKey);
            }

            deliveries.Level = level;
            if (deliveries.Paths.Count >= maxPerIncident && !deliveries.Paths.ContainsKey(deliveryKey) && deliveries.Order.TryDequeue(out var first))
            {
                deliveries.Paths.Remove(first);
            }

            if (deliveries.Paths.TryAdd(deliveryKey, archivePath))
            {
                deliveries.Order.Enqueue(deliveryKey);
            }
        }
    }

    private sealed class Deliveries
    {
        public Dictionary<string, string> Paths { get; } = new(StringComparer.Ordinal);

        public Queue<string> Order { get; } = new();

        public AssessmentLevel Level { get; set; }
    }
}
