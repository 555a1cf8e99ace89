using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContinuityHub.Notifications;

/// <summary>
/// The size of the Graph request that carries a card to a channel (a chatMessage with the card as its one attachment),
/// measured as Microsoft Graph's SDK serializes it: the card's JSON travels as a string inside the message, and the
/// SDK's writer escapes every quote, every non-ASCII character and every HTML-sensitive character as <c>\uXXXX</c>.
/// A 20 KB card is a 29 KB request that way, so the budget is checked here, on the request, not on the card.
/// </summary>
public static class TeamsMessage
{
    /// <summary>Teams refuses a channel message over about 28 KB.</summary>
    public const int TeamsLimitBytes = 28 * 1024;

    /// <summary>The hub's budget for one request body: under <see cref="TeamsLimitBytes"/> with room for what Graph adds.</summary>
    public const int MaxRequestBytes = 26 * 1024;

    /// <summary>The content type of an Adaptive Card attachment in a chatMessage.</summary>
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The attachment ids the gateway uses are 32 hex digits (a GUID "N"): measured with one of that length.</summary>
    private const string SampleAttachmentId = "00000000000000000000000000000000";

    /// <summary>Graph's SDK (Kiota) writes JSON with the default encoder: the strictest escaping, so the largest size.</summary>
    private static readonly JsonSerializerOptions _graphJson = new() { WriteIndented = false };

    /// <summary>The HTML body of a card message: Graph places the attachment where the body names it.</summary>
    public static string Body(string attachmentId) => $"<attachment id=\"{attachmentId}\"></attachment>";

    /// <summary>The UTF-8 size of the request body that posts <paramref name="card"/> (or replies with it).</summary>
    public static int RequestBytes(TeamsCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return RequestBytes(card.CardJson, card.Summary);
    }

    internal static int RequestBytes(string cardJson, string summary)
    {
        var message = new JsonObject
        {
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["content"] = cardJson, ["contentType"] = AdaptiveCardContentType, ["id"] = SampleAttachmentId },
            },
            ["body"] = new JsonObject { ["content"] = Body(SampleAttachmentId), ["contentType"] = "html" },
            ["summary"] = summary,
        };
        return Encoding.UTF8.GetByteCount(message.ToJsonString(_graphJson));
    }
}
