using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using ContinuityHub.Outbox;

namespace ContinuityHub.Notifications;

/// <summary>What a decision link carries, signed: which incident and plan, which action, for whom, until when, and a nonce that makes it single-use.</summary>
public sealed record DecisionClaim(string IncidentKey, DecisionAction Action, string Plan, string UserHint, DateTimeOffset ExpiresAt, string Nonce);

public enum TokenCheck
{
    Valid,

    /// <summary>Not made by this hub (bad shape or a signature that does not match): 401.</summary>
    Forged,

    /// <summary>Signed by this hub but past its expiry: 410.</summary>
    Expired,
}

/// <summary>
/// Signed, expiring decision tokens: <c>{payload}.{signature}</c>, both base64url; the payload is compact JSON of a
/// <see cref="DecisionClaim"/>, the signature HMAC-SHA256 over the payload's bytes with the hub's signing key
/// (<c>Decisions:SigningKey</c>). Single use is the caller's business (the nonce is consumed in storage).
/// </summary>
public sealed class DecisionTokens
{
    /// <summary>The shortest signing key taken: 32 bytes.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>Tokens longer than this are refused unread.</summary>
    public const int MaxTokenChars = 4096;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    // Decision links are signed with the key itself (links in flight stay valid); other purposes derive a key of their own.
    private const string DecisionPurpose = "";

    internal static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    internal static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly byte[] _key;

    public DecisionTokens(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The signing key must be at least {MinKeyBytes} bytes.", nameof(key));
        }

        _key = [.. key];
    }

    /// <summary>A new nonce: 16 random bytes, base64url.</summary>
    public static string NewNonce() => Base64Url(RandomNumberGenerator.GetBytes(16));

    public string Sign(DecisionClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Wire(claim.IncidentKey, claim.Action, claim.Plan, claim.UserHint, claim.ExpiresAt.ToUnixTimeSeconds(), claim.Nonce), _json);
        return Seal(payload, DecisionPurpose);
    }

    /// <summary>
    /// <c>{payload}.{signature}</c> of <paramref name="payload"/>, signed with the key of <paramref name="purpose"/>: the
    /// signing key itself for decision links, a key derived from it (HMAC-SHA256 of the purpose) for any other, so a
    /// token made for one purpose never verifies for another.
    /// </summary>
    internal string Seal(byte[] payload, string purpose) => Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(KeyFor(purpose), payload));

    /// <summary>The payload of a token <see cref="Seal"/> made for <paramref name="purpose"/>; false for any other string.</summary>
    internal bool TryOpen(string? token, string purpose, out byte[] payload)
    {
        payload = [];
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenChars)
        {
            return false;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.') || !TryBase64Url(token[..dot], out var body) || !TryBase64Url(token[(dot + 1)..], out var signature))
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(KeyFor(purpose), body), signature))
        {
            return false;
        }

        payload = body;
        return true;
    }

    /// <summary>Deserializes a token's payload; null when it is not JSON of <typeparamref name="T"/>.</summary>
    internal static T? Read<T>(byte[] payload)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, _json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static byte[] Write<T>(T wire) => JsonSerializer.SerializeToUtf8Bytes(wire, _json);

    private byte[] KeyFor(string purpose) => purpose.Length == 0 ? _key : HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose));

    /// <summary>Checks a token's shape and signature, then its expiry against <paramref name="now"/>.</summary>
    public TokenCheck Verify(string? token, DateTimeOffset now, out DecisionClaim? claim)
    {
        claim = null;
        if (!TryOpen(token, DecisionPurpose, out var payload) || Read<Wire>(payload) is not { } wire)
        {
            return TokenCheck.Forged;
        }

        // An expiry DateTimeOffset cannot hold (e=2^62) is as malformed as a missing field.
        if (string.IsNullOrEmpty(wire.I) || string.IsNullOrEmpty(wire.P) || string.IsNullOrEmpty(wire.N) || !Enum.IsDefined(wire.A)
            || wire.E < MinUnixSeconds || wire.E > MaxUnixSeconds)
        {
            return TokenCheck.Forged;
        }

        claim = new DecisionClaim(wire.I, wire.A, wire.P, wire.U ?? string.Empty, DateTimeOffset.FromUnixTimeSeconds(wire.E), wire.N);
        return now >= claim.ExpiresAt ? TokenCheck.Expired : TokenCheck.Valid;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Only the one spelling <see cref="Base64Url(byte[])"/> writes: the URL alphabet, no padding, and no set bits in the
    /// unused low bits of the last character (which other decoders ignore, so one token would have several spellings).
    /// </summary>
    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => "!" };
        try
        {
            var decoded = Convert.FromBase64String(padded);
            if (!string.Equals(Base64Url(decoded), text, StringComparison.Ordinal))
            {
                return false;
            }

            bytes = decoded;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // Short names keep links short: incident, action, plan, user hint, expiry (Unix seconds), nonce.
    private sealed record Wire(string I, DecisionAction A, string P, string? U, long E, string N);
}
