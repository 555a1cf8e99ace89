using ContinuityHub.Exercises;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Cli.Samples;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests.Samples;

public class SampleTimesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_latest_time_becomes_the_moment_and_the_others_keep_their_distance_in_their_own_shape()
    {
        var json = """
            {"created":"2026-11-24T09:58:12.4371245Z","updated":"2026-11-24T10:58:12.000+0000","local":"2026-11-24T11:28:12+01:00",
             "snow":"2026-11-24 08:58:12","short":"2026-11-24 08:58","ms":1795514292000,"id":10001,"text":"not 2026-11-24T09:58:12Z"}
            """;

        var moved = JsonNode.Parse(PayloadTimes.Rewrite(Encoding.UTF8.GetBytes(json), At))!;

        Assert.Equal("2026-12-03T15:00:00.000+0000", (string?)moved["updated"]);
        Assert.Equal("2026-12-03T14:00:00.4371245Z", (string?)moved["created"]);
        Assert.Equal("2026-12-03T15:30:00+01:00", (string?)moved["local"]);
        Assert.Equal("2026-12-03 13:00:00", (string?)moved["snow"]);
        Assert.Equal("2026-12-03 12:59", (string?)moved["short"]); // 12:59:48, to the minute it came in
        Assert.Equal(10001, (int)moved["id"]!);
        Assert.Equal("not 2026-11-24T09:58:12Z", (string?)moved["text"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795514292000) + (At - new DateTimeOffset(2026, 11, 24, 10, 58, 12, TimeSpan.Zero)), DateTimeOffset.FromUnixTimeMilliseconds((long)moved["ms"]!));
    }

    [Theory]
    [InlineData("pagerduty", "incident-triggered")]
    [InlineData("servicenow", "incident-open")]
    [InlineData("jira", "issue-created")]
    [InlineData("opsgenie", "alert-create")]
    [InlineData("azuremonitor", "metric-alert-fired")]
    [InlineData("generic", "incident-open")]
    [InlineData("alertmanager", "firing")]
    [InlineData("alertmanager", "grafana-firing")]
    public void Every_vendor_sample_is_moved_so_its_latest_time_is_the_moment(string source, string name)
    {
        var path = Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "samples", source, name + ".json");

        var moved = PayloadTimes.Rewrite(File.ReadAllBytes(path), At);

        Assert.Equal(At, PayloadTimes.Latest(JsonNode.Parse(moved)));
    }

    [Fact]
    public void Go_zero_time_of_a_firing_alert_is_no_time_and_stays_as_it_is()
    {
        var json = "{\"startsAt\": \"2026-11-24T09:52:07.372Z\", \"endsAt\": \"0001-01-01T00:00:00Z\"}"u8.ToArray();

        var moved = JsonNode.Parse(PayloadTimes.Rewrite(json, At))!;

        Assert.Equal("0001-01-01T00:00:00Z", (string?)moved["endsAt"]);
        Assert.Equal(At, PayloadTimes.Latest(moved));
    }
}
