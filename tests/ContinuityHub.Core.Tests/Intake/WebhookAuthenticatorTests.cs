using System.Text;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;

namespace ContinuityHub.Core.Tests.Intake;

public class WebhookAuthenticatorTests
{
    private const string Secret = "s3cret-for-tests";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"event\":{\"id\":\"01\"}}");

    private static WebhookAuthentication Verify(AliasSource source, string? secret, Dictionary<string, string>? headers = null, Dictionary<string, string>? query = null) =>
        WebhookAuthenticator.Verify(
            source,
            secret,
            Body,
            name => headers is not null && headers.TryGetValue(name, out var v) ? v : null,
            name => query is not null && query.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void PagerDuty_signature_over_the_raw_body_is_verified()
    {
        var headers = new Dictionary<string, string> { ["X-PagerDuty-Signature"] = "v1=" + WebhookAuthenticator.Sign(Secret, Body) };

        Assert.Equal(WebhookAuthentication.Verified, Verify(AliasSource.PagerDuty, Secret, headers));
    }

    [Fact]
    public void PagerDuty_may_list_several_signatures_and_one_valid_suffices()
    {
        var headers = new Dictionary<string, string> { ["X-PagerDuty-Signature"] = "v1=" + new string('0', 64) + ", v1=" + WebhookAuthenticator.Sign(Secret, Body) };

        Assert.Equal(WebhookAuthentication.Verified, Verify(AliasSource.PagerDuty, Secret, headers));
    }

    [Theory]
    [InlineData("v1=00")]
    [InlineData("v1=zz")]
    [InlineData("v2=abc")]
    public void PagerDuty_forged_signature_is_invalid(string signature)
    {
        var headers = new Dictionary<string, string> { ["X-PagerDuty-Signature"] = signature };

        Assert.Equal(WebhookAuthentication.Invalid, Verify(AliasSource.PagerDuty, Secret, headers));
    }

    [Fact]
    public void Signature_made_with_another_secret_is_invalid()
    {
        var headers = new Dictionary<string, string> { ["X-Hub-Signature"] = "sha256=" + WebhookAuthenticator.Sign("other", Body) };

        Assert.Equal(WebhookAuthentication.Invalid, Verify(AliasSource.Jira, Secret, headers));
    }

    [Fact]
    public void Jira_sha256_signature_is_verified()
    {
        var headers = new Dictionary<string, string> { ["X-Hub-Signature"] = "sha256=" + WebhookAuthenticator.Sign(Secret, Body) };

        Assert.Equal(WebhookAuthentication.Verified, Verify(AliasSource.Jira, Secret, headers));
    }

    [Theory]
    [InlineData(AliasSource.ServiceNow)]
    [InlineData(AliasSource.Opsgenie)]
    [InlineData(AliasSource.AzureMonitor)]
    [InlineData(AliasSource.Generic)]
    public void Token_sources_accept_the_secret_in_the_header_or_the_query(AliasSource source)
    {
        Assert.Equal(WebhookAuthentication.Verified, Verify(source, Secret, headers: new() { ["X-Hub-Token"] = Secret }));
        Assert.Equal(WebhookAuthentication.Verified, Verify(source, Secret, query: new() { ["token"] = Secret }));
        Assert.Equal(WebhookAuthentication.Invalid, Verify(source, Secret, query: new() { ["token"] = Secret + "x" }));
        Assert.Equal(WebhookAuthentication.Missing, Verify(source, Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-hub;SecretName=intake-generic-secret)")]
    public void Source_without_a_usable_secret_is_refused_as_not_configured(string? secret)
    {
        var unresolved = "@Microsoft.KeyVault(VaultName=kv-hub;SecretName=intake-generic-secret)";

        Assert.Equal(WebhookAuthentication.NotConfigured, Verify(AliasSource.Generic, secret, headers: new() { ["X-Hub-Token"] = unresolved }));
    }

    [Fact]
    public void Secret_setting_names_the_source()
    {
        Assert.Equal("Intake:Sources:pagerduty:Secret", WebhookAuthenticator.SecretSetting(AliasSource.PagerDuty));
    }
}
