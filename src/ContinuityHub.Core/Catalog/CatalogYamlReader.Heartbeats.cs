using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>A service's <c>heartbeats</c>: the backup and replication jobs expected to report its recovery points.</summary>
public static partial class CatalogYamlReader
{
    private static readonly string[] _heartbeatKeys = ["name", "every", "grace"];

    private sealed partial class Reader
    {
        /// <summary>The service's heartbeats in file order (none when the key is absent); null when any has a problem.</summary>
        private List<HeartbeatDeclaration>? ReadHeartbeats(Dictionary<string, YamlNode> service, string servicePath)
        {
            var heartbeats = new List<HeartbeatDeclaration>();
            if (!service.TryGetValue("heartbeats", out var node) || IsNull(node))
            {
                return heartbeats;
            }

            var path = Join(servicePath, "heartbeats");
            if (node is not YamlSequenceNode sequence)
            {
                Problem(path, "expected a list of heartbeats, e.g. - name: log-backup");
                return null;
            }

            var ok = true;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var heartbeat = ReadHeartbeat(sequence.Children[i], $"{path}[{i}]");
                ok &= heartbeat is not null;
                if (heartbeat is not null)
                {
                    heartbeats.Add(heartbeat);
                }
            }

            return ok ? heartbeats : null;
        }

        /// <summary>One heartbeat: <c>grace</c> is zero when the file names none; the rules across keys are the validator's.</summary>
        private HeartbeatDeclaration? ReadHeartbeat(YamlNode node, string path)
        {
            var map = Mapping(node, path, _heartbeatKeys);
            if (map is null)
            {
                return null;
            }

            var before = Problems.Count;
            var name = Scalar(map, "name", path, required: true);
            var every = Duration(map, "every", path, required: true);
            var grace = Duration(map, "grace", path, required: false) ?? TimeSpan.Zero;
            return name is null || every is null || Problems.Count > before
                ? null
                : new HeartbeatDeclaration(name, every.Value, grace);
        }
    }
}
