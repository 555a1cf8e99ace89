using ContinuityHub.Notifications;
using static ContinuityHub.Core.Tests.Notifications.AlertCardModelBuilder;

namespace ContinuityHub.Core.Tests.Notifications;

public class AlertMailTests
{
    [Fact]
    public void The_mail_says_what_the_card_says_with_the_decision_links()
    {
        var html = AlertMail.Html(Model());

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("[Alert] INC0012345 Core ledger down — plan dr-ledger", html, StringComparison.Ordinal);
        Assert.Contains("Ledger disaster recovery (dr-ledger, version 3)", html, StringComparison.Ordinal);
        Assert.Contains("Core ledger — tier 1, direct, RTO 4 h", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://hub.example/api/decisions/ack-token\">Acknowledge</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://hub.example/api/decisions/invoke-token\">Invoke plan</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_incident_text_is_encoded_and_only_http_links_are_kept()
    {
        var model = Model() with
        {
            IncidentTitle = "<script>alert(1)</script> & \"x\"",
            Reasons = ["<img src=x onerror=alert(1)>"],
            Documents = [new CardDocument("Runbook", new Uri("javascript:alert(1)"))],
        };

        var html = AlertMail.Html(model);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mail_about_an_invoked_plan_offers_no_invoke_and_a_stand_down_mail_no_decision_at_all()
    {
        Assert.DoesNotContain("Invoke plan</a>", AlertMail.Html(Model() with { Kind = AlertCardKind.Invoked }), StringComparison.Ordinal);
        Assert.DoesNotContain("Decide", AlertMail.Html(Model() with { Kind = AlertCardKind.StandDown }), StringComparison.Ordinal);
    }
}
