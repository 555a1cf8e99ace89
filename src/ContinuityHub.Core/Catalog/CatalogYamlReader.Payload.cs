using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ContinuityHub.Catalog;

/// <summary>
/// An inject's inline <c>payload:</c>, a YAML mapping, as the JSON text the vendor would have sent. Plain scalars are
/// resolved by the YAML 1.2 core schema (<c>42</c>, <c>1.5e3</c>, <c>0x1F</c> numbers, <c>true</c>/<c>false</c>,
/// <c>null</c>/<c>~</c>/empty null, anything else a string); quoted and block scalars, and <c>!!str</c>, stay strings.
/// Numbers keep their digits (an epoch in milliseconds stays exact); mapping keys are strings.
/// </summary>
public static partial class CatalogYamlReader
{
    /// <summary>What an inline payload may come to as JSON: what the hub takes in one delivery.</summary>
    internal const int MaxPayloadBytes = 1024 * 1024;

    private const string StrTag = "tag:yaml.org,2002:str";

    private static readonly JsonWriterOptions _payloadJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxDepth + 1,
    };

    private sealed partial class Reader
    {
        /// <summary>The mapping as compact JSON text; null (with the problems named by path) when it has no JSON form.</summary>
        private string? PayloadJson(YamlNode node, string path)
        {
            if (node is not YamlMappingNode)
            {
                Problem(path, "expected a mapping: the vendor's JSON written as YAML, or as a JSON flow mapping { … }");
                return null;
            }

            var before = Problems.Count;
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, _payloadJson))
            {
                if (!WriteJson(json, node, path, 0))
                {
                    return null;
                }
            }

            return Problems.Count > before ? null : System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        /// <summary>Writes one node; false stops the whole payload (too deep or too large: aliases can multiply a small file).</summary>
        private bool WriteJson(Utf8JsonWriter json, YamlNode node, string path, int depth)
        {
            if (depth > MaxDepth)
            {
                Problem(path, $"nested deeper than {MaxDepth} levels");
                return false;
            }

            if (json.BytesCommitted + json.BytesPending > MaxPayloadBytes)
            {
                Problem(path, $"the payload is larger than {MaxPayloadBytes} bytes as JSON");
                return false;
            }

            switch (node)
            {
                case YamlMappingNode mapping:
                    json.WriteStartObject();
                    var keys = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (keyNode, value) in mapping.Children)
                    {
                        if (keyNode is not YamlScalarNode { Value: { } key })
                        {
                            Problem(path, "a key is a list or mapping; JSON keys are text");
                            continue;
                        }

                        if (HasUnpairedSurrogate(key))
                        {
                            Problem(path, "a key holds an unpaired surrogate (\\uD800–\\uDFFF alone), which is not text");
                            continue;
                        }

                        if (!keys.Add(key))
                        {
                            Problem(Join(path, key), "is given twice");
                            continue;
                        }

                        json.WritePropertyName(key);
                        if (!WriteJson(json, value, Join(path, key), depth + 1))
                        {
                            return false;
                        }
                    }

                    json.WriteEndObject();
                    return true;
                case YamlSequenceNode sequence:
                    json.WriteStartArray();
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        if (!WriteJson(json, sequence.Children[i], $"{path}[{i}]", depth + 1))
                        {
                            return false;
                        }
                    }

                    json.WriteEndArray();
                    return true;
                case YamlScalarNode scalar:
                    WriteScalar(json, scalar, path);
                    return true;
                default:
                    Problem(path, "is neither a value, a list nor a mapping");
                    return false;
            }
        }

        private void WriteScalar(Utf8JsonWriter json, YamlScalarNode scalar, string path)
        {
            var text = scalar.Value ?? string.Empty;
            if (HasUnpairedSurrogate(text))
            {
                Problem(path, "holds an unpaired surrogate (\\uD800–\\uDFFF alone), which is not text");
                json.WriteNullValue();
                return;
            }

            var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || tag is StrTag or "!")
            {
                json.WriteStringValue(text);
                return;
            }

            if (tag is not null)
            {
                Problem(path, $"the tag {tag} has no JSON form; write the value plainly (or !!str for text)");
                json.WriteNullValue();
                return;
            }

            switch (CoreSchema(text))
            {
                case CoreType.Null:
                    json.WriteNullValue();
                    break;
                case CoreType.Bool:
                    json.WriteBooleanValue(text[0] is 't' or 'T');
                    break;
                case CoreType.Number when JsonNumber(text) is { } number:
                    json.WriteRawValue(number);
                    break;
                case CoreType.Number:
                    Problem(path, $"'{text}' is a YAML number JSON cannot hold; quote it to send the text");
                    json.WriteNullValue();
                    break;
                default:
                    json.WriteStringValue(text);
                    break;
            }
        }
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private enum CoreType
    {
        String,
        Null,
        Bool,
        Number,
    }

    /// <summary>What a plain scalar is under the YAML 1.2 core schema (case as the schema allows: <c>true</c>, <c>True</c>, <c>TRUE</c>).</summary>
    private static CoreType CoreSchema(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => CoreType.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => CoreType.Bool,
        _ when CoreInt().IsMatch(text) || CoreFloat().IsMatch(text) || CoreSpecialFloat().IsMatch(text) => CoreType.Number,
        _ => CoreType.String,
    };

    /// <summary>
    /// The core-schema number as a JSON number with the same value: no <c>+</c>, no leading zeros, a digit on each side
    /// of the point, octal and hexadecimal in decimal; null for infinities and NaN.
    /// </summary>
    private static string? JsonNumber(string text)
    {
        if (CoreSpecialFloat().IsMatch(text))
        {
            return null;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) || text.StartsWith("0x", StringComparison.Ordinal))
        {
            var digits = text[2..];
            var value = text[1] == 'x'
                ? BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : digits.Aggregate(BigInteger.Zero, (n, d) => (n * 8) + (d - '0'));
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var sign = text[0] == '-' ? "-" : string.Empty;
        var rest = text.TrimStart('-', '+');
        var exponentAt = rest.IndexOfAny(['e', 'E']);
        var exponent = exponentAt < 0 ? string.Empty : rest[exponentAt..];
        var mantissa = exponentAt < 0 ? rest : rest[..exponentAt];
        var pointAt = mantissa.IndexOf('.', StringComparison.Ordinal);
        var whole = (pointAt < 0 ? mantissa : mantissa[..pointAt]).TrimStart('0');
        var fraction = pointAt < 0 ? null : mantissa[(pointAt + 1)..];
        return sign + (whole.Length == 0 ? "0" : whole) + (fraction is null ? string.Empty : "." + (fraction.Length == 0 ? "0" : fraction)) + exponent;
    }

    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\z")]
    private static partial Regex CoreInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex CoreFloat();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))\z")]
    private static partial Regex CoreSpecialFloat();
}
