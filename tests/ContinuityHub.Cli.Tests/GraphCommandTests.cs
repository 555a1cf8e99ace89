using System.Security.Cryptography;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Testing;

namespace ContinuityHub.Cli.Tests;

/// <summary>
/// `hub graph login|status` with the Graph settings exported as a user would (environment variables), against
/// Azurite's production container names; no test reaches Entra ID.
/// </summary>
[Collection(StorageGroup.Name)]
public sealed class GraphCommandTests(AzuriteFixture azurite) : EmptyStorage(azurite), IAsyncLifetime
{
    private const string TenantId = "6f1c2b7e-0d4e-4d7a-9a37-3b4f5c2e8a10";
    private const string ClientId = "0b8d2f5a-7c1e-4e0b-8f52-1d9e6a3c4b27";
    private const string Account = "teams-alerts@contoso.example";

    private static readonly string[] _settings = ["Graph__TenantId", "Graph__ClientId", "Graph__NotificationsAccount", "Graph__TokenCacheKey"];

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        Settings(null, null, null, null);
        await DisposeAsync();
    }

    [Theory]
    [InlineData("login")]
    [InlineData("status")]
    public async Task Missing_settings_are_bad_input_naming_each_setting(string subcommand)
    {
        Settings(null, null, null, null);

        var run = await CliRun.RunAsync("graph", subcommand, "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            ["Graph:TenantId", "Graph:ClientId", "Graph:NotificationsAccount", "Graph:TokenCacheKey"],
            run.ErrorLines.Select(line => line.Split(':', 3) is [var section, var name, _] ? $"{section}:{name}" : line));
        Assert.Empty(run.Out);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all!", "Graph:TokenCacheKey: is not base64")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "Graph:TokenCacheKey: is 16 bytes long, not 32")]
    public async Task A_bad_token_cache_key_is_bad_input_naming_Graph_TokenCacheKey(string key, string expected)
    {
        Settings(TenantId, ClientId, Account, key);

        var run = await CliRun.RunAsync("graph", "login", "--storage", Storage);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Status_without_a_stored_sign_in_fails_with_one_line_naming_hub_graph_login()
    {
        Settings(TenantId, ClientId, Account, NewKey());

        var run = await CliRun.RunAsync("graph", "status", "--storage", Storage);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: The notifications account has not signed in yet (no token cache at graph-token-cache/notifications-account.bin)", line, StringComparison.Ordinal);
        Assert.Contains("`hub graph login`", line, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Status_with_a_cache_stored_under_another_key_says_the_key_changed()
    {
        var key = NewKey();
        Settings(TenantId, ClientId, Account, key);
        var cache = new EncryptedTokenCache(StorageClients.FromConnectionString(Storage), NewKey());
        await cache.WriteAsync("{}"u8.ToArray(), new NotificationsAccountIdentity(Account, "a.b"), null, TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("graph", "status", "--storage", Storage);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Graph:TokenCacheKey changed", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static void Settings(string? tenantId, string? clientId, string? account, string? key)
    {
        string?[] values = [tenantId, clientId, account, key];
        for (var i = 0; i < _settings.Length; i++)
        {
            Environment.SetEnvironmentVariable(_settings[i], values[i]);
        }
    }
}
