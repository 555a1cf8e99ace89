using ContinuityHub.Catalog;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// The sample payloads of <c>infra/samples/{source}/</c> as each tool sends them to <c>hub serve</c>: the record's
/// id made unique to the test, signed the way the tool signs.
/// </summary>
internal static class ServeWebhooks
{
    public static TheoryData<string> Sources => new(CatalogNames.SourceNames);

    public static string Secret(string source) => WebhookSamples.Secret(source);

    public static string NewId(string source) => WebhookSamples.NewId(source);

    /// <summary>The key the hub gives the incident of <paramref name="id"/> from <paramref name="source"/>.</summary>
    public static string Key(string source, string id) => WebhookSamples.Key(source, id);

    /// <summary>The sample of an open incident with its record id set to <paramref name="id"/>.</summary>
    public static byte[] Open(string source, string id) => WebhookSamples.Open(source, id);

    /// <summary>A POST of <paramref name="body"/> to the source's intake route, authenticated as the tool does with <paramref name="secret"/>.</summary>
    public static HttpRequestMessage Post(string source, byte[] body, string? secret)
    {
        var uri = $"/api/intake/{source}";
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        if (secret is not null)
        {
            WebhookSamples.Sign(
                source,
                body,
                secret,
                (name, value) => request.Headers.Add(name, value),
                (name, value) => request.RequestUri = new Uri($"{uri}?{name}={Uri.EscapeDataString(value)}", UriKind.Relative));
        }

        return request;
    }
}
