using System.Text.RegularExpressions;

namespace ContinuityHub.Catalog;

/// <summary>The rules of a plan's automations: an id, where the request goes (by its kind), secret names and the wait.</summary>
public static partial class CatalogValidator
{
    private static readonly TimeSpan _minAutomationTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan _maxAutomationTimeout = TimeSpan.FromDays(7);

    private const int MaxEntityLength = 260;

    private static readonly string[] _loopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private static void ValidateAutomations(IReadOnlyList<PlanAutomation> automations, string planPath, CatalogLayout? layout, Action<string, string> problem)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < automations.Count; i++)
        {
            var a = automations[i];
            var path = $"{planPath}.automations[{i}]";
            if (!AutomationIdPattern().IsMatch(a.Id))
            {
                problem($"{path}.id", $"'{a.Id}' is not a valid automation id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)");
            }
            else if (!first.TryAdd(a.Id, i))
            {
                problem($"{path}.id", $"duplicate id '{a.Id}' (also {planPath}.automations[{first[a.Id]}])");
            }

            if (!Enum.IsDefined(a.On))
            {
                problem($"{path}.on", $"unknown automation trigger (expected one of {CatalogNames.Expected<AutomationTrigger>()})");
            }

            var entityPath = layout?.TopicEntities.Contains(path) == true ? $"{path}.topic" : $"{path}.queue";
            switch (a.Kind)
            {
                case AutomationKind.Webhook:
                    CheckWebhook(a, path, entityPath, problem);
                    break;
                case AutomationKind.ServiceBus:
                    CheckServiceBus(a, path, entityPath, problem);
                    break;
                default:
                    problem($"{path}.kind", $"unknown automation kind (expected one of {CatalogNames.Expected<AutomationKind>()})");
                    break;
            }

            if (a.SigningSecret is { } signing)
            {
                CheckSecretName(signing, $"{path}.signingSecret", problem);
            }

            if (a.Timeout < _minAutomationTimeout || a.Timeout > _maxAutomationTimeout)
            {
                problem($"{path}.timeout", $"{Durations.Format(a.Timeout)} is outside 1m–7d (how long the hub waits for the callback)");
            }
        }
    }

    private static void CheckWebhook(PlanAutomation a, string path, string entityPath, Action<string, string> problem)
    {
        if (a.Url is null && a.UrlSecret is null)
        {
            problem($"{path}.url", "is required for a webhook (or urlSecret: the name of the secret holding the URL)");
        }
        else if (a.Url is not null && a.UrlSecret is not null)
        {
            problem($"{path}.urlSecret", "give url or urlSecret, not both");
        }
        else if (a.Url is { } url)
        {
            CheckUrl(url, $"{path}.url", problem);
        }
        else
        {
            CheckSecretName(a.UrlSecret!, $"{path}.urlSecret", problem);
        }

        if (a.Entity is not null)
        {
            problem(entityPath, "is for a serviceBus automation; a webhook posts to its url or urlSecret");
        }
    }

    private static void CheckServiceBus(PlanAutomation a, string path, string entityPath, Action<string, string> problem)
    {
        if (a.Entity is null)
        {
            problem(entityPath, "is required for a serviceBus automation (or topic:)");
        }
        else if (a.Entity.Length > MaxEntityLength || !EntityPattern().IsMatch(a.Entity))
        {
            problem(entityPath, $"'{a.Entity}' is not a Service Bus queue or topic name (letters, digits, '.', '-', '_' and '/', at most {MaxEntityLength} characters, not starting or ending with '/', '.' or '-')");
        }

        const string NotHere = "is for a webhook; a serviceBus automation sends to its queue or topic";
        if (a.Url is not null)
        {
            problem($"{path}.url", NotHere);
        }

        if (a.UrlSecret is not null)
        {
            problem($"{path}.urlSecret", NotHere);
        }
    }

    /// <summary>Absolute and https; plain http only to this machine. The URL is not repeated: it may carry a key.</summary>
    private static void CheckUrl(string url, string path, Action<string, string> problem)
    {
        // On Unix a path such as /hooks/x is an absolute file: URI; only http and https are URLs here.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem(path, "is not an absolute https URL, e.g. https://automation.contoso.example/webhooks/failover");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !_loopbackHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            problem(path, "must use https (http only to localhost, 127.0.0.1 or [::1])");
        }
    }

    private static void CheckSecretName(string name, string path, Action<string, string> problem)
    {
        if (!SecretNamePattern().IsMatch(name))
        {
            problem(path, $"'{name}' is not a Key Vault secret name (letters, digits and '-', at most 127 characters)");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex AutomationIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_]([A-Za-z0-9._/-]*[A-Za-z0-9_])?$")]
    private static partial Regex EntityPattern();

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretNamePattern();
}
