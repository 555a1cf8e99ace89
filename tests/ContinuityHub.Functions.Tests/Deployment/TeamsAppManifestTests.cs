using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Notifications;
using ContinuityHub.Notifications.Delivery;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// The Teams app under infra/teams-app/ that the personal alerts need: Graph delivers an activity-feed notification only
/// for an activity type the app declares, with the template parameters its text names, from the app its
/// webApplicationInfo.id names (the hub's managed identity, filled in by package.sh).
/// </summary>
public partial class TeamsAppManifestTests
{
    /// <summary>The template parameters NotificationSender puts on every alert's activity notification.</summary>
    private static readonly string[] _parametersTheSenderSends = ["incident", "level", "plan"];

    private static readonly string _directory = Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "teams-app");

    [Fact]
    public void Manifest_is_json_of_schema_1_17_or_later_with_a_fixed_app_id()
    {
        using var manifest = Manifest();
        var root = manifest.RootElement;

        var version = Version.Parse(root.GetProperty("manifestVersion").GetString()!);
        Assert.True(version >= new Version(1, 17), $"manifestVersion {version} is older than 1.17");
        Assert.Equal($"https://developer.microsoft.com/json-schemas/teams/v{version.ToString(2)}/MicrosoftTeams.schema.json", root.GetProperty("$schema").GetString());
        Assert.True(Guid.TryParse(root.GetProperty("id").GetString(), out _), "the Teams app id must be a GUID");
        Assert.All(["name", "description", "developer", "icons", "accentColor", "version"], property => Assert.True(root.TryGetProperty(property, out _), $"manifest.json has no {property}"));
    }

    [Fact]
    public void Manifest_declares_the_alert_activity_type_with_the_parameters_the_sender_sends()
    {
        using var manifest = Manifest();
        var types = manifest.RootElement.GetProperty("activities").GetProperty("activityTypes").EnumerateArray().ToList();

        Assert.Equal([NotificationSettings.AlertActivityType, ContinuityHub.Lessons.ReviewService.ActivityType], types.Select(t => t.GetProperty("type").GetString()));
        var alert = types[0];
        Assert.Equal(NotificationSettings.AlertActivityType, alert.GetProperty("type").GetString());
        Assert.Equal("Continuity alert", alert.GetProperty("description").GetString());
        var template = alert.GetProperty("templateText").GetString()!;
        Assert.Equal("{level}: {incident} (plan {plan})", template);
        Assert.Equal(_parametersTheSenderSends, TemplateParameter().Matches(template).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Manifest_declares_the_review_activity_type_with_the_parameters_the_review_notice_sends()
    {
        using var manifest = Manifest();
        var review = manifest.RootElement.GetProperty("activities").GetProperty("activityTypes").EnumerateArray()
            .Single(t => t.GetProperty("type").GetString() == ContinuityHub.Lessons.ReviewService.ActivityType);

        Assert.Equal(["due", "incident"], TemplateParameter().Matches(review.GetProperty("templateText").GetString()!).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Web_application_is_the_identity_package_sh_fills_in()
    {
        using var manifest = Manifest();
        var script = File.ReadAllText(Path.Combine(_directory, "package.sh"));

        Assert.Equal("{{HUB_IDENTITY_CLIENT_ID}}", manifest.RootElement.GetProperty("webApplicationInfo").GetProperty("id").GetString());
        var placeholders = Placeholder().Matches(File.ReadAllText(Path.Combine(_directory, "manifest.json"))).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(placeholders);
        Assert.All(placeholders, placeholder => Assert.Contains($"s|{placeholder}|", script, StringComparison.Ordinal));
        Assert.False(manifest.RootElement.TryGetProperty("authorization", out _), "app-only TeamsActivity.Send needs no resource-specific consent");
    }

    [Theory]
    [InlineData("color", 192)]
    [InlineData("outline", 32)]
    public void Icons_are_rgba_pngs_of_the_sizes_teams_asks_for(string icon, int size)
    {
        using var manifest = Manifest();
        var file = manifest.RootElement.GetProperty("icons").GetProperty(icon).GetString()!;
        var png = File.ReadAllBytes(Path.Combine(_directory, file));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(6, png[25]); // colour type 6: RGBA, so the outline icon's background can be transparent
    }

    private static JsonDocument Manifest() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "manifest.json")));

    [GeneratedRegex(@"\{(?<name>[A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex TemplateParameter();

    [GeneratedRegex(@"\{\{[A-Z_]+\}\}")]
    private static partial Regex Placeholder();
}
