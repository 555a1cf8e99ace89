using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>The business calendar's working hours and holidays (<c>policy.calendar</c>), and weekly windows that hold on holidays.</summary>
public class CatalogYamlReaderCalendarTests
{
    private const string Services = """
        services:
          - id: sql-cluster
            name: SQL cluster
            tier: 1
            rto: 1h
            rpo: 5m
            mtpd: 6h

        """;

    private const string Calendar = """
        policy:
          calendar:
            timeZone: Europe/Stockholm
            workingHours: {days: [Mon, Tue, Wed, Thu, Fri], from: "08:00", to: "17:00"}
            holidays:
              - 2026-12-24
              - {date: 2026-12-25, name: Christmas Day}

        """;

    private static string SundaysAnd(string days) => Calendar + Services + $$"""
        maintenance:
          - id: mw-1
            services: [sql-cluster]
            weekly: {days: {{days}}, from: "02:00", to: "04:00"}
            reason: Patching
            approvedBy: cab@contoso.com
        """;

    private static List<string> Problems(string yaml) =>
        [.. Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml)).Problems.Select(p => p.ToString())];

    [Fact]
    public void Working_hours_and_holidays_are_read_with_their_names()
    {
        var calendar = CatalogYamlReader.Read(Calendar + Services).Policy.Calendar;

        Assert.Equal("Europe/Stockholm", calendar.TimeZone);
        Assert.Equal(new WorkingHours([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(8, 0), new TimeOnly(17, 0)), calendar.WorkingHours);
        Assert.Equal([new Holiday(new DateOnly(2026, 12, 24), null), new Holiday(new DateOnly(2026, 12, 25), "Christmas Day")], calendar.Holidays);
        Assert.True(calendar.IsHoliday(new DateOnly(2026, 12, 25)));
        Assert.False(calendar.IsHoliday(new DateOnly(2026, 12, 23)));
        Assert.False(calendar.IsDefault);
    }

    [Fact]
    public void A_weekly_window_whose_days_name_holidays_holds_on_them_too()
    {
        var weekly = CatalogYamlReader.Read(SundaysAnd("[Sunday, Holidays]")).Maintenance[0].Weekly!;

        Assert.Equal([DayOfWeek.Sunday], weekly.Days);
        Assert.True(weekly.OnHolidays);
        Assert.Equal(["Sunday", "Holidays"], weekly.DayNames);
    }

    [Fact]
    public void A_weekly_window_on_holidays_alone_is_valid()
    {
        var weekly = CatalogYamlReader.Read(SundaysAnd("[holiday]")).Maintenance[0].Weekly!;

        Assert.Empty(weekly.Days);
        Assert.True(weekly.OnHolidays);
    }

    [Fact]
    public void A_window_on_holidays_in_a_calendar_with_none_is_refused()
    {
        var yaml = Services + """
            maintenance:
              - id: mw-1
                services: [sql-cluster]
                weekly: {days: [Sunday, Holidays], from: "02:00", to: "04:00"}
                reason: Patching
                approvedBy: cab@contoso.com
            """;

        Assert.Equal("maintenance[0].weekly.days: names Holidays, but policy.calendar.holidays lists none", Assert.Single(Problems(yaml)));
    }

    [Fact]
    public void An_unknown_weekly_day_names_holidays_among_the_expected()
    {
        Assert.Equal("maintenance[0].weekly.days[1]: unknown day 'Feast' (expected Monday..Sunday, Mon..Sun, or Holidays)", Assert.Single(Problems(SundaysAnd("[Sunday, Feast]"))));
    }

    [Theory]
    [InlineData("workingHours: {days: [Mon, Funday], from: \"08:00\", to: \"17:00\"}", "policy.calendar.workingHours.days[1]: unknown day 'Funday' (expected Monday..Sunday, or Mon..Sun)")]
    [InlineData("workingHours: {days: [Mon, mon], from: \"08:00\", to: \"17:00\"}", "policy.calendar.workingHours.days[1]: Monday is listed twice")]
    [InlineData("workingHours: {days: [], from: \"08:00\", to: \"17:00\"}", "policy.calendar.workingHours.days: must name at least one day")]
    [InlineData("workingHours: {from: \"08:00\", to: \"17:00\"}", "policy.calendar.workingHours.days: is required: a list of day names, e.g. [Mon, Tue, Wed, Thu, Fri]")]
    [InlineData("workingHours: {days: [Mon], from: \"8 am\", to: \"17:00\"}", "policy.calendar.workingHours.from: '8 am' is not a time of day (expected HH:mm, e.g. 02:00)")]
    [InlineData("workingHours: {days: [Mon], from: \"17:00\", to: \"08:00\"}", "policy.calendar.workingHours.to: 08:00 is not after from (17:00): working hours end the day they start")]
    [InlineData("workingHours: {days: [Mon], from: \"08:00\", to: \"17:00\", lunch: \"12:00\"}", "policy.calendar.workingHours.lunch: unknown key (expected one of days, from, to)")]
    [InlineData("holidays: 2026-12-25", "policy.calendar.holidays: expected a list of dates (yyyy-MM-dd), or of {date, name}")]
    [InlineData("holidays: [2026-12-25, 25/12/2026]", "policy.calendar.holidays[1]: '25/12/2026' is not a date (expected yyyy-MM-dd, e.g. 2026-12-25)")]
    [InlineData("holidays: [{name: Christmas}]", "policy.calendar.holidays[0].date: is required")]
    [InlineData("holidays: [2026-12-25, {date: 2026-12-25, name: Christmas}]", "policy.calendar.holidays[1]: 2026-12-25 is listed twice")]
    public void Unreadable_working_hours_and_holidays_are_refused_naming_the_path(string line, string expected)
    {
        var problems = Problems($"policy:\n  calendar:\n    {line}\n" + Services);

        Assert.Equal(expected, Assert.Single(problems));
    }
}
