using System.Text.Json;

namespace ContinuityHub.Cli.Tests;

public class SimulateCommandTests
{
    private static string Sample(string source, string file) => Path.Combine(CliRun.RepoRoot, "infra", "samples", source, file);

    [Fact]
    public async Task Sql_cluster_outage_from_pagerduty_invokes_its_auto_plan_and_alerts_the_dependent_business_services()
    {
        var run = await CliRun.RunAsync("simulate", Sample("pagerduty", "incident-triggered.json"), "--source", "pagerduty", "--catalog", CliRun.Seed, "--at", "2026-11-24T10:30:00Z", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("Invoke", root.GetProperty("level").GetString());
        var incident = root.GetProperty("incident");
        Assert.Equal("pagerduty", incident.GetProperty("source").GetString());
        Assert.Equal("2026-11-24T09:58:12Z", incident.GetProperty("startedAt").GetString());
        Assert.Equal("P1", incident.GetProperty("priority").GetString());
        var services = root.GetProperty("impactedServices").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        var sql = services["sql-cluster"];
        Assert.True(sql.GetProperty("direct").GetBoolean());
        Assert.Equal("PT1H", sql.GetProperty("rto").GetString());
        Assert.Equal("PT6H", sql.GetProperty("mtpd").GetString());
        Assert.Equal("2026-11-24T10:13:12Z", sql.GetProperty("latestSafeInvocation").GetString());
        Assert.Equal("dr-sql-cluster", sql.GetProperty("plan").GetString());
        Assert.Equal("Invoke", sql.GetProperty("level").GetString());
        Assert.Equal("payments-gateway", services["retail-payments"].GetProperty("via").GetString());
        Assert.Equal("Alert", services["retail-payments"].GetProperty("level").GetString());
        Assert.Contains("dr-sql-cluster", root.GetProperty("plans").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(root.GetProperty("unknownAliases").EnumerateArray());
        Assert.NotEmpty(root.GetProperty("reasons").EnumerateArray());
    }

    [Fact]
    public async Task Firing_alertmanager_group_on_the_mssql_job_impacts_the_sql_cluster_from_its_earliest_alert()
    {
        var run = await CliRun.RunAsync("simulate", Sample("alertmanager", "firing.json"), "--source", "alertmanager", "--catalog", CliRun.Seed, "--at", "2026-11-24T10:30:00Z", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("Invoke", root.GetProperty("level").GetString());
        var incident = root.GetProperty("incident");
        Assert.Equal("alertmanager", incident.GetProperty("source").GetString());
        Assert.Equal("2026-11-24T09:52:07Z", incident.GetProperty("startedAt").GetString());
        Assert.Equal("P1", incident.GetProperty("priority").GetString());
        var sql = Assert.Single(root.GetProperty("impactedServices").EnumerateArray(), s => s.GetProperty("id").GetString() == "sql-cluster");
        Assert.True(sql.GetProperty("direct").GetBoolean());
    }

    [Fact]
    public async Task Resolved_alertmanager_group_assesses_to_None()
    {
        var run = await CliRun.RunAsync("simulate", Sample("alertmanager", "resolved.json"), "--source", "alertmanager", "--catalog", CliRun.Seed, "--at", "2026-11-24T11:00:00Z", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("None", json.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public async Task ServiceNow_reference_fields_match_by_display_value_without_unknown_sys_ids()
    {
        var run = await CliRun.RunAsync("simulate", Sample("servicenow", "incident-open.json"), "--source", "servicenow", "--catalog", CliRun.Seed, "--at", "2026-11-24T10:00:00Z", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var direct = json.RootElement.GetProperty("impactedServices").EnumerateArray()
            .Where(s => s.GetProperty("direct").GetBoolean()).Select(s => s.GetProperty("id").GetString());
        Assert.Equal(["core-ledger", "retail-payments"], direct.Order());
        Assert.Empty(json.RootElement.GetProperty("unknownAliases").EnumerateArray());
    }

    [Fact]
    public async Task Readable_output_gives_level_services_plans_and_reasons()
    {
        var run = await CliRun.RunAsync("simulate", Sample("pagerduty", "incident-triggered.json"), "--source", "pagerduty", "--catalog", CliRun.Seed, "--at", "2026-11-24T10:30:00Z");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("Level: Invoke", run.Out, StringComparison.Ordinal);
        Assert.Contains("SQL Server Platform (Always On) (sql-cluster)", run.Out, StringComparison.Ordinal);
        Assert.Contains("Plans: dr-sql-cluster", run.Out, StringComparison.Ordinal);
        Assert.Contains("Reasons:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readable_output_writes_durations_and_times_as_the_cards_and_the_report_do()
    {
        var run = await CliRun.RunAsync("simulate", Sample("pagerduty", "incident-triggered.json"), "--source", "pagerduty", "--catalog", CliRun.Seed, "--at", "2026-11-24T10:30:00Z");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("started 24 Nov 2026 09:58 UTC", run.Out, StringComparison.Ordinal);
        var sql = Assert.Single(run.Out.Split('\n'), line => line.Contains("(sql-cluster)", StringComparison.Ordinal) && line.Contains("direct", StringComparison.Ordinal));
        Assert.Matches(@"direct +31 min +31 min +1 h +6 h +24 Nov 2026 10:13 UTC +dr-sql-cluster", sql);
        Assert.Contains("latest safe invocation time 24 Nov 2026 10:13 UTC (start + RTO 1 h − plan recovery 45 min) has passed", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolved_alert_assesses_to_None()
    {
        var run = await CliRun.RunAsync("simulate", Sample("azuremonitor", "metric-alert-resolved.json"), "--source", "azuremonitor", "--catalog", CliRun.Seed, "--at", "2026-11-25T10:00:00Z", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("None", json.RootElement.GetProperty("level").GetString());
    }

    [Theory]
    [InlineData("servicenow", "incident-invalid.json")]
    [InlineData("pagerduty", "incident-annotated.json")]
    [InlineData("opsgenie", "alert-invalid.json")]
    [InlineData("azuremonitor", "metric-alert-legacy-schema.json")]
    [InlineData("jira", "issue-created-invalid.json")]
    [InlineData("generic", "incident-invalid.json")]
    [InlineData("alertmanager", "invalid.json")]
    public async Task Invalid_payload_exits_2_naming_the_field(string source, string file)
    {
        var run = await CliRun.RunAsync("simulate", Sample(source, file), "--source", source, "--catalog", CliRun.Seed);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.All(run.ErrorLines, l => Assert.Matches(@"^[\w.\[\]]+: .+", l));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_monitor_condition_is_refused_naming_the_field()
    {
        var payload = Path.Combine(Directory.CreateTempSubdirectory("hub-sim-").FullName, "alert.json");
        File.WriteAllText(payload, File.ReadAllText(Sample("azuremonitor", "metric-alert-fired.json")).Replace("\"Fired\"", "\"Paused\"", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("simulate", payload, "--source", "azuremonitor", "--catalog", CliRun.Seed);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("data.essentials.monitorCondition: unknown monitor condition 'Paused'", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--source", "remedy", "--source: unknown source 'remedy'")]
    [InlineData("--at", "yesterday", "--at: 'yesterday' is not an ISO 8601 time")]
    public async Task Bad_options_exit_2_naming_the_option(string option, string value, string expected)
    {
        var run = await CliRun.RunAsync("simulate", Sample("generic", "incident-open.json"), "--catalog", CliRun.Seed, option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_exits_2()
    {
        var payload = Path.Combine(Directory.CreateTempSubdirectory("hub-sim-").FullName, "broken.json");
        File.WriteAllText(payload, "{\"event\": {");

        var run = await CliRun.RunAsync("simulate", payload, "--source", "pagerduty", "--catalog", CliRun.Seed);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("body: not valid JSON", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
