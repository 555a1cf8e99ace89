using ContinuityHub.Assessment;
using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Assessment;

/// <summary>When maintenance windows hold, one-off and weekly on a time zone's wall clock, daylight-saving changes included.</summary>
public class MaintenanceCalendarTests
{
    private static readonly BusinessCalendar Stockholm = new("Europe/Stockholm");

    private static MaintenanceWindow Sundays(string from = "02:00", string to = "04:00", string? zone = null) =>
        new("mw-weekly", ["ledger-db"], null, null, new WeeklyWindow([DayOfWeek.Sunday], TimeOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), zone), "Index maintenance", "dba@contoso.com");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_one_off_window_holds_from_its_start_up_to_but_not_at_its_end()
    {
        var window = new MaintenanceWindow("mw-once", ["sql-cluster"], Utc("2026-12-06T02:00:00+01:00"), Utc("2026-12-06T04:00:00+01:00"), null, "Patching", "cab@contoso.com");

        Assert.Null(MaintenanceCalendar.At(window, Stockholm, Utc("2026-12-06T00:59:59Z")));
        Assert.Equal(Utc("2026-12-06T03:00:00Z"), MaintenanceCalendar.At(window, Stockholm, Utc("2026-12-06T01:00:00Z"))!.End);
        Assert.Null(MaintenanceCalendar.At(window, Stockholm, Utc("2026-12-06T03:00:00Z")));
    }

    [Fact]
    public void A_weekly_window_keeps_its_stockholm_hours_in_winter_and_in_summer()
    {
        // 6 Dec 2026 is a Sunday (CET, UTC+1); 7 Jun 2026 a Sunday (CEST, UTC+2).
        Assert.Equal((Utc("2026-12-06T01:00:00Z"), Utc("2026-12-06T03:00:00Z")), Span(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-12-06T02:30:00Z"))));
        Assert.Null(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-12-06T03:00:00Z")));
        Assert.Equal((Utc("2026-06-07T00:00:00Z"), Utc("2026-06-07T02:00:00Z")), Span(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-06-07T00:00:00Z"))));
        Assert.Null(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-06-06T00:30:00Z"))); // Saturday
    }

    [Fact]
    public void On_the_night_the_clocks_go_forward_the_skipped_hour_is_not_maintenance_and_the_window_is_one_hour()
    {
        // 29 Mar 2026: at 02:00 CET the clocks go to 03:00 CEST (01:00 UTC).
        Assert.Null(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-03-29T00:59:00Z")));
        var held = MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-03-29T01:00:00Z"));
        Assert.Equal((Utc("2026-03-29T01:00:00Z"), Utc("2026-03-29T02:00:00Z")), Span(held));
        Assert.Null(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-03-29T02:00:00Z")));
    }

    [Fact]
    public void On_the_night_the_clocks_go_back_the_repeated_hour_counts_twice_and_the_window_is_three_hours()
    {
        // 25 Oct 2026: at 03:00 CEST the clocks go back to 02:00 CET (01:00 UTC); 02:00-03:00 local happens twice.
        Assert.Null(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-10-24T23:59:00Z")));
        var first = MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-10-25T00:00:00Z"));
        Assert.Equal((Utc("2026-10-25T00:00:00Z"), Utc("2026-10-25T03:00:00Z")), Span(first));
        Assert.NotNull(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-10-25T01:30:00Z")));
        Assert.NotNull(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-10-25T02:59:00Z")));
        Assert.Null(MaintenanceCalendar.At(Sundays(), Stockholm, Utc("2026-10-25T03:00:00Z")));
    }

    [Fact]
    public void A_window_past_midnight_ends_the_next_day_and_its_own_time_zone_wins_over_the_calendars()
    {
        var overnight = Sundays("23:00", "01:00", "UTC");

        Assert.Equal((Utc("2026-12-06T23:00:00Z"), Utc("2026-12-07T01:00:00Z")), Span(MaintenanceCalendar.At(overnight, Stockholm, Utc("2026-12-07T00:30:00Z"))));
        Assert.Null(MaintenanceCalendar.At(overnight, Stockholm, Utc("2026-12-07T01:00:00Z")));
        Assert.Null(MaintenanceCalendar.At(overnight, Stockholm, Utc("2026-12-06T00:30:00Z"))); // the Saturday night before
    }

    private static readonly BusinessCalendar Office = new("Europe/Stockholm")
    {
        WorkingHours = new WorkingHours([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(8, 0), new TimeOnly(17, 0)),
        Holidays = [new Holiday(new DateOnly(2026, 12, 25), "Christmas Day")],
    };

    private static MaintenanceWindow SundaysAndHolidays() =>
        Sundays() with { Weekly = Sundays().Weekly! with { OnHolidays = true } };

    [Fact]
    public void A_window_on_sundays_and_holidays_holds_on_christmas_day_a_friday_but_not_on_the_friday_before()
    {
        // 25 Dec 2026 is a Friday (CET): 02:00-04:00 local is 01:00-03:00 UTC.
        Assert.Equal((Utc("2026-12-25T01:00:00Z"), Utc("2026-12-25T03:00:00Z")), Span(MaintenanceCalendar.At(SundaysAndHolidays(), Office, Utc("2026-12-25T02:00:00Z"))));
        Assert.Null(MaintenanceCalendar.At(SundaysAndHolidays(), Office, Utc("2026-12-18T02:00:00Z")));
        Assert.Null(MaintenanceCalendar.At(Sundays(), Office, Utc("2026-12-25T02:00:00Z")));
    }

    [Fact]
    public void Occurrences_starting_in_a_span_include_the_holidays_in_date_order()
    {
        var starts = MaintenanceCalendar.Starting(SundaysAndHolidays(), Office, Utc("2026-12-19T00:00:00Z"), Utc("2026-12-28T00:00:00Z")).Select(o => o.Start);

        Assert.Equal([Utc("2026-12-20T01:00:00Z"), Utc("2026-12-25T01:00:00Z"), Utc("2026-12-27T01:00:00Z")], starts);
    }

    [Theory]
    [InlineData("2026-12-08T09:00:00Z", "2026-12-08T10:00:00Z", true)]   // Tuesday 10:00-11:00 Stockholm
    [InlineData("2026-12-08T15:59:00Z", "2026-12-08T18:00:00Z", true)]   // runs past 17:00 local, begins a minute inside
    [InlineData("2026-12-08T16:00:00Z", "2026-12-08T18:00:00Z", false)]  // from 17:00 local: after hours
    [InlineData("2026-12-08T05:00:00Z", "2026-12-08T07:00:00Z", false)]  // 06:00-08:00 local: ends as the day begins
    [InlineData("2026-12-06T09:00:00Z", "2026-12-06T12:00:00Z", false)]  // a Sunday
    [InlineData("2026-12-25T09:00:00Z", "2026-12-25T12:00:00Z", false)]  // Christmas Day, a Friday
    [InlineData("2026-12-05T20:00:00Z", "2026-12-07T08:00:00Z", true)]   // the weekend into Monday 09:00 local
    public void Maintenance_is_during_working_hours_when_it_overlaps_a_working_day_that_is_no_holiday(string start, string end, bool expected)
    {
        var occurrence = new MaintenanceOccurrence(Sundays(), Utc(start), Utc(end));

        Assert.Equal(expected, MaintenanceCalendar.DuringWorkingHours(occurrence, Office));
    }

    [Fact]
    public void Without_working_hours_nothing_is_during_them()
    {
        Assert.False(MaintenanceCalendar.DuringWorkingHours(new MaintenanceOccurrence(Sundays(), Utc("2026-12-08T09:00:00Z"), Utc("2026-12-08T10:00:00Z")), Stockholm));
    }

    private static (DateTimeOffset, DateTimeOffset) Span(MaintenanceOccurrence? occurrence) =>
        occurrence is { } o ? (o.Start, o.End) : throw new InvalidOperationException("the window does not hold");
}
