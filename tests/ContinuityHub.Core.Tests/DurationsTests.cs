namespace ContinuityHub.Core.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData("90m", 90 * 60)]
    [InlineData("4h", 4 * 3600)]
    [InlineData("2d", 2 * 86400)]
    [InlineData("30s", 30)]
    [InlineData("0m", 0)]
    [InlineData(" 4H ", 4 * 3600)]
    public void Parses_a_number_and_a_unit(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("h")]
    [InlineData("-4h")]
    [InlineData("1.5h")]
    [InlineData("4 hours")]
    [InlineData("4w")]
    [InlineData("9999999999d")]
    [InlineData("999999999d")]
    public void Refuses_anything_else(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(48 * 60, "2d")]
    [InlineData(90, "90m")]
    [InlineData(120, "2h")]
    [InlineData(0, "0m")]
    public void Formats_in_the_largest_exact_unit(int minutes, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMinutes(minutes)));
}
