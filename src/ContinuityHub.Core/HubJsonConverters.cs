using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace ContinuityHub;

/// <summary>Durations as the hub's JSON writes them: ISO 8601 (<c>PT2M10S</c>, <c>P1D</c>).</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        XmlConvert.ToTimeSpan(reader.GetString() ?? throw new JsonException("Expected an ISO 8601 duration."));

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(XmlConvert.ToString(value));
    }
}

/// <summary>Times as the hub's JSON writes them: ISO 8601 in UTC, <c>2026-11-24T09:40:00Z</c> (with fractions of a second when <paramref name="fractions"/> and there are some).</summary>
public sealed class UtcTimeConverter(bool fractions = false) : JsonConverter<DateTimeOffset>
{
    private readonly string _format = fractions ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected an ISO 8601 time."), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(_format, CultureInfo.InvariantCulture));
    }
}
