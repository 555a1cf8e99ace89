using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using ContinuityHub.Catalog;

namespace ContinuityHub.Reporting;

/// <summary>
/// The report as JSON: camelCase fields, durations ISO 8601 (<c>PT4H</c>; the RPO exposures' <c>rpoSeconds</c> and
/// <c>exposureSeconds</c> in whole seconds), dates <c>yyyy-MM-dd</c>, times ISO 8601 UTC (<c>2026-11-24T10:30:00Z</c>),
/// shares and KPI values as numbers 0..1, enumerations by name, nulls written.
/// </summary>
internal static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(ContinuityReport report) => JsonSerializer.Serialize(report, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new ExerciseTypeConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new IsoDurationConverter());
        options.Converters.Add(new UtcTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Exercise types as the catalogue writes them: walkthrough, simulation, component, full.</summary>
    private sealed class ExerciseTypeConverter : JsonConverter<ExerciseType>
    {
        public override ExerciseType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            CatalogNames.TryParseEnum<ExerciseType>(reader.GetString(), out var type) ? type : throw new JsonException("Expected an exercise type.");

        public override void Write(Utf8JsonWriter writer, ExerciseType value, JsonSerializerOptions options) =>
            writer.WriteStringValue(CatalogNames.Name(value));
    }
}
