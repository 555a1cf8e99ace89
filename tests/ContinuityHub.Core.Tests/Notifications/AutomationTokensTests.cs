using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using CsCheck;

namespace ContinuityHub.Core.Tests.Notifications;

/// <summary>Callback tokens: signed with a key of their own, so neither a decision link nor a changed token is one.</summary>
public class AutomationTokensTests
{
    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))];
    private static readonly DecisionTokens s_decisions = new(s_key);
    private static readonly AutomationTokens s_tokens = new(s_decisions);
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 10, 41, 0, TimeSpan.Zero);
    private static readonly AutomationClaim s_claim = new("servicenow~INC0012345", "dr-sql-cluster", "failover-sql", "5f0c2d9a4b7e4c1f8a3d6e2b9c0f1a7d", s_now + AutomationTokens.Lifetime);

    [Fact]
    public void A_callback_token_verifies_to_its_claim_until_it_expires()
    {
        var token = s_tokens.Sign(s_claim);

        Assert.Equal(TokenCheck.Valid, s_tokens.Verify(token, s_now, out var claim));
        Assert.Equal(s_claim, claim);
        Assert.Equal(TokenCheck.Expired, s_tokens.Verify(token, s_claim.ExpiresAt, out _));
    }

    [Fact]
    public void A_decision_token_is_no_callback_token_and_a_callback_token_is_no_decision_token()
    {
        var decision = s_decisions.Sign(new DecisionClaim("servicenow~INC0012345", DecisionAction.Invoke, "dr-sql-cluster", "james@contoso.example", s_now.AddHours(1), DecisionTokens.NewNonce()));
        var callback = s_tokens.Sign(s_claim);

        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(decision, s_now, out var asCallback));
        Assert.Null(asCallback);
        Assert.Equal(TokenCheck.Forged, s_decisions.Verify(callback, s_now, out var asDecision));
        Assert.Null(asDecision);
    }

    [Fact]
    public void A_token_signed_with_another_key_is_forged()
    {
        var other = new AutomationTokens(new DecisionTokens([.. s_key.Select(b => (byte)(b ^ 1))]));

        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(other.Sign(s_claim), s_now, out _));
    }

    [Fact]
    public void No_change_of_one_character_makes_a_token_the_hub_accepts()
    {
        var token = s_tokens.Sign(s_claim);
        Gen.Int[0, token.Length - 1].Select(Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."])
            .Sample((index, c) =>
            {
                var changed = token[..index] + c + token[(index + 1)..];
                return changed == token || s_tokens.Verify(changed, s_now, out _) == TokenCheck.Forged;
            }, iter: 10_000);
    }
}
