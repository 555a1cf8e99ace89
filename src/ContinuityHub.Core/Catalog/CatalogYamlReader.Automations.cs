using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>A plan's <c>automations</c>: what the hub sets off by itself at a point of the plan's life.</summary>
public static partial class CatalogYamlReader
{
    private static readonly string[] _automationKeys = ["id", "on", "kind", "url", "urlSecret", "queue", "topic", "signingSecret", "timeout"];

    private sealed partial class Reader
    {
        /// <summary>The plan's automations in file order (none when the key is absent); null when any has a problem.</summary>
        private List<PlanAutomation>? ReadAutomations(Dictionary<string, YamlNode> plan, string planPath)
        {
            var automations = new List<PlanAutomation>();
            if (!plan.TryGetValue("automations", out var node) || IsNull(node))
            {
                return automations;
            }

            var path = Join(planPath, "automations");
            if (node is not YamlSequenceNode sequence)
            {
                Problem(path, "expected a list of automations, e.g. - id: failover-sql");
                return null;
            }

            var ok = true;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var automation = ReadAutomation(sequence.Children[i], $"{path}[{i}]");
                ok &= automation is not null;
                if (automation is not null)
                {
                    automations.Add(automation);
                }
            }

            return ok ? automations : null;
        }

        /// <summary>
        /// One automation. <c>queue</c> and <c>topic</c> both become <see cref="PlanAutomation.Entity"/>: which key named
        /// it is kept in the layout, so the validator's problems name it; the rules across keys are the validator's.
        /// </summary>
        private PlanAutomation? ReadAutomation(YamlNode node, string path)
        {
            var map = Mapping(node, path, _automationKeys);
            if (map is null)
            {
                return null;
            }

            var before = Problems.Count;
            var id = Scalar(map, "id", path, required: true);
            var on = Enum<AutomationTrigger>(map, "on", path, "automation trigger", required: true);
            var kind = Enum<AutomationKind>(map, "kind", path, "automation kind", required: false) ?? AutomationKind.Webhook;
            var url = Scalar(map, "url", path, required: false);
            var urlSecret = Scalar(map, "urlSecret", path, required: false);
            var queue = Scalar(map, "queue", path, required: false);
            var topic = Scalar(map, "topic", path, required: false);
            var signingSecret = Scalar(map, "signingSecret", path, required: false);
            var timeout = Duration(map, "timeout", path, required: false) ?? PlanAutomation.DefaultTimeout;
            if (queue is not null && topic is not null)
            {
                Problem(Join(path, "topic"), "give queue or topic, not both");
            }
            else if (topic is not null)
            {
                _layout.TopicEntities.Add(path);
            }

            return id is null || on is null || Problems.Count > before
                ? null
                : new PlanAutomation(id, on.Value, kind, url, urlSecret, queue ?? topic, signingSecret, timeout);
        }
    }
}
