using System.Net;
using System.Text.Json;
using Azure.Identity;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Graph.Users.Item.Teamwork.SendActivityNotification;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions;
using GraphKeyValuePair = Microsoft.Graph.Models.KeyValuePair;

namespace ContinuityHub.Azure.Graph;

/// <summary>
/// <see cref="ITeamsGateway"/> over Microsoft Graph: channel cards and replies as the notifications account
/// (<see cref="GraphClients.Delegated"/>, <c>ChannelMessage.Send</c>), everything else app-only
/// (<see cref="GraphClients.App"/>). Graph's refusals become <see cref="TeamsDeliveryException"/>: transient for 408,
/// 429, 5xx, timeouts and network failures (after the SDK's own retries), not for 400/403/404; a notifications account
/// that cannot sign in is <see cref="TeamsDeliveryException.SignInRequired"/>. The caller's cancellation passes through.
/// </summary>
public sealed class GraphTeamsGateway : ITeamsGateway
{
    /// <summary>The content type of an Adaptive Card attachment in a chatMessage.</summary>
    public const string AdaptiveCardContentType = TeamsMessage.AdaptiveCardContentType;

    /// <summary>Where <c>user@odata.bind</c> points: Graph's own URL, whatever base URL the hub talks to.</summary>
    private const string UserBindPrefix = "https://graph.microsoft.com/v1.0/users('";

    private readonly GraphClients _clients;
    private readonly GraphOptions _options;
    private readonly ILogger _logger;

    public GraphTeamsGateway(GraphClients clients, GraphOptions options, ILogger<GraphTeamsGateway>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options;
        _logger = logger ?? NullLogger<GraphTeamsGateway>.Instance;
    }

    public Task<PostedMessage> PostCardAsync(string teamId, string channelId, TeamsCard card, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentNullException.ThrowIfNull(card);
        return CallAsync("channel post", delegated: true, async token =>
        {
            var message = await _clients.Delegated.Teams[teamId].Channels[channelId].Messages.PostAsync(CardMessage(card), cancellationToken: token);
            return Posted(message, "channel post");
        }, cancellationToken);
    }

    public Task<PostedMessage> ReplyCardAsync(string teamId, string channelId, string messageId, TeamsCard card, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        ArgumentNullException.ThrowIfNull(card);
        return CallAsync("channel reply", delegated: true, async token =>
        {
            var reply = await _clients.Delegated.Teams[teamId].Channels[channelId].Messages[messageId].Replies.PostAsync(CardMessage(card), cancellationToken: token);
            return Posted(reply, "channel reply");
        }, cancellationToken);
    }

    public Task NotifyActivityAsync(string user, ActivityNotice notice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(notice);
        return CallAsync("activity notification", delegated: false, async token =>
        {
            await _clients.App.Users[user].Teamwork.SendActivityNotification.PostAsync(new SendActivityNotificationPostRequestBody
            {
                Topic = new TeamworkActivityTopic { Source = TeamworkActivityTopicSource.Text, Value = notice.Topic, WebUrl = notice.WebUrl },
                ActivityType = notice.ActivityType,
                PreviewText = new ItemBody { Content = notice.PreviewText },
                TemplateParameters = [.. notice.Parameters.Select(p => new GraphKeyValuePair { Name = p.Key, Value = p.Value })],
            }, cancellationToken: token);
            return true;
        }, cancellationToken);
    }

    public Task SendMailAsync(string recipient, MailNotice mail, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        ArgumentNullException.ThrowIfNull(mail);
        if (string.IsNullOrWhiteSpace(_options.MailSender))
        {
            throw new TeamsDeliveryException(
                "No e-mail fallback: set Graph:MailSender to the shared mailbox the hub sends from (Mail.Send scoped to it).", transient: false, status: null);
        }

        return CallAsync("e-mail", delegated: false, async token =>
        {
            await _clients.App.Users[_options.MailSender].SendMail.PostAsync(new SendMailPostRequestBody
            {
                Message = new Message
                {
                    Subject = mail.Subject,
                    Body = new ItemBody { ContentType = BodyType.Html, Content = mail.HtmlBody },
                    ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = recipient } }],
                },
                SaveToSentItems = false,
            }, cancellationToken: token);
            return true;
        }, cancellationToken);
    }

    public Task<string> CreateMeetingAsync(MeetingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(_options.MeetingOrganizer))
        {
            throw new TeamsDeliveryException(
                "No bridge: set Graph:MeetingOrganizer to the user who organizes bridge meetings (with a Teams application access policy).", transient: false, status: null);
        }

        return CallAsync("bridge meeting", delegated: false, async token =>
        {
            var meeting = await _clients.App.Users[_options.MeetingOrganizer].OnlineMeetings.PostAsync(new OnlineMeeting
            {
                Subject = request.Subject,
                StartDateTime = request.Start,
                EndDateTime = request.End,
                Participants = new MeetingParticipants
                {
                    Attendees = [.. request.Attendees.Select(upn => new MeetingParticipantInfo { Upn = upn, Role = OnlineMeetingRole.Attendee })],
                },
            }, cancellationToken: token);
            return meeting?.JoinWebUrl is { Length: > 0 } joinUrl
                ? joinUrl
                : throw new TeamsDeliveryException("Graph created the bridge meeting without a join link.", transient: false, status: null);
        }, cancellationToken);
    }

    public async Task<CreatedChannel> CreateWarRoomAsync(WarRoomRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TeamId, nameof(request));
        var members = request.Members.Where(m => !string.IsNullOrWhiteSpace(m)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (members.Count == 0)
        {
            throw new TeamsDeliveryException(
                $"The war room '{request.DisplayName}' has nobody to own it: a private channel needs at least one member.", transient: false, status: null);
        }

        // A private channel created app-only must name its owner; the others are added once it exists (AddChannelMemberAsync).
        var channel = await CallAsync("war-room channel", delegated: false, async token =>
        {
            var created = await _clients.App.Teams[request.TeamId].Channels.PostAsync(new Channel
            {
                DisplayName = request.DisplayName,
                Description = request.Description,
                MembershipType = ChannelMembershipType.Private,
                Members = [Member(members[0], owner: true)],
            }, cancellationToken: token);
            return created?.Id is { Length: > 0 }
                ? created
                : throw new TeamsDeliveryException("Graph created the war-room channel without an id.", transient: false, status: null);
        }, cancellationToken);

        return new CreatedChannel(channel.Id!, channel.WebUrl);
    }

    public async Task AddChannelMemberAsync(string teamId, string channelId, string member, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        await CallAsync("war-room member", delegated: false, async token =>
        {
            await _clients.App.Teams[teamId].Channels[channelId].Members.PostAsync(Member(member, owner: false), cancellationToken: token);
            return true;
        }, cancellationToken);
    }

    /// <summary>The chatMessage <see cref="TeamsMessage.RequestBytes(TeamsCard)"/> measures: keep the two the same shape.</summary>
    private static ChatMessage CardMessage(TeamsCard card)
    {
        // Graph places an attachment where the HTML body names it.
        var attachmentId = Guid.NewGuid().ToString("N");
        return new ChatMessage
        {
            Body = new ItemBody { ContentType = BodyType.Html, Content = TeamsMessage.Body(attachmentId) },
            Summary = card.Summary,
            Attachments = [new ChatMessageAttachment { Id = attachmentId, ContentType = AdaptiveCardContentType, Content = card.CardJson }],
        };
    }

    private static PostedMessage Posted(ChatMessage? message, string operation) =>
        message?.Id is { Length: > 0 } id
            ? new PostedMessage(id, message.WebUrl)
            : throw new TeamsDeliveryException($"Graph accepted the {operation} but answered no message id.", transient: false, status: null);

    private static AadUserConversationMember Member(string upn, bool owner) => new()
    {
        Roles = owner ? ["owner"] : [],
        AdditionalData = new Dictionary<string, object> { ["user@odata.bind"] = UserBindPrefix + upn.Replace("'", "''", StringComparison.Ordinal) + "')" },
    };

    private async Task<T> CallAsync<T>(string operation, bool delegated, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TeamsDeliveryException)
        {
            throw;
        }
        catch (Exception exception) when (exception is AuthenticationFailedException or CredentialUnavailableException)
        {
            // Unavailable: nobody signed in, or the sign-in expired or was revoked (MSAL wants a person). A plain
            // AuthenticationFailedException is Entra ID or the token cache's storage out of reach: worth a retry.
            if (delegated && (exception is CredentialUnavailableException || exception.InnerException is MsalUiRequiredException))
            {
                Log.SignInRequired(_logger, exception, operation);
                throw new TeamsDeliveryException(
                    $"The {operation} needs the Teams notifications account, which cannot sign in ({exception.Message}): run `hub graph login`.",
                    transient: true, status: null, exception)
                { SignInRequired = true };
            }

            Log.CredentialFailed(_logger, exception, operation, delegated ? "the notifications account's" : "the hub's");
            throw new TeamsDeliveryException(
                $"The {operation} failed: {(delegated ? "the notifications account's" : "the hub's")} credential could not get a Microsoft Graph token ({exception.Message}).",
                transient: true, status: null, exception);
        }
        catch (ApiException exception)
        {
            throw Refused(operation, delegated, exception.ResponseStatusCode, ErrorText(exception), retries: 0, exception);
        }
        catch (AggregateException exception) when (exception.InnerExceptions.OfType<ApiException>().LastOrDefault() is { } last)
        {
            // The SDK's retry handler gave up (429/503/504 every time): its inner exceptions are the answers it got.
            throw Refused(operation, delegated, last.ResponseStatusCode, ErrorText(last), exception.InnerExceptions.Count - 1, exception);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException or HttpRequestException)
        {
            var reason = exception is HttpRequestException ? $"Graph could not be reached: {exception.Message}" : exception.Message;
            Log.CallInterrupted(_logger, exception, operation, reason);
            throw new TeamsDeliveryException($"The {operation} did not finish: {reason}", transient: true, (int?)(exception as HttpRequestException)?.StatusCode, exception);
        }
    }

    private TeamsDeliveryException Refused(string operation, bool delegated, int status, string reason, int retries, Exception exception)
    {
        var transient = status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500;
        var signInRequired = delegated && status == (int)HttpStatusCode.Unauthorized;
        var retried = retries > 0 ? $" after {retries} retries" : "";
        var message = $"Graph answered {status} to the {operation}{retried}: {reason}"
            + (signInRequired ? " The notifications account's token was refused: run `hub graph login`." : "");
        Log.CallFailed(_logger, operation, status, transient || signInRequired, reason);
        return new TeamsDeliveryException(message, transient || signInRequired, status, exception) { SignInRequired = signInRequired };
    }

    /// <summary>Graph's error code and message: from the parsed <see cref="ODataError"/>, else from the body the retry handler put in the message.</summary>
    private static string ErrorText(ApiException exception)
    {
        if (exception is ODataError { Error: { } error })
        {
            return $"{error.Code}: {error.Message}";
        }

        var message = exception.Message;
        var start = message.IndexOf('{', StringComparison.Ordinal);
        if (start >= 0)
        {
            try
            {
                using var document = JsonDocument.Parse(message[start..]);
                if (document.RootElement.TryGetProperty("error", out var body) && body.ValueKind == JsonValueKind.Object)
                {
                    var code = body.TryGetProperty("code", out var c) ? c.ToString() : "";
                    var text = body.TryGetProperty("message", out var m) ? m.ToString() : "";
                    return $"{code}: {text}";
                }
            }
            catch (JsonException)
            {
                // Not a Graph error body: the message as it is.
            }
        }

        return message;
    }
}
