namespace ContinuityHub.Core.Tests;

public sealed class HumanTextTests
{
    [Theory]
    [InlineData(0, "0 min")]
    [InlineData(30, "30 s")]
    [InlineData(45 * 60, "45 min")]
    [InlineData(80 * 60, "1 h 20 min")]
    [InlineData(80 * 60 + 5, "1 h 20 min")]
    [InlineData(4 * 3600, "4 h")]
    [InlineData(213 * 3600 + 2 * 60, "8 d 21 h")]
    [InlineData(2 * 86400 + 30 * 60, "2 d")]
    [InlineData(-90 * 60, "-1 h 30 min")]
    public void Durations_are_written_in_their_two_largest_units(int seconds, string expected) =>
        Assert.Equal(expected, HumanText.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Times_are_written_in_utc_to_the_minute() =>
        Assert.Equal("3 Dec 2026 11:25 UTC", HumanText.Time(new DateTimeOffset(2026, 12, 3, 12, 25, 40, TimeSpan.FromHours(1))));

    [Fact]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        var text = "ab\U0001F525cd";
        Assert.Equal("ab…", HumanText.Truncate(text, 4));
        Assert.Equal("ab\U0001F525…", HumanText.Truncate(text, 5));
        Assert.Equal(text, HumanText.Truncate(text, 6));
    }

    [Fact]
    public void Truncation_leaves_no_space_before_the_ellipsis() =>
        Assert.Equal("Core…", HumanText.Truncate("Core ledger", 6));
}
