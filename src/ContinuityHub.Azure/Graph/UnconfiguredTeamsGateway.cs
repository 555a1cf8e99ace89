using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContinuityHub.Azure.Graph;

/// <summary>
/// The <see cref="ITeamsGateway"/> when neither a tenant nor a local Graph is configured: every call fails as transient,
/// so notifications stay in the outbox until Graph is configured.
/// </summary>
public sealed class UnconfiguredTeamsGateway(ILogger<UnconfiguredTeamsGateway>? logger = null) : ITeamsGateway
{
    public const string Message =
        "Microsoft Graph is not configured: set Graph:TenantId and Graph:ClientId (or Graph:BaseUrl for a local Graph); notifications stay in the outbox until then.";

    private readonly ILogger _logger = logger ?? NullLogger<UnconfiguredTeamsGateway>.Instance;

    public Task<PostedMessage> PostCardAsync(string teamId, string channelId, TeamsCard card, CancellationToken cancellationToken) =>
        Task.FromException<PostedMessage>(NotConfigured("channel post"));

    public Task<PostedMessage> ReplyCardAsync(string teamId, string channelId, string messageId, TeamsCard card, CancellationToken cancellationToken) =>
        Task.FromException<PostedMessage>(NotConfigured("channel reply"));

    public Task NotifyActivityAsync(string user, ActivityNotice notice, CancellationToken cancellationToken) =>
        Task.FromException(NotConfigured("activity notification"));

    public Task SendMailAsync(string recipient, MailNotice mail, CancellationToken cancellationToken) =>
        Task.FromException(NotConfigured("e-mail"));

    public Task<string> CreateMeetingAsync(MeetingRequest request, CancellationToken cancellationToken) =>
        Task.FromException<string>(NotConfigured("bridge meeting"));

    public Task<CreatedChannel> CreateWarRoomAsync(WarRoomRequest request, CancellationToken cancellationToken) =>
        Task.FromException<CreatedChannel>(NotConfigured("war-room channel"));

    public Task AddChannelMemberAsync(string teamId, string channelId, string member, CancellationToken cancellationToken) =>
        Task.FromException(NotConfigured("war-room member"));

    private TeamsDeliveryException NotConfigured(string operation)
    {
        Log.NotConfigured(_logger, operation);
        return new TeamsDeliveryException(Message, transient: true, status: null);
    }
}
