using ContinuityHub.Cli.Demo;

namespace ContinuityHub.Cli.Tests.Demo;

public sealed class DemoLinksTests
{
    [Theory]
    [InlineData("cards/01-alert.json", "cards/01-alert.json")]
    [InlineData("events/a b#c?.json", "events/a%20b%23c%3F.json")]
    [InlineData("https://hub.example/report?x=1&y=2", "https://hub.example/report?x=1&y=2")]
    [InlineData("http://localhost:7071/api/health", "http://localhost:7071/api/health")]
    public void Files_inside_the_output_directory_and_http_urls_are_linked(string target, string href)
    {
        Assert.Equal(href, DemoLinks.Href(target));
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("cards/../../outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("cards\\x.json")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:someone@contoso.example")]
    [InlineData("//evil.example/x")]
    [InlineData("cards//x.json")]
    [InlineData("")]
    public void Anything_else_is_not_linked(string target)
    {
        Assert.Null(DemoLinks.Href(target));
    }

    [Theory]
    [InlineData(0, "+0 s")]
    [InlineData(45, "+45 s")]
    [InlineData(130, "+2 min")]
    [InlineData(15000, "+4 h 10 min")]
    [InlineData(-300, "-5 min")]
    public void Offsets_from_the_start_are_signed_durations(int seconds, string offset)
    {
        var start = new DateTimeOffset(2026, 11, 24, 9, 40, 0, TimeSpan.Zero);

        Assert.Equal(offset, DemoLinks.Offset(start, start.AddSeconds(seconds)));
    }
}
