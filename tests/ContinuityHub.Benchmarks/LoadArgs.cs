using System.Globalization;

namespace ContinuityHub.Benchmarks;

/// <summary>What the load scenarios (intake-load, teams-load) share: their options and their percentiles.</summary>
internal static class LoadArgs
{
    /// <summary>The value after <paramref name="name"/> on the command line, else <paramref name="fallback"/>.</summary>
    public static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..1) of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
