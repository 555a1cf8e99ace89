using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Incidents;

namespace ContinuityHub.Notifications.Delivery;

/// <summary>Names and links the delivery steps put into Teams.</summary>
internal static class NotificationWords
{
    public static string Level(AssessmentLevel level) => level switch
    {
        AssessmentLevel.RecommendInvocation => "Recommend invocation",
        _ => level.ToString(),
    };

    /// <summary>A channel name Teams takes: at most 50 characters, none of <c>~ # % &amp; * { } + / \ : &lt; &gt; ? | ' "</c>, not ending in a dot.</summary>
    public static string WarRoomName(Incident incident, ContinuityPlan plan)
    {
        var name = new string($"War room {plan.Id} {incident.ExternalId}".Select(c => "~#%&*{}+/\\:<>?|'\"".Contains(c, StringComparison.Ordinal) || char.IsControl(c) ? '-' : c).ToArray());
        return HumanText.Truncate(name, 50).TrimEnd('.');
    }

    /// <summary>A Teams link to the crisis channel, for an activity notification when the card is not posted yet (Graph wants a Teams link there).</summary>
    public static string ChannelLink(CrisisTeam? team) =>
        team is null
            ? "https://teams.microsoft.com"
            : $"https://teams.microsoft.com/l/channel/{Uri.EscapeDataString(team.ChannelId)}/ContinuityHub?groupId={Uri.EscapeDataString(team.TeamId)}";

    public static Uri? HttpLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
}
