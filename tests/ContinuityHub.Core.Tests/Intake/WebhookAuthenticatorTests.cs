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

    [Theory]
    [InlineData("Bearer s3cret-for-tests")]
    [InlineData("bearer  s3cret-for-tests ")]
    public void Alertmanager_bearer_token_that_is_the_secret_is_verified(string authorization)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = authorization };

        Assert.Equal(WebhookAuthentication.Verified, Verify(AliasSource.Alertmanager, Secret, headers));
    }

    [Theory]
    [InlineData("alertmanager")]
    [InlineData("")]
    public void Alertmanager_basic_auth_whose_password_is_the_secret_is_verified_whatever_the_user_name(string user)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + Secret));
        var headers = new Dictionary<string, string> { ["Authorization"] = "Basic " + basic };

        Assert.Equal(WebhookAuthentication.Verified, Verify(AliasSource.Alertmanager, Secret, headers));
    }

    [Theory]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer")]
    [InlineData("s3cret-for-tests")]
    [InlineData("Token s3cret-for-tests")]
    [InlineData("Basic not-base64!")]
    [InlineData("Basic czNjcmV0LWZvci10ZXN0cw==")]
    [InlineData("Basic YWxlcnRtYW5hZ2VyOndyb25n")]
    public void Alertmanager_wrong_credentials_are_invalid(string authorization)
    {
        // czNj…: base64 of the secret without a user name and colon; YWxl…: alertmanager:wrong.
        var headers = new Dictionary<string, string> { ["Authorization"] = authorization };

        Assert.Equal(WebhookAuthentication.Invalid, Verify(AliasSource.Alertmanager, Secret, headers));
    }

    [Fact]
    public void Alertmanager_without_an_authorization_header_is_missing_and_a_hub_token_does_not_stand_in()
    {
        Assert.Equal(WebhookAuthentication.Missing, Verify(AliasSource.Alertmanager, Secret));
        Assert.Equal(WebhookAuthentication.Missing, Verify(AliasSource.Alertmanager, Secret, headers: new() { ["X-Hub-Token"] = Secret }, query: new() { ["token"] = Secret }));
    }

    [Fact]
    public void Secret_setting_names_the_source()
    {
        Assert.Equal("Intake:Sources:pagerduty:Secret", WebhookAuthenticator.SecretSetting(AliasSource.PagerDuty));
    }
}
