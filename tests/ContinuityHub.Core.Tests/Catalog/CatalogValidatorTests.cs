using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

public class CatalogValidatorTests
{
    [Fact]
    public void ServiceNow_fields_of_a_catalogue_not_read_from_a_file_are_checked_too()
    {
        // Arrange: as an import gets it, without the reader's trimming.
        var catalog = new CatalogBuilder()
            .WithPolicy(Policy.Default with
            {
                ServiceNowFields = new Dictionary<string, string>
                {
                    ["work_notes"] = "x",
                    ["u_level\n"] = "{level}",
                    ["u_" + new string('a', 78)] = "fits",
                    ["u_" + new string('a', 79)] = "too long a name",
                    ["u_summary"] = new string('x', 1001),
                },
            })
            .WithService("sql")
            .Build();

        // Act
        var problems = CatalogValidator.Validate(catalog).Select(p => p.Path).ToList();

        // Assert
        Assert.Equal(
            ["policy.serviceNowFields.work_notes", "policy.serviceNowFields.u_level\n", $"policy.serviceNowFields.u_{new string('a', 79)}", "policy.serviceNowFields.u_summary"],
            problems);
    }

    [Fact]
    public void A_policy_without_servicenow_fields_is_valid()
    {
        var catalog = new CatalogBuilder().WithService("sql").Build();

        Assert.Empty(CatalogValidator.Validate(catalog));
    }

    [Fact]
    public void Heartbeats_of_a_catalogue_not_read_from_a_file_are_checked_too()
    {
        // Arrange: as an import gets it, where a name may be empty and a grace negative.
        var catalog = new CatalogBuilder()
            .WithService("sql", rpo: TimeSpan.FromMinutes(5), heartbeats:
            [
                new HeartbeatDeclaration(" ", TimeSpan.FromMinutes(1), TimeSpan.Zero),
                new HeartbeatDeclaration("log-backup\n", TimeSpan.FromMinutes(1), TimeSpan.Zero),
                new HeartbeatDeclaration("replica-sync", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(-1)),
                new HeartbeatDeclaration("nightly", TimeSpan.FromDays(401), TimeSpan.FromDays(500)),
            ])
            .Build();

        // Act
        var problems = CatalogValidator.Validate(catalog).Select(p => p.ToString()).ToList();

        // Assert: a grace is not compared with an interval that is itself refused.
        Assert.Equal(
            [
                "services[0].heartbeats[0].name: is required",
                "services[0].heartbeats[1].name: 'log-backup\n' is not a valid heartbeat name (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)",
                "services[0].heartbeats[2].grace: must not be negative",
                "services[0].heartbeats[3].every: 401d is outside 1m–400d (how often the job reports)",
            ],
            problems);
    }

    [Fact]
    public void A_heartbeat_on_a_service_whose_rpo_is_zero_is_a_problem_of_its_own()
    {
        var catalog = new CatalogBuilder()
            .WithService("vault", rpo: TimeSpan.Zero, heartbeats: [new HeartbeatDeclaration("replica-sync", TimeSpan.FromMinutes(1), TimeSpan.Zero)])
            .Build();

        var problems = CatalogValidator.Validate(catalog).Select(p => p.ToString()).ToList();

        Assert.Equal(
            [
                "services[0].rpo: must be positive",
                "services[0].heartbeats: a service with RPO 0 cannot be watched by heartbeats: its data must never be at risk",
            ],
            problems);
    }

    [Fact]
    public void Heartbeats_within_the_rules_raise_no_problem_whatever_the_rpo()
    {
        // Heartbeats slower than the RPO are the exposure the RPO clock reports, not a catalogue problem.
        var catalog = new CatalogBuilder()
            .WithService("sql", rpo: TimeSpan.FromMinutes(5), heartbeats:
            [
                new HeartbeatDeclaration("log-backup", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)),
                new HeartbeatDeclaration("nightly-backup", TimeSpan.FromDays(1), TimeSpan.FromHours(1)),
            ])
            .Build();

        Assert.Empty(CatalogValidator.Validate(catalog));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void An_rpo_warn_fraction_outside_0_to_1_is_refused(double fraction)
    {
        var catalog = new CatalogBuilder().WithPolicy(Policy.Default with { RpoWarnFraction = fraction }).WithService("sql").Build();

        var problem = Assert.Single(CatalogValidator.Validate(catalog));

        Assert.Equal("policy.rpoWarnFraction", problem.Path);
    }

    [Fact]
    public void Maintenance_windows_of_a_catalogue_not_read_from_a_file_are_checked_too()
    {
        // Arrange: what the file format cannot say, but a catalogue built in code can.
        var weekly = new WeeklyWindow([DayOfWeek.Sunday, (DayOfWeek)7], new TimeOnly(2, 0, 30), new TimeOnly(4, 0), null);
        var catalog = new CatalogBuilder()
            .WithPolicy(Policy.Default with { Calendar = new BusinessCalendar("Nowhere/Special") })
            .WithService("sql")
            .Build() with
        {
            Maintenance =
            [
                new MaintenanceWindow("mw-1", ["sql"], null, null, weekly, " ", ""),
                new MaintenanceWindow("mw-2", ["sql"], new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), null, null, "Patching", "cab"),
                new MaintenanceWindow("mw-3", ["sql"], new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero), null, "Patching", "cab"),
            ],
        };

        // Act
        var problems = CatalogValidator.Validate(catalog).Select(p => p.ToString()).ToList();

        // Assert
        Assert.Equal(
            [
                "policy.calendar.timeZone: 'Nowhere/Special' is not a known time zone (expected an IANA id, e.g. Europe/Stockholm)",
                "maintenance[0].reason: is required",
                "maintenance[0].approvedBy: is required",
                "maintenance[0].weekly.days[1]: unknown day (expected Monday..Sunday)",
                "maintenance[0].weekly.from: must be whole minutes (HH:mm)",
                "maintenance[1].end: is required with start (a one-off window)",
            ],
            problems);
    }
}
