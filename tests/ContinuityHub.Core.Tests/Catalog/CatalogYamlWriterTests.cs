using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

public class CatalogYamlWriterTests
{
    [Fact]
    public void Written_catalogue_reads_back_to_the_same_text()
    {
        var catalog = new CatalogBuilder()
            .WithService("sql", tier: 2, aliases: new() { [AliasSource.AzureMonitor] = ["/subscriptions/x/resourceGroups/sql"] })
            .WithService("ledger", dependsOn: ["sql"], name: "Core: Ledger # main \"books\"")
            .WithPlan("dr-ledger", ["ledger"], version: "3.10", documents: [new PlanDocument("docs/run book.md", new string('a', 64))])
            .WithExercise("ex-1", "dr-ledger", completed: new DateOnly(2026, 4, 1), result: ExerciseResult.Failed, achieved: TimeSpan.FromMinutes(90))
            .Build();

        var yaml = CatalogYamlWriter.Write(catalog);
        var again = CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml));

        Assert.Equal(yaml, again);
        Assert.Contains("version: \"3.10\"", yaml, StringComparison.Ordinal);
        Assert.Contains("achievedRecovery: 90m", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_priority_names_and_major_markers_are_written_and_read_back()
    {
        // Arrange
        var catalog = new CatalogBuilder()
            .WithPolicy(Policy.Default with
            {
                Priorities = new Dictionary<AliasSource, IReadOnlyDictionary<string, Priority>>
                {
                    [AliasSource.ServiceNow] = new Dictionary<string, Priority> { ["1 - Critical"] = Priority.P1 },
                    [AliasSource.Jira] = new Dictionary<string, Priority> { ["Blocker"] = Priority.P1, ["Major"] = Priority.P2 },
                },
                MajorMarkers = new Dictionary<AliasSource, IReadOnlyList<string>> { [AliasSource.Opsgenie] = ["major-incident"] },
            })
            .WithService("sql")
            .Build();

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml).Policy;

        // Assert
        Assert.Equal(yaml, CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml)));
        Assert.Contains("    jira: {Blocker: P1, Major: P2}\n", yaml, StringComparison.Ordinal);
        Assert.Equal(Priority.P1, back.PriorityOf(AliasSource.ServiceNow, "1 - Critical"));
        Assert.True(back.MarksMajor(AliasSource.Opsgenie, ["major-incident"]));
    }

    [Fact]
    public void Policy_servicenow_fields_are_written_in_order_quoted_where_yaml_would_mistake_them_and_read_back()
    {
        // Arrange
        var fields = new Dictionary<string, string>
        {
            ["major_incident_state"] = "accepted",
            ["u_continuity_level"] = Policy.LevelPlaceholder,
            ["u_continuity_flag"] = "true",
            ["on"] = "1",
            ["u_cleared"] = string.Empty,
        };
        var catalog = new CatalogBuilder().WithPolicy(Policy.Default with { ServiceNowFields = fields }).WithService("sql").Build();

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml).Policy;

        // Assert
        Assert.Contains("""
              serviceNowFields:
                major_incident_state: accepted
                u_continuity_level: "{level}"
                u_continuity_flag: "true"
                "on": "1"
                u_cleared: ""

            """, yaml, StringComparison.Ordinal);
        Assert.Equal(catalog.Policy, back);
        Assert.NotEqual(Policy.Default, back);
        Assert.Equal(fields.Keys, back.ServiceNowFields.Keys);
        Assert.Equal(yaml, CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml)));
    }

    [Fact]
    public void A_policy_without_servicenow_fields_writes_no_key_for_them()
    {
        var yaml = CatalogYamlWriter.Write(new CatalogBuilder().WithService("sql").Build());

        Assert.DoesNotContain("serviceNowFields", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_automations_are_written_and_read_back_to_the_same_model()
    {
        // Arrange
        PlanAutomation[] automations =
        [
            new("failover-sql", AutomationTrigger.Invoke, AutomationKind.Webhook, "https://automation.contoso.example/webhooks/failover-sql", null, null, "automation-failover-sql", TimeSpan.FromMinutes(30)),
            new("page-ops", AutomationTrigger.Alert, AutomationKind.Webhook, null, "logic-app-page-ops", null, null, TimeSpan.FromSeconds(90)),
            new("notify-ops", AutomationTrigger.StandDown, AutomationKind.ServiceBus, null, null, "continuity-automations", null, TimeSpan.FromDays(2)),
        ];
        var catalog = new CatalogBuilder().WithService("sql").WithPlan("dr-sql", ["sql"]).WithPlan("er-dc1", ["sql"]).Build();
        catalog = catalog with { Plans = [catalog.Plans[0] with { Automations = automations }, catalog.Plans[1]] };

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml);

        // Assert
        Assert.Equal(automations, back.Plans[0].Automations);
        Assert.Empty(back.Plans[1].Automations);
        Assert.Equal(yaml, CatalogYamlWriter.Write(back));
        Assert.Contains("""
                automations:
                  - id: failover-sql
                    on: Invoke
                    kind: webhook
                    url: "https://automation.contoso.example/webhooks/failover-sql"
                    signingSecret: automation-failover-sql
                    timeout: 30m
                  - id: page-ops
                    on: Alert
                    kind: webhook
                    urlSecret: logic-app-page-ops
                    timeout: 90s
                  - id: notify-ops
                    on: StandDown
                    kind: serviceBus
                    queue: continuity-automations
                    timeout: 2d

            """, yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_topic_is_written_back_as_the_automations_queue_the_same_entity()
    {
        var yaml = CatalogYamlWriter.Write(new CatalogBuilder().WithService("sql").WithPlan("dr-sql", ["sql"]).Build())
            .Replace("    recoveryTime: 1h\n", "    recoveryTime: 1h\n    automations:\n      - {id: notify, on: Invoke, kind: serviceBus, topic: continuity/ops}\n", StringComparison.Ordinal);

        var written = CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml));

        Assert.Contains("        queue: continuity/ops\n", written, StringComparison.Ordinal);
        Assert.Equal("continuity/ops", Assert.Single(CatalogYamlReader.Read(written).Plans[0].Automations).Entity);
    }

    [Fact]
    public void Service_heartbeats_are_written_with_every_key_and_read_back_to_the_same_model()
    {
        // Arrange
        HeartbeatDeclaration[] heartbeats =
        [
            new("log-shipping", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)),
            new("nightly-backup", TimeSpan.FromDays(1), TimeSpan.Zero),
            new("0", TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30)),
        ];
        var catalog = new CatalogBuilder().WithService("ledger", heartbeats: heartbeats).WithService("sql").Build();

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml);

        // Assert
        Assert.Equal(heartbeats, back.Services[0].Heartbeats);
        Assert.Empty(back.Services[1].Heartbeats);
        Assert.Equal(yaml, CatalogYamlWriter.Write(back));
        Assert.Contains("""
                heartbeats:
                  - name: log-shipping
                    every: 5m
                    grace: 1m
                  - name: nightly-backup
                    every: 1d
                    grace: 0m
                  - name: "0"
                    every: 90s
                    grace: 30s

            """, yaml, StringComparison.Ordinal);
        Assert.Single(yaml.Split('\n'), line => line == "    heartbeats:");
    }

    [Fact]
    public void Policy_post_incident_review_due_is_read_written_only_when_not_the_default_and_refused_when_not_positive()
    {
        var changed = new CatalogBuilder().WithPolicy(Policy.Default with { PostIncidentReviewDue = TimeSpan.FromDays(10) }).WithService("sql").Build();

        var yaml = CatalogYamlWriter.Write(changed);
        var zero = CatalogValidator.Validate(Policy.Default with { PostIncidentReviewDue = TimeSpan.Zero } is var p ? new CatalogBuilder().WithPolicy(p).WithService("sql").Build() : null!);

        Assert.Contains("  postIncidentReviewDue: 10d\n", yaml, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(10), CatalogYamlReader.Read(yaml).Policy.PostIncidentReviewDue);
        Assert.DoesNotContain("postIncidentReviewDue", CatalogYamlWriter.Write(new CatalogBuilder().WithService("sql").Build()), StringComparison.Ordinal);
        Assert.Contains(zero, problem => problem.Path == "policy.postIncidentReviewDue");
    }

    [Fact]
    public void Policy_rpo_warn_fraction_is_written_only_when_it_is_not_the_default()
    {
        // Arrange
        var changed = new CatalogBuilder().WithPolicy(Policy.Default with { RpoWarnFraction = 0.65 }).WithService("sql").Build();
        var unchanged = new CatalogBuilder().WithService("sql").Build();

        // Act
        var yaml = CatalogYamlWriter.Write(changed);
        var defaultYaml = CatalogYamlWriter.Write(unchanged);

        // Assert
        Assert.Contains("  biaReviewInterval: 365d\n  rpoWarnFraction: 0.65\n", yaml, StringComparison.Ordinal);
        Assert.Equal(0.65, CatalogYamlReader.Read(yaml).Policy.RpoWarnFraction);
        Assert.Equal(yaml, CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml)));
        Assert.DoesNotContain("rpoWarnFraction", defaultYaml, StringComparison.Ordinal);
        Assert.Equal(Policy.DefaultRpoWarnFraction, CatalogYamlReader.Read(defaultYaml).Policy.RpoWarnFraction);
    }

    [Fact]
    public void Maintenance_windows_are_written_with_their_offsets_and_read_back_to_the_same_model()
    {
        // Arrange
        var catalog = new CatalogBuilder().WithService("sql").WithService("ledger").Build() with
        {
            Maintenance =
            [
                new MaintenanceWindow("mw-sql-patching", ["sql"], new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.FromHours(1)), null, "Monthly SQL Server patching", "cab@contoso.com"),
                new MaintenanceWindow("mw-ledger-weekly", ["ledger", "sql"], null, null, new WeeklyWindow([DayOfWeek.Sunday, DayOfWeek.Wednesday], new TimeOnly(23, 0), new TimeOnly(1, 30), "Europe/Stockholm"), "Weekly index: rebuild", "dba-lead@contoso.com"),
                new MaintenanceWindow("mw-utc", ["sql"], new DateTimeOffset(2026, 12, 6, 2, 0, 0, 500, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.FromHours(-5.5)), null, "Fractions", "cab"),
                new MaintenanceWindow("mw-default-zone", ["sql"], null, null, new WeeklyWindow([DayOfWeek.Monday], new TimeOnly(2, 0), new TimeOnly(4, 0), null), "Patching", "cab"),
            ],
        };

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml);

        // Assert
        Assert.Equal(yaml, CatalogYamlWriter.Write(back));
        Assert.EndsWith("""
            maintenance:
              - id: mw-sql-patching
                services: [sql]
                start: 2026-12-06T02:00:00+01:00
                end: 2026-12-06T04:00:00+01:00
                reason: Monthly SQL Server patching
                approvedBy: cab@contoso.com
              - id: mw-ledger-weekly
                services: [ledger, sql]
                weekly:
                  days: [Sunday, Wednesday]
                  from: "23:00"
                  to: "01:30"
                  timeZone: Europe/Stockholm
                reason: "Weekly index: rebuild"
                approvedBy: dba-lead@contoso.com
              - id: mw-utc
                services: [sql]
                start: 2026-12-06T02:00:00.5+00:00
                end: 2026-12-06T03:00:00-05:30
                reason: Fractions
                approvedBy: cab
              - id: mw-default-zone
                services: [sql]
                weekly:
                  days: [Monday]
                  from: "02:00"
                  to: "04:00"
                reason: Patching
                approvedBy: cab

            """, yaml, StringComparison.Ordinal);
        Assert.Equal(4, back.Maintenance.Count);
        foreach (var (expected, actual) in catalog.Maintenance.Zip(back.Maintenance))
        {
            Assert.Equal(expected with { Services = [], Weekly = null }, actual with { Services = [], Weekly = null });
            Assert.Equal(expected.Start?.Offset, actual.Start?.Offset);
            Assert.Equal(expected.End?.Offset, actual.End?.Offset);
            Assert.Equal(expected.Services, actual.Services);
            Assert.Equal(expected.Weekly?.Days, actual.Weekly?.Days);
            Assert.Equal(expected.Weekly is null ? null : expected.Weekly with { Days = [] }, actual.Weekly is null ? null : actual.Weekly with { Days = [] });
        }
    }

    [Fact]
    public void No_maintenance_and_a_utc_calendar_write_no_key_for_them()
    {
        var yaml = CatalogYamlWriter.Write(new CatalogBuilder().WithService("sql").Build());

        Assert.DoesNotContain("maintenance", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("calendar", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_calendar_is_written_when_it_is_not_utc_and_read_back()
    {
        // Arrange
        var catalog = new CatalogBuilder().WithPolicy(Policy.Default with { Calendar = new BusinessCalendar("Europe/Stockholm") }).WithService("sql").Build();

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);

        // Assert
        Assert.Contains("  biaReviewInterval: 365d\n  calendar:\n    timeZone: Europe/Stockholm\nservices:\n", yaml, StringComparison.Ordinal);
        Assert.Equal(catalog.Policy, CatalogYamlReader.Read(yaml).Policy);
        Assert.Equal(yaml, CatalogYamlWriter.Write(CatalogYamlReader.Read(yaml)));
    }

    [Fact]
    public void Working_hours_holidays_and_a_window_on_holidays_are_written_and_read_back()
    {
        // Arrange
        var calendar = new BusinessCalendar("Europe/Stockholm")
        {
            WorkingHours = new WorkingHours([DayOfWeek.Monday, DayOfWeek.Friday], new TimeOnly(8, 30), new TimeOnly(17, 0)),
            Holidays = [new Holiday(new DateOnly(2026, 12, 24), null), new Holiday(new DateOnly(2026, 12, 25), "Christmas: Day, {one}")],
        };
        var window = new MaintenanceWindow("mw-1", ["sql"], null, null, new WeeklyWindow([DayOfWeek.Sunday], new TimeOnly(2, 0), new TimeOnly(4, 0), null) { OnHolidays = true }, "Patching", "cab@contoso.com");
        var catalog = new CatalogBuilder().WithPolicy(Policy.Default with { Calendar = calendar }).WithService("sql").Build() with { Maintenance = [window] };

        // Act
        var yaml = CatalogYamlWriter.Write(catalog);
        var back = CatalogYamlReader.Read(yaml);

        // Assert
        Assert.Contains("      days: [Sunday, Holidays]\n", yaml, StringComparison.Ordinal);
        Assert.Equal(calendar, back.Policy.Calendar);
        Assert.True(back.Maintenance[0].Weekly!.OnHolidays);
        Assert.Equal(yaml, CatalogYamlWriter.Write(back));
    }

    [Fact]
    public void Strings_a_yaml_reader_could_mistake_are_quoted()
    {
        var catalog = new CatalogBuilder()
            .WithService("s1", name: "true")
            .WithService("s2", name: "2026-01-01")
            .WithService("s3", name: "- dash")
            .WithService("s4", name: "12")
            .Build();

        var back = CatalogYamlReader.Read(CatalogYamlWriter.Write(catalog));

        Assert.Equal(["true", "2026-01-01", "- dash", "12"], back.Services.Select(s => s.Name));
    }
}
