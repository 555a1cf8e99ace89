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

    private static (DateTimeOffset, DateTimeOffset) Span(MaintenanceOccurrence? occurrence) =>
        occurrence is { } o ? (o.Start, o.End) : throw new InvalidOperationException("the window does not hold");
}
