namespace ContinuityHub.Notifications;

/// <summary>How the hub notifies crisis teams: where decision links point, how long links live, how hard it retries.</summary>
/// <param name="DecisionsBaseUrl">The hub's public address (<c>Decisions:BaseUrl</c>, e.g. <c>https://func-hub.azurewebsites.net</c>); decision links are <c>{base}/api/decisions/{token}</c>. Null: cards carry no decision actions.</param>
/// <param name="TokenLifetime">How long a decision link stays valid (<c>Decisions:TokenLifetime</c>, default 24 hours).</param>
/// <param name="DocumentLinkLifetime">How long a plan document link in a card stays valid (default 8 hours).</param>
/// <param name="ProblemAfterAttempts">A delivery still failing after this many attempts shows on the incident as a delivery problem.</param>
/// <param name="Claim">How long a sender holds an outbox entry before another may take it over.</param>
/// <param name="BridgeLength">How long the bridge meeting is booked for.</param>
public sealed record NotificationSettings(
    Uri? DecisionsBaseUrl,
    TimeSpan TokenLifetime,
    TimeSpan DocumentLinkLifetime,
    int ProblemAfterAttempts,
    TimeSpan Claim,
    TimeSpan BridgeLength)
{
    public static NotificationSettings Default { get; } = new(null, TimeSpan.FromHours(24), TimeSpan.FromHours(8), 3, TimeSpan.FromMinutes(2), TimeSpan.FromHours(4));

    /// <summary>The activity type the Teams app manifest (infra/teams-app/manifest.json) declares for alerts.</summary>
    public const string AlertActivityType = "continuityAlert";

    /// <summary>The actor recorded when the clock invokes a plan that allows it.</summary>
    public const string AutomaticActor = "ContinuityHub (automatic invocation: the plan allows it)";

    /// <summary>The incident in the hub (<c>{base}/api/incidents/{key}</c>), or null without the hub's public address.</summary>
    public Uri? IncidentLink(string incidentKey) =>
        DecisionsBaseUrl is null ? null : new Uri(DecisionsBaseUrl, "api/incidents/" + Uri.EscapeDataString(incidentKey));

    /// <summary>An automation's callback link for a token (<c>{base}/api/automations/{token}</c>), or null without the hub's public address.</summary>
    public Uri? AutomationCallbackLink(string token) =>
        DecisionsBaseUrl is null ? null : new Uri(DecisionsBaseUrl, "api/automations/" + Uri.EscapeDataString(token));

    /// <summary>The decision link for a token.</summary>
    public Uri? DecisionLink(string token) =>
        DecisionsBaseUrl is null ? null : new Uri(DecisionsBaseUrl, "api/decisions/" + Uri.EscapeDataString(token));
}
