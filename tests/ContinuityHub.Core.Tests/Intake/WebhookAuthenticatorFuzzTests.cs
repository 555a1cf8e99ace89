using System.Text;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using CsCheck;

namespace ContinuityHub.Core.Tests.Intake;

/// <summary>
/// Mutated bodies never pass a signature check; mutated signatures, tokens and credentials never throw and verify only
/// while the real secret or signature is still carried in a form the authenticator accepts.
/// </summary>
public class WebhookAuthenticatorFuzzTests
{
    private const string Secret = "s3cret-for-tests";
    private const int Iterations = 10_000;

    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("{\"event\":{\"id\":\"01\",\"event_type\":\"incident.triggered\"}}");
    private static readonly string s_signature = WebhookAuthenticator.Sign(Secret, s_body);

    /// <summary>Characters that matter to the parsers of headers, and some that no header should carry.</summary>
    private static readonly char[] s_oddChars = [' ', '\t', ',', '=', ':', ';', '\u00A0', '\u200B', '\u00E9', '\u0000', '\r', '\n', 'V', 'v', '1', 'f', 'F', 'g'];

    private static readonly string[] s_nonAscii = ["\u00E9", "\uD83D\uDE00", "\u00A0", "\u200B", "\u0130", "\uFF56", "\uD800", "\u3000"];

    private static readonly string[] s_separators = [",", ", ", ",,", " , ", ",\t", " ,, "];

    private static readonly string[] s_users = [string.Empty, "alertmanager", "grafana", "a:b", "\u00E9\u00E8", "user name"];

    private static readonly Gen<char> s_char = Gen.Frequency((2, Gen.Char), (2, Gen.Char['0', 'z']), (3, Gen.OneOfConst(s_oddChars)));

    private static readonly Gen<byte[]> s_randomBody = Gen.Byte.Array[0, 200];

    private static readonly AliasSource[] s_tokenSources = [AliasSource.ServiceNow, AliasSource.Opsgenie, AliasSource.AzureMonitor, AliasSource.Generic];

    public static TheoryData<AliasSource> SignedSources { get; } = [AliasSource.PagerDuty, AliasSource.Jira];

    public static TheoryData<AliasSource> TokenSources { get; } = [.. s_tokenSources];

    [Theory]
    [MemberData(nameof(SignedSources))]
    public void A_PagerDuty_or_Jira_signature_never_verifies_a_mutated_body(AliasSource source)
    {
        // Arrange: a body signed as the sender would, then changed the ways a body gets changed in transit or by a forger.
        var cases =
            from body in s_randomBody
            from mutated in MutatedBytes(body)
            select (body, mutated);

        // Act and assert
        cases.Sample(
            c =>
            {
                var header = SignatureHeader(source, WebhookAuthenticator.Sign(Secret, c.body));
                var expected = c.body.AsSpan().SequenceEqual(c.mutated) ? WebhookAuthentication.Verified : WebhookAuthentication.Invalid;
                Assert.Equal(WebhookAuthentication.Verified, VerifyWith(source, c.body, header, null));
                Assert.Equal(expected, VerifyWith(source, c.mutated, header, null));
            },
            iter: Iterations);
    }

    [Theory]
    [MemberData(nameof(SignedSources))]
    public void Mutated_signature_headers_never_throw_and_verify_only_while_the_real_signature_is_listed(AliasSource source)
    {
        // Arrange: the real header mutated, or several entries around it for PagerDuty.
        var real = source == AliasSource.PagerDuty ? "v1=" + s_signature : "sha256=" + s_signature;
        var headers = source == AliasSource.PagerDuty
            ? Gen.Frequency(
                (2, Mutated(real)),
                (2, from entries in Gen.OneOf(Mutated(real), Gen.Const(real), Gen.Int[0, 9].Select(d => "v1=" + new string((char)('0' + d), 64))).Array[1, 4]
                    from separator in Gen.OneOfConst(s_separators)
                    select string.Join(separator, entries)))
            : Mutated(real);

        // Act and assert
        headers.Sample(header => AssertHeaders(source, header, null, ExpectedSignature(source, header)), iter: Iterations);
    }

    [Theory]
    [MemberData(nameof(TokenSources))]
    public void Mutated_tokens_in_header_or_query_never_throw_and_verify_only_the_exact_secret(AliasSource source)
    {
        // Arrange: the header, when present, is read before the query.
        var token = Gen.Frequency((1, Gen.Const((string?)null)), (4, Mutated(Secret).Select(t => (string?)t)));

        // Act and assert
        Gen.Select(token, token).Sample(
            (header, query) => AssertHeaders(source, header, query, (header ?? query) == Secret),
            iter: Iterations);
    }

    [Fact]
    public void Mutated_Alertmanager_authorization_never_throws_and_verifies_only_a_bearer_or_basic_password_that_is_the_secret()
    {
        // Arrange: bearer and basic credentials mutated as text, and basic credentials whose user:password was mutated before encoding.
        var authorization = Gen.Frequency(
            (3, Mutated("Bearer " + Secret)),
            (2, Gen.OneOfConst(s_users).SelectMany(user => Mutated("Basic " + Basic(user + ":" + Secret)))),
            (3, from user in Gen.OneOfConst(s_users)
                from credentials in Mutated(user + ":" + Secret)
                from scheme in Mutated("Basic")
                select scheme + " " + Basic(credentials)));

        // Act and assert
        authorization.Sample(
            header => AssertHeaders(AliasSource.Alertmanager, header, null, ExpectedAuthorization(header)),
            iter: Iterations);
    }

    /// <summary>Neither call throws; Verify says Verified exactly when expected; VerifyHeaders, when it settles, agrees with Verify.</summary>
    private static void AssertHeaders(AliasSource source, string? header, string? query, bool verified)
    {
        var name = source switch
        {
            AliasSource.PagerDuty => WebhookAuthenticator.PagerDutySignatureHeader,
            AliasSource.Jira => WebhookAuthenticator.HubSignatureHeader,
            AliasSource.Alertmanager => WebhookAuthenticator.AuthorizationHeader,
            _ => WebhookAuthenticator.TokenHeader,
        };
        string? Header(string n) => string.Equals(n, name, StringComparison.OrdinalIgnoreCase) ? header : null;
        string? Query(string n) => n == WebhookAuthenticator.TokenQuery ? query : null;

        var full = WebhookAuthenticator.Verify(source, Secret, s_body, Header, Query);
        var early = WebhookAuthenticator.VerifyHeaders(source, Secret, Header, Query);

        Assert.Equal(verified, full == WebhookAuthentication.Verified);
        Assert.True(early is null || early == full, $"VerifyHeaders {early}, Verify {full}");
        Assert.True(early is not null || source is AliasSource.PagerDuty or AliasSource.Jira, "only a body signature leaves it to the body");
    }

    /// <summary>The oracle: an entry (PagerDuty: any of the comma-separated ones, trimmed) that is the scheme and the signature in either case of hex.</summary>
    private static bool ExpectedSignature(AliasSource source, string? header)
    {
        if (header is null)
        {
            return false;
        }

        if (source == AliasSource.PagerDuty)
        {
            return header.Split(',').Any(e => e.Trim() is var t && t.StartsWith("v1=", StringComparison.Ordinal) && t[3..].Equals(s_signature, StringComparison.OrdinalIgnoreCase));
        }

        var trimmed = header.Trim();
        return trimmed.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) && trimmed[7..].Equals(s_signature, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The oracle: <c>Bearer secret</c> or <c>Basic base64(user:secret)</c>, schemes in any case, surrounding whitespace ignored.</summary>
    private static bool ExpectedAuthorization(string? header)
    {
        var value = header?.Trim() ?? string.Empty;
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value[7..].Trim() == Secret;
        }

        if (!value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(value[6..].Trim()));
            return text.Contains(':', StringComparison.Ordinal) && text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..] == Secret;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Basic(string credentials) => Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    private static string SignatureHeader(AliasSource source, string signature) =>
        source == AliasSource.PagerDuty ? "v1=" + signature : "sha256=" + signature;

    private static WebhookAuthentication VerifyWith(AliasSource source, byte[] body, string header, string? query)
    {
        var name = source == AliasSource.PagerDuty ? WebhookAuthenticator.PagerDutySignatureHeader : WebhookAuthenticator.HubSignatureHeader;
        return WebhookAuthenticator.Verify(source, Secret, body, n => n == name ? header : null, n => query);
    }

    /// <summary>A bit flipped, a byte inserted, deleted or replaced, the body truncated or appended to, or left alone.</summary>
    private static Gen<byte[]> MutatedBytes(byte[] body) => Gen.Frequency(
        (1, Gen.Const(body)),
        (3, body.Length == 0 ? Gen.Const(body) : from i in Gen.Int[0, body.Length - 1] from bit in Gen.Int[0, 7] select With(body, i, (byte)(body[i] ^ (1 << bit)))),
        (2, from i in Gen.Int[0, body.Length] from b in Gen.Byte select (byte[])[.. body.AsSpan(0, i), b, .. body.AsSpan(i)]),
        (2, body.Length == 0 ? Gen.Const(body) : from i in Gen.Int[0, body.Length - 1] select (byte[])[.. body.AsSpan(0, i), .. body.AsSpan(i + 1)]),
        (2, body.Length == 0 ? Gen.Const(body) : from i in Gen.Int[0, body.Length - 1] from b in Gen.Byte select With(body, i, b)),
        (2, from length in Gen.Int[0, body.Length] select body[..length]),
        (2, from tail in Gen.Byte.Array[1, 8] select (byte[])[.. body, .. tail]));

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }

    /// <summary>Random text, or the real value with a character replaced, inserted or deleted, its case changed, whitespace and commas around it, made very long, or non-ASCII spliced in.</summary>
    private static Gen<string> Mutated(string real)
    {
        var edited = Gen.Frequency(
            (1, Gen.Const(real)),
            (3, from i in Gen.Int[0, real.Length - 1] from c in s_char select real[..i] + c + real[(i + 1)..]),
            (2, from i in Gen.Int[0, real.Length] from c in s_char select real[..i] + c + real[i..]),
            (2, from i in Gen.Int[0, real.Length - 1] select real[..i] + real[(i + 1)..]),
            (2, from flips in Gen.Bool.Array[real.Length] select new string([.. real.Select((c, i) => flips[i] ? (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c)])),
            (2, from before in Gen.OneOfConst(s_separators.Append(" ").Append("\t").Append(string.Empty).ToArray())
                from after in Gen.OneOfConst(s_separators.Append(" ").Append("\t").Append(string.Empty).ToArray())
                select before + real + after),
            (1, from n in Gen.Int[1, 3] select string.Concat(Enumerable.Repeat(real, n * 200))),
            (1, from n in Gen.Int[100, 9000] select real + new string('a', n)),
            (2, from i in Gen.Int[0, real.Length] from s in Gen.OneOfConst(s_nonAscii) select real[..i] + s + real[i..]),
            (1, from length in Gen.Int[0, real.Length] select real[..length]));
        return Gen.Frequency(
            (2, Gen.String[0, 80]),
            (1, Gen.Const(string.Empty)),
            (10, edited),
            (2, edited.SelectMany(Mutated1)));
    }

    /// <summary>A second edit on top of the first: a character replaced or the case of all of it changed.</summary>
    private static Gen<string> Mutated1(string value) => value.Length == 0
        ? Gen.Const(value)
        : Gen.OneOf(
            from i in Gen.Int[0, value.Length - 1] from c in s_char select value[..i] + c + value[(i + 1)..],
            Gen.Const(value.ToUpperInvariant()),
            Gen.Const(value.ToLowerInvariant()));
}
