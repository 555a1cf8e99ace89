using System.Text.RegularExpressions;
using ContinuityHub.Notifications;
using static ContinuityHub.Core.Tests.Notifications.AlertCardModelBuilder;

namespace ContinuityHub.Core.Tests.Notifications;

public partial class AdaptiveCardPreviewTests
{
    [Fact]
    public void The_preview_is_a_self_contained_page_with_a_strict_content_security_policy()
    {
        var html = AdaptiveCards.PreviewHtml(AdaptiveCards.Render(Model()).CardJson);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<title>Alert</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_preview_draws_the_rendered_card_text_facts_links_and_actions()
    {
        var html = AdaptiveCards.PreviewHtml(AdaptiveCards.Render(Model()).CardJson);

        Assert.Contains(">Core ledger down</p>", html, StringComparison.Ordinal);
        Assert.Contains("servicenow · INC0012345 · <a href=\"https://contoso.service-now.com/nav_to.do?uri=incident.do?sys_id=42\" style=\"color:#0f6cbd\">Open in servicenow</a>", html, StringComparison.Ordinal);
        Assert.Contains(">Invoke by</th><td style=\"vertical-align:top;padding:2px 0\">24 Nov 2026 11:00 UTC · 1 h 20 min left</td>", html, StringComparison.Ordinal);
        Assert.Contains(">Ledger disaster recovery (dr-ledger, version 3)</p>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://docs.example/plan-documents/dr-ledger/3/Runbook.pdf?sv=2025&amp;sig=abc\" style=\"color:#0f6cbd\">Runbook.pdf</a>", html, StringComparison.Ordinal);
        Assert.Matches("<a href=\"https://hub.example/api/decisions/ack-token\" [^>]*>Acknowledge</a>", html);
        Assert.Matches("<a href=\"https://hub.example/api/decisions/invoke-token\" [^>]*>Invoke plan</a>", html);
    }

    [Fact]
    public void The_preview_shows_hostile_incident_text_as_text()
    {
        var model = Model() with { IncidentTitle = "[click](http://evil.example) <script>alert(1)</script> {{DATE(2026-01-01T00:00:00Z)}} \"q\"" };

        var html = AdaptiveCards.PreviewHtml(AdaptiveCards.Render(model).CardJson);

        Assert.Contains("[click](http://evil.example) &lt;script&gt;alert(1)&lt;/script&gt; {\u200B{DATE(2026-01-01T00:00:00Z)}\u200B} &quot;q&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http://evil.example", html, StringComparison.Ordinal);
        AssertOnlyOwnTags(html);
    }

    [Fact]
    public void The_preview_escapes_every_string_of_a_hand_made_card()
    {
        const string Card = """
            {"type":"AdaptiveCard","version":"1.5","body":[
              {"type":"TextBlock","text":"<b onmouseover=alert(1)>bold</b>","color":"\"><script>alert(1)</script>"},
              {"type":"FactSet","facts":[{"title":"<i>t</i>","value":"</td><script>x</script>"}]},
              {"type":"ColumnSet","columns":[{"type":"Column","style":"'><img src=x>","items":[{"type":"TextBlock","text":"in a column & more"}]}]},
              {"type":"Container","style":"emphasis","items":[{"type":"Image","url":"https://tracker.example/pixel.png","altText":"<svg onload=alert(1)>"}]},
              {"type":"RichTextBlock","inlines":["<u>plain</u>",{"type":"TextRun","text":"<em>run</em>","weight":"Bolder"}]}
            ],
            "actions":[{"type":"Action.OpenUrl","title":"<b>Go</b>","url":"https://ok.example/?a=1&b=\"2\""}]}
            """;

        var html = AdaptiveCards.PreviewHtml(Card);

        AssertOnlyOwnTags(html);
        Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b onmouseover=alert(1)&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("in a column &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://ok.example/?a=1&amp;b=%222%22\"", html, StringComparison.Ordinal);
        Assert.Contains(">&lt;b&gt;Go&lt;/b&gt;</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative")]
    [InlineData("vbscript:msgbox")]
    public void Actions_and_links_to_anything_but_http_are_drawn_without_a_link(string url)
    {
        var card = $$"""
            {"type":"AdaptiveCard","version":"1.5",
             "body":[{"type":"TextBlock","text":"[docs]({{url.Replace("\"", "\\\"", StringComparison.Ordinal)}})"}],
             "actions":[{"type":"Action.OpenUrl","title":"Open","url":"{{url}}"}]}
            """;

        var html = AdaptiveCards.PreviewHtml(card);

        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
        Assert.Contains(">Open</span>", html, StringComparison.Ordinal);
        AssertOnlyOwnTags(html);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":\"AdaptiveCard\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"\\uD800\"}]}")]
    public void A_card_that_cannot_be_read_gives_a_page_saying_so(string json)
    {
        var html = AdaptiveCards.PreviewHtml(json);

        Assert.Contains("The card could not be read.", html, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stand_down_card_is_drawn_without_buttons()
    {
        var html = AdaptiveCards.PreviewHtml(AdaptiveCards.Render(Model() with { Kind = AlertCardKind.StandDown, Actions = null }).CardJson);

        Assert.Contains(">Stand-down</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Acknowledge", html, StringComparison.Ordinal);
    }

    /// <summary>Every <c>&lt;</c> in the page opens one of the tags the preview writes itself.</summary>
    internal static void AssertOnlyOwnTags(string html)
    {
        var foreign = OwnTags().Replace(html, string.Empty);
        Assert.DoesNotContain("<", foreign, StringComparison.Ordinal);
    }

    [GeneratedRegex("<(!DOCTYPE html|/?(html|head|meta|title|body|div|p|table|tr|th|td|a|span|br)(?=[ >]))")]
    private static partial Regex OwnTags();
}
