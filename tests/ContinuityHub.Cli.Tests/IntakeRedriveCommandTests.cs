using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub intake redrive|drain` against the real Azurite. The CLI uses the production table and container names, so
/// these tests share the "storage" collection with the other tests that do, and each starts from empty storage.
/// </summary>
[Collection("storage")]
public sealed class IntakeRedriveCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite)
{

    private static CancellationToken Token => TestContext.Current.CancellationToken;


    [Fact]
    public async Task Redrive_applies_a_delivery_archived_but_never_processed_and_a_second_run_finds_nothing()
    {
        var path = await ArchiveAsync(AliasSource.Generic, Generic("INC-CLI-1"));

        var run = await CliRun.RunAsync("intake", "redrive", "--since", "1d", "--older-than", "0s", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("1 found, 1 applied, 0 already applied, 0 rejected, 0 failed." + Environment.NewLine, run.Out);
        Assert.Contains($"{path}: applied to generic~INC-CLI-1", run.Error, StringComparison.Ordinal);
        var stored = await new TableIncidentStore(StorageClients.FromConnectionString(Storage)).FindAsync("generic~INC-CLI-1", Token);
        Assert.NotNull(stored);
        Assert.Equal([path], stored.ArchivePaths);

        var again = await CliRun.RunAsync("intake", "redrive", "--since", "1d", "--older-than", "0s", "--storage", Storage);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal("0 found, 0 applied, 0 already applied, 0 rejected, 0 failed." + Environment.NewLine, again.Out);
    }

    [Fact]
    public async Task Redrive_reports_an_invalid_archived_payload_as_rejected()
    {
        var path = await ArchiveAsync(AliasSource.Generic, """{"id": "INC-CLI-2"}""");

        var run = await CliRun.RunAsync("intake", "redrive", "--since", "2h", "--older-than", "0s", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("1 found, 0 applied, 0 already applied, 1 rejected, 0 failed." + Environment.NewLine, run.Out);
        Assert.Contains($"{path}: rejected: title: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_leaves_deliveries_younger_than_the_grace_alone()
    {
        await ArchiveAsync(AliasSource.Generic, Generic("INC-CLI-3"));

        var run = await CliRun.RunAsync("intake", "redrive", "--since", "1d", "--storage", Storage);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("0 found", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since: 'yesterday' is neither an ISO 8601 time (2026-11-24T10:30:00Z) nor a duration back from now (2h, 1d)")]
    [InlineData("--since", "2999-01-01T00:00:00Z", "--since: 2999-01-01T00:00:00Z is in the future")]
    [InlineData("--older-than", "soon", "--older-than: 'soon' is not a duration: expected a duration like 30s, 90m, 4h or 2d")]
    public async Task Bad_options_are_bad_input(string option, string value, string expected)
    {
        string[] args = option == "--since"
            ? ["intake", "redrive", "--since", value, "--storage", Storage]
            : ["intake", "redrive", "--since", "1d", option, value, "--storage", Storage];

        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, Assert.Single(run.ErrorLines));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Redrive_needs_since()
    {
        var run = await CliRun.RunAsync("intake", "redrive", "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--since", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_without_a_Service_Bus_namespace_says_which_setting_is_missing()
    {
        var run = await CliRun.RunAsync("intake", "drain", "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--service-bus: no Service Bus namespace", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_refuses_a_budget_out_of_range()
    {
        var run = await CliRun.RunAsync("intake", "drain", "--budget", "1h", "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--budget: '1h' is not a duration from 1s to 5m", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    /// <summary>Archives a body as a webhook would before a crash: stored, never processed.</summary>
    private async Task<string> ArchiveAsync(AliasSource source, string json) =>
        await new BlobPayloadArchive(StorageClients.FromConnectionString(Storage))
            .ArchiveAsync(source, DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(json), IntakeChannel.Http, Token);

    private static string Generic(string id) =>
        $$"""{"id": "{{id}}", "title": "Card payments failing", "priority": "P2", "startedAt": "{{DateTimeOffset.UtcNow.AddMinutes(-10):O}}", "services": ["payments"]}""";
}
