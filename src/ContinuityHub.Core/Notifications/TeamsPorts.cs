namespace ContinuityHub.Notifications;

// Microsoft Teams (through Microsoft Graph): implemented by ContinuityHub.Azure.Graph.GraphTeamsGateway.

/// <summary>An Adaptive Card (schema 1.5) as JSON, with the plain text Teams shows where the card cannot be drawn.</summary>
public sealed record TeamsCard(string CardJson, string Summary);

/// <summary>A channel message the hub posted: its Graph id and the link that opens it in Teams.</summary>
public sealed record PostedMessage(string Id, string? WebUrl);

/// <summary>A Teams activity-feed notification to one person (<c>activityType</c> is declared in the Teams app manifest).</summary>
public sealed record ActivityNotice(string ActivityType, string Topic, string PreviewText, string WebUrl, IReadOnlyDictionary<string, string> Parameters);

/// <summary>An e-mail from the hub's shared mailbox: the fallback when the activity feed cannot reach a person.</summary>
public sealed record MailNotice(string Subject, string HtmlBody);

/// <summary>The crisis bridge: an online meeting for the crisis team.</summary>
public sealed record MeetingRequest(string Subject, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> Attendees);

/// <summary>The war-room channel created in the crisis team's team on invocation: the first member owns it, the others are added one by one.</summary>
public sealed record WarRoomRequest(string TeamId, string DisplayName, string Description, IReadOnlyList<string> Members);

/// <summary>A channel the hub created: its Graph id and the link that opens it.</summary>
public sealed record CreatedChannel(string Id, string? WebUrl);

/// <summary>
/// What the hub does in Microsoft Teams. Channel posts and replies go as the dedicated notifications account
/// (delegated <c>ChannelMessage.Send</c>: Graph allows no app-only channel post); everything else app-only.
/// Every method either succeeds or throws <see cref="TeamsDeliveryException"/> (or <see cref="OperationCanceledException"/>).
/// </summary>
public interface ITeamsGateway
{
    Task<PostedMessage> PostCardAsync(string teamId, string channelId, TeamsCard card, CancellationToken cancellationToken);

    /// <summary>Replies to <paramref name="messageId"/> (the conversation's first message) with a card.</summary>
    Task<PostedMessage> ReplyCardAsync(string teamId, string channelId, string messageId, TeamsCard card, CancellationToken cancellationToken);

    /// <summary><c>POST /users/{user}/teamwork/sendActivityNotification</c> (<c>TeamsActivity.Send</c>).</summary>
    Task NotifyActivityAsync(string user, ActivityNotice notice, CancellationToken cancellationToken);

    /// <summary><c>POST /users/{mailbox}/sendMail</c> (<c>Mail.Send</c>, scoped to the shared mailbox).</summary>
    Task SendMailAsync(string recipient, MailNotice mail, CancellationToken cancellationToken);

    /// <summary><c>POST /users/{organizer}/onlineMeetings</c>; returns the join link.</summary>
    Task<string> CreateMeetingAsync(MeetingRequest request, CancellationToken cancellationToken);

    /// <summary>Creates a private channel (<c>Channel.Create</c>) owned by the first of <see cref="WarRoomRequest.Members"/>; the others are added with <see cref="AddChannelMemberAsync"/>.</summary>
    Task<CreatedChannel> CreateWarRoomAsync(WarRoomRequest request, CancellationToken cancellationToken);

    /// <summary>Adds a person to a channel the hub created (<c>ChannelMember.ReadWrite.All</c>); one call per person, so a retry resumes where it stopped.</summary>
    Task AddChannelMemberAsync(string teamId, string channelId, string member, CancellationToken cancellationToken);
}

/// <summary>A Teams delivery that failed.</summary>
/// <param name="Transient">Worth retrying later (429, 5xx, timeouts, network); false for a refusal that will not change (400, 403, 404).</param>
/// <param name="Status">The HTTP status Graph answered, if it answered.</param>
public sealed class TeamsDeliveryException : Exception
{
    public TeamsDeliveryException()
    {
    }

    public TeamsDeliveryException(string message)
        : base(message)
    {
    }

    public TeamsDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TeamsDeliveryException(string message, bool transient, int? status, Exception? innerException = null)
        : base(message, innerException)
    {
        Transient = transient;
        Status = status;
    }

    public bool Transient { get; }

    public int? Status { get; }

    /// <summary>The notifications account's sign-in has expired or was revoked: someone must run <c>hub graph login</c>.</summary>
    public bool SignInRequired { get; init; }
}
