using System.Net.Http.Headers;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Local;

namespace ContinuityHub.Cli.Samples;

/// <summary>
/// The vendors' sample payloads in <c>infra/samples/{source}/</c>, and how each tool signs what it sends
/// (<see cref="WebhookAuthenticator"/> checks the same).
/// </summary>
internal static class VendorSamples
{
    /// <summary>Each source's sample of an open (triggered, fired, created) incident, and of its resolution.</summary>
    private static readonly Dictionary<AliasSource, (string Open, string Resolved)> _defaults = new()
    {
        [AliasSource.ServiceNow] = ("incident-open", "incident-resolved"),
        [AliasSource.Jira] = ("issue-created", "issue-updated-done"),
        [AliasSource.PagerDuty] = ("incident-triggered", "incident-resolved"),
        [AliasSource.Opsgenie] = ("alert-create", "alert-close"),
        [AliasSource.AzureMonitor] = ("metric-alert-fired", "metric-alert-resolved"),
        [AliasSource.Generic] = ("incident-open", "incident-resolved"),
        [AliasSource.Alertmanager] = ("firing", "resolved"),
        [AliasSource.Heartbeat] = ("rpo-at-risk", "rpo-restored"),
    };

    /// <summary><c>infra/samples</c> above the current directory or above the CLI's own folder; null when neither has one.</summary>
    public static string? Folder() => InfraFolder.Find("samples");

    public static string DefaultOpen(AliasSource source) => _defaults[source].Open;

    public static string DefaultResolved(AliasSource source) => _defaults[source].Resolved;

    /// <summary>
    /// The file a sample names: <c>pagerduty</c> (its open sample), <c>pagerduty/incident-resolved</c>, or a path to a JSON
    /// file (whose source is <paramref name="source"/>, else the folder it is in).
    /// </summary>
    /// <exception cref="HubValidationException">No such sample, or no source to sign it as.</exception>
    public static (AliasSource Source, string Path) Resolve(string sample, string? source)
    {
        if (sample.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(sample))
        {
            var folder = source ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(sample)));
            return CatalogNames.TryParseSource(folder, out var fromFolder)
                ? (fromFolder, Path.GetFullPath(sample))
                : throw new HubValidationException("--source", $"which tool sends {sample}? one of {Sources}");
        }

        var parts = sample.Split('/', 2);
        if (!CatalogNames.TryParseSource(parts[0], out var parsed))
        {
            throw new HubValidationException("sample", $"'{sample}' is not a sample: give a source ({Sources}), source/name (e.g. pagerduty/incident-resolved) or a JSON file");
        }

        var samples = Folder() ?? throw new HubValidationException("sample", "no infra/samples folder above this directory: run from the repository, or give a JSON file");
        var name = parts.Length > 1 ? parts[1] : _defaults[parsed].Open;
        var path = Path.Combine(samples, CatalogNames.Name(parsed), name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name : name + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.GetFiles(Path.Combine(samples, CatalogNames.Name(parsed)), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
            throw new HubValidationException("sample", $"no sample '{name}' for {CatalogNames.Name(parsed)}; there are: {string.Join(", ", known)}");
        }

        return (parsed, path);
    }

    /// <summary>A request that posts <paramref name="body"/> to the hub's intake route for <paramref name="source"/>, authenticated as the tool does.</summary>
    public static HttpRequestMessage Request(Uri hub, AliasSource source, byte[] body, string secret)
    {
        var name = CatalogNames.Name(source);
        var url = new Uri(hub, "api/intake/" + name);
        if (source is AliasSource.Opsgenie or AliasSource.AzureMonitor)
        {
            // Opsgenie and Azure Monitor webhooks carry no headers of the sender's choosing: the token goes in the URL.
            url = new Uri(url + "?" + WebhookAuthenticator.TokenQuery + "=" + Uri.EscapeDataString(secret));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        switch (source)
        {
            case AliasSource.PagerDuty:
                request.Headers.Add(WebhookAuthenticator.PagerDutySignatureHeader, "v1=" + WebhookAuthenticator.Sign(secret, body));
                break;
            case AliasSource.Jira:
                request.Headers.Add(WebhookAuthenticator.HubSignatureHeader, "sha256=" + WebhookAuthenticator.Sign(secret, body));
                break;
            case AliasSource.ServiceNow or AliasSource.Generic:
                request.Headers.Add(WebhookAuthenticator.TokenHeader, secret);
                break;
            case AliasSource.Alertmanager:
                // Alertmanager's http_config.authorization (credentials: the secret) sends it as a bearer token.
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
        }

        return request;
    }

    private static string Sources => string.Join(", ", _defaults.Keys.Select(CatalogNames.Name));
}
