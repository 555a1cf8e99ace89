using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ContinuityHub.Notifications;

namespace ContinuityHub.Azure.Reactions;

/// <summary>What a vendor or a webhook answered with success: the body, and the headers (a run id may be there).</summary>
internal sealed record ReactionAnswer(string Body, HttpResponseHeaders Headers);

/// <summary>
/// Sends one reaction request (a note written back, an automation request) and sorts its failure the way the outbox
/// needs: 408, 429, 5xx and no answer are transient (retried); any other refusal is for good. The refusal keeps at
/// most <see cref="MaxReasonCharacters"/> of what the other side said.
/// </summary>
internal static class ReactionHttp
{
    private const int MaxReasonCharacters = 300;

    /// <param name="who">Who is asked, as a refusal names it: <c>servicenow</c>, <c>The webhook of automation failover-sql (host)</c>.</param>
    /// <param name="what">What the request is about, after "for" in a refusal (<c>record INC0012345</c>), or null.</param>
    public static async Task<ReactionAnswer> SendAsync(HttpClient client, HttpRequestMessage request, string who, string? what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TeamsDeliveryException($"{who} did not answer: {e.Message}", transient: true, status: null, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new ReactionAnswer(body, response.Headers);
            }

            var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
            var reason = body.Length > MaxReasonCharacters ? body[..MaxReasonCharacters] + "…" : body;
            var about = what is null ? string.Empty : " for " + what;
            throw new TeamsDeliveryException(
                string.Create(CultureInfo.InvariantCulture, $"{who} answered {status} {response.ReasonPhrase}{about}: {reason}"),
                transient,
                status);
        }
    }
}
