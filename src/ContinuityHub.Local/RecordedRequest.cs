using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Azure.Graph;

namespace ContinuityHub.Local;

/// <summary>One request <see cref="LocalGraph"/> received, and how it answered.</summary>
/// <param name="Sequence">1, 2, … in the order received.</param>
/// <param name="Path">The decoded path, version included (<c>/v1.0/teams/t1/channels/c1/messages</c>).</param>
/// <param name="Query">The query string as sent (<c>?a=b</c>), or empty.</param>
/// <param name="Headers">Every request header (names case-insensitive; repeated values joined with a comma), Authorization included.</param>
/// <param name="Body">The body as text (UTF-8), empty when there was none.</param>
/// <param name="Status">The status answered; 0 when the response was held until the client gave up (<see cref="LocalGraph.Hang"/>).</param>
/// <param name="Injected">Answered by a fault set with <see cref="LocalGraph.Fail"/> or <see cref="LocalGraph.Hang"/>, not by the stub's Graph logic.</param>
public sealed record RecordedRequest(
    int Sequence,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt,
    int Status,
    bool Injected)
{
    /// <summary>The Adaptive Card attachment's content type in a chatMessage.</summary>
    public const string AdaptiveCardContentType = GraphTeamsGateway.AdaptiveCardContentType;

    public string PathAndQuery => Path + Query;

    /// <summary>The <c>Authorization</c> header, if any.</summary>
    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;

    /// <summary>The bearer token sent (<c>Authorization: Bearer …</c>), if any.</summary>
    public string? BearerToken =>
        Authorization is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;

    /// <summary>Answered 2xx by the stub itself (not an injected fault).</summary>
    public bool Succeeded => !Injected && Status is >= 200 and < 300;

    /// <summary>The body parsed as JSON (property names case-insensitive, as Graph reads them); null when it is empty or not JSON.</summary>
    public JsonNode? Json => ParseJson(Body);

    /// <summary>The JSON of every Adaptive Card attached to the body (<c>attachments[].content</c> where <c>contentType</c> is <see cref="AdaptiveCardContentType"/>).</summary>
    public IReadOnlyList<string> CardJsons => CardsIn(Json);

    /// <summary>The JSON of the (first) Adaptive Card the body carries, as sent; null when it carries none.</summary>
    public string? CardJson => CardJsons.Count > 0 ? CardJsons[0] : null;

    /// <summary>True when the body carries an Adaptive Card.</summary>
    public bool CarriesCard => CardJsons.Count > 0;

    /// <summary>The JSON of the first Adaptive Card <paramref name="request"/> carries; null when it carries none.</summary>
    public static string? CardJsonOf(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.CardJson;
    }

    internal static JsonNode? ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, new JsonNodeOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static IReadOnlyList<string> CardsIn(JsonNode? body)
    {
        if (body is not JsonObject message || message["attachments"] is not JsonArray attachments)
        {
            return [];
        }

        var cards = new List<string>();
        foreach (var attachment in attachments.OfType<JsonObject>())
        {
            if (attachment["contentType"] is JsonValue type && type.TryGetValue<string>(out var contentType)
                && string.Equals(contentType, AdaptiveCardContentType, StringComparison.OrdinalIgnoreCase)
                && attachment["content"] is JsonValue content && content.TryGetValue<string>(out var cardJson))
            {
                cards.Add(cardJson);
            }
        }

        return cards;
    }
}
