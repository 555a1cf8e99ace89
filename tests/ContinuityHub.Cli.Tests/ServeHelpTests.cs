using System.Text.RegularExpressions;

namespace ContinuityHub.Cli.Tests;

public partial class ServeHelpTests
{
    [Theory]
    [InlineData("POST /api/intake/{source}")]
    [InlineData("GET /api/incidents/{key}")]
    [InlineData("GET|POST /api/decisions/{token}")]
    [InlineData("Teams:SinkDirectory (default ./teams-sink/)")]
    [InlineData("Events:SinkDirectory (default ./events-sink/)")]
    [InlineData("Without Graph:TenantId")]
    [InlineData("without ServiceBus")]
    public async Task Serve_help_names_the_routes_and_the_local_sinks(string named)
    {
        var run = await CliRun.RunAsync("serve", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(named, Whitespace().Replace(run.Out, " "), StringComparison.Ordinal);
    }

    // Help wraps its description to the console's width; a phrase may span lines.
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
