using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>The catalogue's <c>maintenance:</c> and <c>policy.calendar</c> as the file gives them, and each rule they keep, by its path.</summary>
public class CatalogYamlReaderMaintenanceTests
{
    private const string Services = """
        services:
          - id: sql-cluster
            name: SQL cluster
            tier: 1
            rto: 1h
            rpo: 5m
            mtpd: 6h
          - id: ledger-db
            name: Ledger database
            tier: 1
            rto: 2h
            rpo: 5m
            mtpd: 8h

        """;

    private const string Catalogue = Services + """
        maintenance:
          - id: mw-sql-patching-2026-12
            services: [sql-cluster]
            start: 2026-12-06T02:00:00+01:00
            end: 2026-12-06T04:00:00+01:00
            reason: Monthly SQL Server patching
            approvedBy: cab@contoso.com
          - id: mw-ledger-weekly
            services: [ledger-db, sql-cluster]
            weekly:
              days: [Sunday, wed]
              from: "23:00"
              to: "01:30"
              timeZone: Europe/Stockholm
            reason: Weekly index maintenance
            approvedBy: dba-lead@contoso.com
        """;

    /// <summary>The services and one window of <paramref name="window"/>'s lines (a list item, indented under the key).</summary>
    private static string With(string window) =>
        Services + "maintenance:\n" + string.Concat(window.Split('\n').Select(line => "  " + line + "\n"));

    /// <summary>A one-off window with the given lines after its id.</summary>
    private static string OneOff(string lines) =>
        With("- id: mw-1\n  services: [sql-cluster]\n" + string.Concat(lines.Split('\n').Select(l => "  " + l + "\n")) + "  reason: Patching\n  approvedBy: cab@contoso.com");

    /// <summary>A weekly window with the given lines under <c>weekly:</c>.</summary>
    private static string Weekly(string lines) =>
        With("- id: mw-1\n  services: [sql-cluster]\n  weekly:\n" + string.Concat(lines.Split('\n').Select(l => "    " + l + "\n")) + "  reason: Patching\n  approvedBy: cab@contoso.com");

    private static List<string> Problems(string yaml) =>
        [.. Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml)).Problems.Select(p => p.ToString())];

    [Fact]
    public void A_one_off_window_reads_its_start_and_end_with_their_offset()
    {
        // Act
        var window = CatalogYamlReader.Read(Catalogue).Maintenance[0];

        // Assert
        Assert.Equal("mw-sql-patching-2026-12", window.Id);
        Assert.Equal(["sql-cluster"], window.Services);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.FromHours(1)), window.Start);
        Assert.Equal(TimeSpan.FromHours(1), window.Start!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.FromHours(1)), window.End);
        Assert.Null(window.Weekly);
        Assert.Equal("Monthly SQL Server patching", window.Reason);
        Assert.Equal("cab@contoso.com", window.ApprovedBy);
    }

    [Fact]
    public void A_weekly_window_reads_its_days_hours_and_time_zone()
    {
        var window = CatalogYamlReader.Read(Catalogue).Maintenance[1];

        Assert.Null(window.Start);
        Assert.Null(window.End);
        Assert.NotNull(window.Weekly);
        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Wednesday], window.Weekly.Days);
        Assert.Equal(new TimeOnly(23, 0), window.Weekly.From);
        Assert.Equal(new TimeOnly(1, 30), window.Weekly.To);
        Assert.Equal("Europe/Stockholm", window.Weekly.TimeZone);
        Assert.Equal(["ledger-db", "sql-cluster"], window.Services);
    }

    [Fact]
    public void A_catalogue_without_maintenance_has_none_and_a_utc_calendar()
    {
        var catalog = CatalogYamlReader.Read(Services);

        Assert.Empty(catalog.Maintenance);
        Assert.Equal(BusinessCalendar.Default, catalog.Policy.Calendar);
        Assert.Equal("UTC", catalog.Policy.Calendar.TimeZone);
    }

    [Theory]
    [InlineData("SUNDAY", DayOfWeek.Sunday)]
    [InlineData("monday", DayOfWeek.Monday)]
    [InlineData("Sat", DayOfWeek.Saturday)]
    [InlineData("tue", DayOfWeek.Tuesday)]
    public void Day_names_are_read_without_regard_to_case_in_full_or_three_letters(string name, DayOfWeek expected)
    {
        var window = CatalogYamlReader.Read(Weekly($"days: [{name}]\nfrom: \"02:00\"\nto: \"04:00\"")).Maintenance[0];

        Assert.Equal([expected], window.Weekly!.Days);
        Assert.Null(window.Weekly.TimeZone);
    }

    [Theory]
    [InlineData("start: 2026-12-06T02:00Z\nend: 2026-12-06T03:00Z", 0)]
    [InlineData("start: 2026-12-06T02:00:00.5-05:00\nend: 2026-12-06T03:00:00-05:00", -5)]
    public void Start_and_end_take_any_iso_8601_form_with_an_offset(string lines, int offsetHours)
    {
        var window = CatalogYamlReader.Read(OneOff(lines)).Maintenance[0];

        Assert.Equal(TimeSpan.FromHours(offsetHours), window.Start!.Value.Offset);
    }

    [Theory]
    [InlineData("start: 2026-12-06T02:00:00\nend: 2026-12-06T04:00:00+01:00", "maintenance[0].start: '2026-12-06T02:00:00' is not a date and time with an offset (expected ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00)")]
    [InlineData("start: 2026-12-06 02:00+01:00\nend: 2026-12-06T04:00:00+01:00", "maintenance[0].start: '2026-12-06 02:00+01:00' is not a date and time with an offset (expected ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00)")]
    [InlineData("start: 2026-12-06T02:00:00+01:00\nend: 2026-13-06T04:00:00+01:00", "maintenance[0].end: '2026-13-06T04:00:00+01:00' is not a date and time with an offset (expected ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00)")]
    [InlineData("start: tonight\nend: 2026-12-06T04:00:00+01:00", "maintenance[0].start: 'tonight' is not a date and time with an offset (expected ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00)")]
    [InlineData("start: [2026-12-06T02:00:00+01:00]\nend: 2026-12-06T04:00:00+01:00", "maintenance[0].start: expected a single value, not a list or mapping")]
    [InlineData("start: 2026-12-06T02:00:00+01:00\nend: 2026-12-06T04:00:00+01:00\nuntil: 2026-12-07T00:00:00Z", "maintenance[0].until: unknown key (expected one of id, services, start, end, weekly, reason, approvedBy)")]
    [InlineData("start: 2026-12-06T02:00:00+01:00\nends: 2026-12-06T04:00:00+01:00", "maintenance[0].ends: unknown key; did you mean 'end'?")]
    public void Unreadable_one_off_window_is_refused_naming_the_path(string lines, string expected)
    {
        var problems = Problems(OneOff(lines));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData("from: \"02:00\"\nto: \"04:00\"", "maintenance[0].weekly.days: is required: a list of day names, e.g. [Sunday] or [Sunday, Holidays]")]
    [InlineData("days: Sunday\nfrom: \"02:00\"\nto: \"04:00\"", "maintenance[0].weekly.days: expected a list, e.g. [Sunday]")]
    [InlineData("days: [Sunday, Sonday]\nfrom: \"02:00\"\nto: \"04:00\"", "maintenance[0].weekly.days[1]: unknown day 'Sonday' (expected Monday..Sunday, Mon..Sun, or Holidays)")]
    [InlineData("days: [Sunday]\nto: \"04:00\"", "maintenance[0].weekly.from: is required")]
    [InlineData("days: [Sunday]\nfrom: 2am\nto: \"04:00\"", "maintenance[0].weekly.from: '2am' is not a time of day (expected HH:mm, e.g. 02:00)")]
    [InlineData("days: [Sunday]\nfrom: \"02:00\"\nto: \"24:00\"", "maintenance[0].weekly.to: '24:00' is not a time of day (expected HH:mm, e.g. 02:00)")]
    [InlineData("days: [Sunday]\nfrom: \"02:00\"\nto: \"04:00\"\ntimezone: UTC", "maintenance[0].weekly.timezone: unknown key; did you mean 'timeZone'?")]
    public void Unreadable_weekly_window_is_refused_naming_the_path(string lines, string expected)
    {
        var problems = Problems(Weekly(lines));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  approvedBy: cab@contoso.com", "maintenance[0].reason: is required")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching", "maintenance[0].approvedBy: is required")]
    [InlineData("- services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab@contoso.com", "maintenance[0].id: is required")]
    [InlineData("- mw-1", "maintenance[0]: expected a mapping with keys id, services, start, end, weekly, reason, approvedBy")]
    public void Window_missing_a_required_key_is_refused_naming_the_path(string window, string expected)
    {
        var problems = Problems(With(window));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Fact]
    public void Maintenance_that_is_not_a_list_is_refused()
    {
        var problems = Problems(Services + "maintenance: {id: mw-1}\n");

        Assert.Equal("maintenance: expected a list", Assert.Single(problems));
    }

    [Fact]
    public void A_misspelt_maintenance_key_is_named_with_the_right_one()
    {
        var problems = Problems(Services + "maintenence: []\n");

        Assert.Equal("maintenence: unknown key; did you mean 'maintenance'?", Assert.Single(problems));
    }

    [Theory]
    [InlineData("Europe/Stockholm")]
    [InlineData("America/New_York")]
    [InlineData("UTC")]
    public void Policy_calendar_time_zone_is_read(string zone)
    {
        var policy = CatalogYamlReader.Read($"policy:\n  calendar:\n    timeZone: {zone}\n" + Services).Policy;

        Assert.Equal(new BusinessCalendar(zone), policy.Calendar);
    }

    [Fact]
    public void Policy_calendar_without_a_time_zone_is_utc()
    {
        var policy = CatalogYamlReader.Read("policy:\n  calendar: {}\n" + Services).Policy;

        Assert.Equal(BusinessCalendar.Default, policy.Calendar);
    }

    [Theory]
    [InlineData("  calendar: Europe/Stockholm", "policy.calendar: expected a mapping with keys timeZone, workingHours, holidays")]
    [InlineData("  calendar:\n    zone: Europe/Stockholm", "policy.calendar.zone: unknown key (expected one of timeZone, workingHours, holidays)")]
    [InlineData("  calender:\n    timeZone: Europe/Stockholm", "policy.calender: unknown key; did you mean 'calendar'?")]
    public void Unreadable_policy_calendar_is_refused_naming_the_path(string lines, string expected)
    {
        var problems = Problems("policy:\n" + lines + "\n" + Services);

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData("- id: MW-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].id: 'MW-1' is not a valid maintenance window id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- id: mw_1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].id: 'mw_1' is not a valid maintenance window id (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- id: mw-1\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].services: must name at least one service")]
    [InlineData("- id: mw-1\n  services: []\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].services: must name at least one service")]
    [InlineData("- id: mw-1\n  services: [sql-cluster, sql]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].services[1]: unknown service 'sql'")]
    [InlineData("- id: mw-1\n  services: [sql-cluster, sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].services[1]: 'sql-cluster' is listed twice")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  reason: Patching\n  approvedBy: cab", "maintenance[0]: give start and end (a one-off window) or weekly (a weekly one)")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  start: 2026-12-06T02:00:00+01:00\n  end: 2026-12-06T04:00:00+01:00\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly: give start and end (a one-off window) or weekly, not both")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  end: 2026-12-06T04:00:00+01:00\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly: give start and end (a one-off window) or weekly, not both")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  end: 2026-12-06T04:00:00+01:00\n  reason: Patching\n  approvedBy: cab", "maintenance[0].start: is required with end (a one-off window)")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  start: 2026-12-06T04:00:00+01:00\n  reason: Patching\n  approvedBy: cab", "maintenance[0].end: is required with start (a one-off window)")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  start: 2026-12-06T04:00:00+01:00\n  end: 2026-12-06T04:00:00+01:00\n  reason: Patching\n  approvedBy: cab", "maintenance[0].end: must be after start")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  start: 2026-12-06T04:00:00+01:00\n  end: 2026-12-06T03:00:00Z\n  reason: Patching\n  approvedBy: cab", "maintenance[0].end: must be after start")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  start: 2026-12-01T00:00:00+01:00\n  end: 2026-12-08T00:01:00+01:00\n  reason: Patching\n  approvedBy: cab", "maintenance[0].end: 10081m after start: a window of more than 7 days is not maintenance")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly.days: must name at least one day")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday, Mon, sun], from: \"02:00\", to: \"04:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly.days[2]: Sunday is listed twice")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"02:00\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly.to: is the same as from: a window needs some length (a 'to' before 'from' ends the next day)")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\", timeZone: Europe/Stokholm}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly.timeZone: 'Europe/Stokholm' is not a known time zone (expected an IANA id, e.g. Europe/Stockholm)")]
    [InlineData("- id: mw-1\n  services: [sql-cluster]\n  weekly: {days: [Sunday], from: \"02:00\", to: \"04:00\", timeZone: \"\"}\n  reason: Patching\n  approvedBy: cab", "maintenance[0].weekly.timeZone: must not be empty (an IANA time zone id, e.g. Europe/Stockholm)")]
    public void Each_maintenance_rule_is_one_problem_naming_its_path(string window, string expected)
    {
        var problems = Problems(With(window));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData("start: 2026-12-01T00:00:00+01:00\nend: 2026-12-08T00:00:00+01:00")]
    [InlineData("start: 2026-12-01T00:00:00+01:00\nend: 2026-12-01T00:00:01+01:00")]
    [InlineData("start: 2020-01-01T00:00:00Z\nend: 2020-01-01T01:00:00Z")]
    public void One_off_windows_at_the_edges_of_the_rules_are_valid_and_the_past_is_no_problem(string lines)
    {
        var catalog = CatalogYamlReader.Read(OneOff(lines));

        Assert.Single(catalog.Maintenance);
    }

    [Theory]
    [InlineData("days: [Sunday]\nfrom: \"22:00\"\nto: \"02:00\"")]
    [InlineData("days: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]\nfrom: \"00:00\"\nto: \"23:59\"")]
    [InlineData("days: [Sunday]\nfrom: \"02:00\"\nto: \"00:00\"\ntimeZone: America/Argentina/Buenos_Aires")]
    public void Weekly_windows_at_the_edges_of_the_rules_are_valid(string lines)
    {
        var catalog = CatalogYamlReader.Read(Weekly(lines));

        Assert.Single(catalog.Maintenance);
    }

    [Fact]
    public void Duplicate_window_id_names_the_first()
    {
        var yaml = Catalogue + "\n" + """
              - id: mw-ledger-weekly
                services: [ledger-db]
                weekly: {days: [Saturday], from: "01:00", to: "02:00"}
                reason: Again
                approvedBy: cab@contoso.com
            """;

        var problems = Problems(yaml);

        Assert.Equal("maintenance[2].id: duplicate id 'mw-ledger-weekly' (also maintenance[1])", Assert.Single(problems));
    }

    [Fact]
    public void A_window_on_a_service_left_out_for_its_own_problem_is_not_reported_again_and_later_windows_keep_their_place()
    {
        // The first window cannot be read, so the second is the only one kept: its path still says maintenance[1].
        var yaml = Catalogue.Replace("    tier: 1\n    rto: 2h", "    tier: 1\n    rto: soon", StringComparison.Ordinal)
            .Replace("start: 2026-12-06T02:00:00+01:00", "start: soon", StringComparison.Ordinal)
            .Replace("timeZone: Europe/Stockholm", "timeZone: Mars/Olympus", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Equal(
            [
                "services[1].rto: 'soon' is not a duration (expected a duration like 30s, 90m, 4h or 2d)",
                "maintenance[0].start: 'soon' is not a date and time with an offset (expected ISO 8601 with an offset, e.g. 2026-12-06T02:00:00+01:00)",
                "maintenance[1].weekly.timeZone: 'Mars/Olympus' is not a known time zone (expected an IANA id, e.g. Europe/Stockholm)",
            ],
            problems);
    }

    [Theory]
    [InlineData("Europe/Stokholm", "policy.calendar.timeZone: 'Europe/Stokholm' is not a known time zone (expected an IANA id, e.g. Europe/Stockholm)")]
    [InlineData("\"\"", "policy.calendar.timeZone: must not be empty (an IANA time zone id, e.g. Europe/Stockholm)")]
    public void Policy_calendar_time_zone_must_be_known(string zone, string expected)
    {
        var problems = Problems($"policy:\n  calendar:\n    timeZone: {zone}\n" + Services);

        Assert.Equal(expected, Assert.Single(problems));
    }
}
