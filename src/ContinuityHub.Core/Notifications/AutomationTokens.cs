namespace ContinuityHub.Notifications;

/// <summary>What an automation's callback link carries, signed: the run it reports on, and until when it is taken.</summary>
public sealed record AutomationClaim(string IncidentKey, string Plan, string Automation, string EventId, DateTimeOffset ExpiresAt);

/// <summary>
/// The signed tokens of automation callbacks (<c>POST /api/automations/{token}</c>): the decision tokens' format and
/// signing key, with a key derived for this purpose, so a decision link's token is no callback token, nor the reverse.
/// Single use per status is the run's business (the statuses it recorded).
/// </summary>
public sealed class AutomationTokens(DecisionTokens tokens)
{
    /// <summary>How long a callback link stays valid after the request: an automation may report long after its timeout.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private const string Purpose = "ContinuityHub.AutomationCallback.v1";

    public string Sign(AutomationClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return tokens.Seal(DecisionTokens.Write(new Wire(claim.IncidentKey, claim.Plan, claim.Automation, claim.EventId, claim.ExpiresAt.ToUnixTimeSeconds())), Purpose);
    }

    /// <summary>Checks a token's shape and signature, then its expiry against <paramref name="now"/>.</summary>
    public TokenCheck Verify(string? token, DateTimeOffset now, out AutomationClaim? claim)
    {
        claim = null;
        if (!tokens.TryOpen(token, Purpose, out var payload) || DecisionTokens.Read<Wire>(payload) is not { } wire
            || string.IsNullOrEmpty(wire.I) || string.IsNullOrEmpty(wire.P) || string.IsNullOrEmpty(wire.A) || string.IsNullOrEmpty(wire.R)
            || wire.E < DecisionTokens.MinUnixSeconds || wire.E > DecisionTokens.MaxUnixSeconds)
        {
            return TokenCheck.Forged;
        }

        claim = new AutomationClaim(wire.I, wire.P, wire.A, wire.R, DateTimeOffset.FromUnixTimeSeconds(wire.E));
        return now >= claim.ExpiresAt ? TokenCheck.Expired : TokenCheck.Valid;
    }

    // Short names keep links short: incident, plan, automation, request (event id), expiry (Unix seconds).
    private sealed record Wire(string I, string P, string A, string R, long E);
}
