using ContinuityHub.Azure.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure.Tests.Notifications;

/// <summary>The Decisions and Teams sections as bound options: optional, and validated when the host starts.</summary>
public sealed class NotificationOptionsTests
{
    [Theory]
    [InlineData("Decisions:TokenLifetime", "soon", "Decisions:TokenLifetime 'soon'")]
    [InlineData("Decisions:TokenLifetime", "30d", "at most 7d")]
    [InlineData("Decisions:BaseUrl", "http://func-hub.example.com", "Decisions:BaseUrl 'http://func-hub.example.com' must be the hub's absolute https address")]
    [InlineData("Decisions:SigningKey", "c2hvcnQ=", "Decisions:SigningKey is 5 bytes")]
    [InlineData("Decisions:SigningKey", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/decisions-signing-key)", "unresolved Key Vault reference")]
    [InlineData("Teams:ContinuityChannelId", "19:continuity@thread.tacv2", "Teams:ContinuityTeamId must be set with Teams:ContinuityChannelId")]
    public async Task A_malformed_setting_stops_the_host_at_start_with_one_line_naming_it(string setting, string value, string expected)
    {
        using var host = Host((setting, value));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task Without_Decisions_or_Teams_settings_the_host_starts_with_no_links_and_no_summary_card()
    {
        using var host = Host();

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Null(host.Services.GetRequiredService<ContinuityHub.Notifications.NotificationSettings>().DecisionsBaseUrl);
        Assert.Null(TeamsOptions.FromConfiguration(host.Services.GetRequiredService<IConfiguration>().GetSection(TeamsOptions.SectionName)).Channel());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Well_formed_settings_give_the_links_lifetime_and_address()
    {
        var options = new DecisionsOptions { BaseUrl = "https://func-hub.example.com", TokenLifetime = "PT12H", SigningKey = Convert.ToBase64String(new byte[32]) };

        var settings = options.ToSettings();

        Assert.Equal(new Uri("https://func-hub.example.com/api/decisions/t"), settings.DecisionLink("t"));
        Assert.Equal(TimeSpan.FromHours(12), settings.TokenLifetime);
        Assert.Equal(32, options.Key()!.Length);
    }

    private static IHost Host(params (string Key, string Value)[] values)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        builder.Services.AddContinuityHub(builder.Configuration);
        return builder.Build();
    }
}
