using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using CsCheck;

namespace ContinuityHub.Core.Tests.Notifications;

/// <summary>Decision tokens: an expiry no time can hold is forged, only the canonical base64url spelling is read, and no mutation of a token passes.</summary>
public class DecisionTokensFuzzTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
    private static readonly DecisionTokens s_tokens = new(s_key);
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 9, 58, 12, TimeSpan.Zero);

    private static readonly char[] s_oddChars = ['.', '=', '+', '/', ' ', '%', '\u00E9', '\0', 'A', 'a', '-', '_'];

    public static TheoryData<long> FarExpiries { get; } = [1L << 62, long.MaxValue, long.MinValue, DateTimeOffset.MaxValue.ToUnixTimeSeconds() + 1, DateTimeOffset.MinValue.ToUnixTimeSeconds() - 1];

    [Fact]
    public void A_crafted_payload_with_a_reachable_expiry_is_valid_so_the_crafting_matches_the_hub()
    {
        var token = Craft(s_now.AddHours(1).ToUnixTimeSeconds());

        Assert.Equal(TokenCheck.Valid, s_tokens.Verify(token, s_now, out var claim));
        Assert.Equal(s_now.AddHours(1), claim!.ExpiresAt);
        Assert.Equal(DecisionAction.Invoke, claim.Action);
    }

    [Theory]
    [MemberData(nameof(FarExpiries))]
    public void A_validly_signed_expiry_no_time_can_hold_is_forged_not_thrown(long expiry)
    {
        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(Craft(expiry), s_now, out var claim));
        Assert.Null(claim);
    }

    [Fact]
    public void The_other_spellings_of_the_last_character_are_forged_and_only_the_canonical_one_is_valid()
    {
        // Arrange: 32 signature bytes are 43 characters, the last carrying two unused low bits.
        var token = Signed("nonce-1");
        var last = Alphabet.IndexOf(token[^1], StringComparison.Ordinal);
        Assert.Equal(0, last & 3);
        var others = Enumerable.Range(1, 3).Select(bits => token[..^1] + Alphabet[last | bits]).ToList();

        // Act and assert
        Assert.Equal(TokenCheck.Valid, s_tokens.Verify(token, s_now, out _));
        Assert.Equal(3, others.Distinct(StringComparer.Ordinal).Count());
        Assert.All(others, other => Assert.Equal(TokenCheck.Forged, s_tokens.Verify(other, s_now, out _)));
    }

    [Fact]
    public void Padding_is_forged()
    {
        var token = Signed("nonce-1");
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payloadPad = (4 - (dot % 4)) % 4;

        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(token + "=", s_now, out _));
        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(token + "==", s_now, out _));
        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(token[..dot] + new string('=', Math.Max(payloadPad, 1)) + token[dot..], s_now, out _));
    }

    [Fact]
    public void The_standard_base64_alphabet_is_forged()
    {
        // Arrange: a token that has a '-' or '_' to respell.
        var token = Enumerable.Range(0, 1000).Select(i => Signed(string.Create(CultureInfo.InvariantCulture, $"nonce-{i}")))
            .First(t => t.Contains('-', StringComparison.Ordinal) && t.Contains('_', StringComparison.Ordinal));

        // Act and assert
        Assert.Equal(TokenCheck.Valid, s_tokens.Verify(token, s_now, out _));
        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(token.Replace('-', '+'), s_now, out _));
        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(token.Replace('_', '/'), s_now, out _));
        Assert.Equal(TokenCheck.Forged, s_tokens.Verify(token.Replace('-', '+').Replace('_', '/'), s_now, out _));
    }

    [Fact]
    public void Mutated_tokens_never_throw_and_are_never_valid_or_expired_unless_unchanged()
    {
        // Arrange: valid tokens for varied claims, then characters replaced, inserted or deleted, halves swapped, truncated.
        var claim =
            from action in Gen.Enum<DecisionAction>()
            from key in Gen.String[1, 40]
            from plan in Gen.String[1, 20]
            from hint in Gen.String[0, 20]
            from minutes in Gen.Int[-600, 600]
            select new DecisionClaim(key, action, plan, hint, s_now.AddMinutes(minutes), DecisionTokens.NewNonce());
        var c = Gen.Frequency((3, Gen.Char), (6, Gen.Char[Alphabet]), (2, Gen.OneOfConst(s_oddChars)));
        var cases =
            from token in claim.Select(s_tokens.Sign)
            from mutated in Gen.Frequency(
                (1, Gen.Const(token)),
                (3, from i in Gen.Int[0, token.Length - 1] from ch in c select token[..i] + ch + token[(i + 1)..]),
                (2, from i in Gen.Int[0, token.Length] from ch in c select token[..i] + ch + token[i..]),
                (2, from i in Gen.Int[0, token.Length - 1] select token[..i] + token[(i + 1)..]),
                (1, Gen.Const(token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..] + "." + token[..token.IndexOf('.', StringComparison.Ordinal)])),
                (1, from i in Gen.Int[0, token.Length - 1] select token[..i]),
                (1, from i in Gen.Int[0, token.Length - 1] from j in Gen.Int[0, token.Length - 1] select Swap(token, i, j)))
            select (token, mutated);

        // Act and assert
        cases.Sample(
            t =>
            {
                var check = s_tokens.Verify(t.mutated, s_now, out var claimed);
                Assert.True(check == TokenCheck.Forged || t.mutated == t.token, $"{check} for {t.mutated}");
                Assert.Equal(check == TokenCheck.Forged, claimed is null);
            },
            iter: 10_000);
    }

    private static string Swap(string text, int i, int j)
    {
        var chars = text.ToCharArray();
        (chars[i], chars[j]) = (chars[j], chars[i]);
        return new string(chars);
    }

    private static string Signed(string nonce) =>
        s_tokens.Sign(new DecisionClaim("pagerduty:Q1ABC", DecisionAction.Invoke, "plan-dr", "ops@contoso.com", s_now.AddHours(1), nonce));

    /// <summary>A token signed as the hub signs, around a payload written by hand: the wire names i, a, p, u, e, n.</summary>
    private static string Craft(long expiry)
    {
        var payload = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"i\":\"pagerduty:Q1ABC\",\"a\":\"Invoke\",\"p\":\"plan-dr\",\"u\":\"ops@contoso.com\",\"e\":{expiry},\"n\":\"nonce-1\"}}"));
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(s_key, payload));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
