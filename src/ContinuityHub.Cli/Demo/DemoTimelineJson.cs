using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContinuityHub.Cli.Demo;

/// <summary>
/// <c>timeline.json</c>: the <see cref="DemoRun"/> with camelCase fields, indented, durations ISO 8601 (<c>PT2M10S</c>)
/// and times ISO 8601 UTC (<c>2026-11-24T09:40:00Z</c>, fractions of a second only when there are some), as the
/// report's and the assessments' JSON write them; text as written (<c>&lt;</c> stays <c>&lt;</c>: the file is not HTML).
/// </summary>
internal static class DemoTimelineJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(DemoRun run) => JsonSerializer.Serialize(run, Options);

    public static DemoRun Deserialize(string json) =>
        JsonSerializer.Deserialize<DemoRun>(json, Options) ?? throw new JsonException("timeline.json holds null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new IsoDurationConverter());
        options.Converters.Add(new UtcTimeConverter(fractions: true));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
