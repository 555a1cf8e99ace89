using System.Text.Json.Nodes;
using ContinuityHub.Catalog;

namespace ContinuityHub.Cli.Demo;

/// <summary>What the local Teams sink received since the last look: the hub's cards and notifications, read back from its files.</summary>
internal sealed class SinkReader(string sinkDirectory, string output, ContinuityCatalog catalog)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>A Graph request the sink recorded. <paramref name="File"/> is relative to the output folder.</summary>
    public sealed record Request(string File, string Path, JsonObject Record)
    {
        public bool IsCard => Record["cards"] is JsonArray { Count: > 0 };

        public bool IsReply => Path.EndsWith("/replies", StringComparison.Ordinal);

        public bool IsActivity => Path.EndsWith("/sendActivityNotification", StringComparison.Ordinal);

        /// <summary>The summary of a card message (<c>[Alert] … — plan dr-ledger</c>).</summary>
        public string Summary => (string?)Record["body"]?["summary"] ?? string.Empty;

        /// <summary>The person an activity notification went to.</summary>
        public string Recipient => Uri.UnescapeDataString(Path.Split('/') is { Length: > 3 } parts ? parts[3] : string.Empty);
    }

    /// <summary>The requests recorded since the last call, in order.</summary>
    public IReadOnlyList<Request> Next()
    {
        if (!Directory.Exists(sinkDirectory))
        {
            return [];
        }

        var requests = new List<Request>();
        foreach (var file in Directory.GetFiles(sinkDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            if (!_seen.Add(file) || JsonNode.Parse(File.ReadAllText(file)) is not JsonObject record)
            {
                continue;
            }

            var path = Uri.UnescapeDataString((string?)record["path"] ?? string.Empty);
            requests.Add(new Request(Relative(file), path, record));
        }

        return requests;
    }

    /// <summary>The plan a card is about: named at the end of its summary, else the crisis team whose channel it went to; empty for the report.</summary>
    public string PlanOf(Request card)
    {
        const string Marker = " — plan ";
        var at = card.Summary.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            return card.Summary[(at + Marker.Length)..];
        }

        return catalog.Plans.FirstOrDefault(p => p.CrisisTeam is { } team && card.Path.Contains("/channels/" + team.ChannelId + "/", StringComparison.Ordinal))?.Id ?? string.Empty;
    }

    private string Relative(string file) => System.IO.Path.GetRelativePath(output, file).Replace('\\', '/');
}
