using System.Text.RegularExpressions;

namespace ContinuityHub.Catalog;

/// <summary>The rules of a service's heartbeats: a name unique in the service, an interval, a grace shorter than it.</summary>
public static partial class CatalogValidator
{
    private static readonly TimeSpan _minHeartbeatEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan _maxHeartbeatEvery = TimeSpan.FromDays(400);

    private static void ValidateHeartbeats(BusinessService service, string servicePath, Action<string, string> problem)
    {
        if (service.Heartbeats.Count > 0 && service.Rpo == TimeSpan.Zero)
        {
            problem($"{servicePath}.heartbeats", "a service with RPO 0 cannot be watched by heartbeats: its data must never be at risk");
        }

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < service.Heartbeats.Count; i++)
        {
            var h = service.Heartbeats[i];
            var path = $"{servicePath}.heartbeats[{i}]";
            if (string.IsNullOrWhiteSpace(h.Name))
            {
                problem($"{path}.name", "is required");
            }
            else if (!HeartbeatNamePattern().IsMatch(h.Name))
            {
                problem($"{path}.name", $"'{h.Name}' is not a valid heartbeat name (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)");
            }
            else if (!first.TryAdd(h.Name, i))
            {
                problem($"{path}.name", $"duplicate name '{h.Name}' (also {servicePath}.heartbeats[{first[h.Name]}])");
            }

            var everyOk = h.Every >= _minHeartbeatEvery && h.Every <= _maxHeartbeatEvery;
            if (!everyOk)
            {
                problem($"{path}.every", $"{Durations.Format(h.Every)} is outside 1m–400d (how often the job reports)");
            }

            if (h.Grace < TimeSpan.Zero)
            {
                problem($"{path}.grace", "must not be negative");
            }
            else if (everyOk && h.Grace >= h.Every)
            {
                problem($"{path}.grace", $"{Durations.Format(h.Grace)} must be shorter than every ({Durations.Format(h.Every)}): a heartbeat that late has missed the next one too");
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex HeartbeatNamePattern();
}
