using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using CsCheck;
using static ContinuityHub.Core.Tests.Notifications.AlertCardModelBuilder;

namespace ContinuityHub.Core.Tests.Notifications;

public class AdaptiveCardsTests
{
    /// <summary>Strings an incident or a catalogue could carry to turn a card against its readers.</summary>
    private static readonly string[] _hostile =
    [
        "[click](http://evil.example)", "{{DATE(2026-01-01T00:00:00Z)}}", "{{TIME(2026-01-01T00:00:00Z)}}", "<script>alert(1)</script>",
        "\"quoted\" and 'single'", "a\\b", "bell\u0007tab\tnew\nline\r\u0000nul", "\u202Eevil", "**bold** _it_ # h > q ~s~ `c`", "1. first",
        "- item", "+ item", "<img src=x onerror=alert(1)>", "&amp;", "😀", "\uD800", "x\uDC00", "![img](http://evil.example/x.png)", "]]>",
    ];

    private static readonly Gen<string> _text = Gen.Frequency(
        (3, Gen.String),
        (1, Gen.Char.Array[0, 30].Select(c => new string(c))),
        (4, Gen.OneOfConst(_hostile).Array[0, 4].Select(parts => string.Concat(parts))),
        (2, Gen.Select(Gen.String, Gen.OneOfConst(_hostile), Gen.String).Select((a, b, c) => a + b + c)));

    [Fact]
    public void Render_produces_an_AdaptiveCard_1_5_at_full_width()
    {
        var card = Card(Model());

        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)card["$schema"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal("Full", (string?)card["msteams"]!["width"]);
        Assert.NotEmpty(card["body"]!.AsArray());
    }

    [Fact]
    public void Render_shows_the_level_the_incident_title_source_and_a_link_to_the_source_record()
    {
        var texts = Texts(Model());

        Assert.Contains("Alert", texts);
        Assert.Contains("Core ledger down", texts);
        Assert.Contains("servicenow · INC0012345 · Open in servicenow", texts);
        Assert.Contains(("Open in servicenow", "https://contoso.service-now.com/nav_to.do?uri=incident.do?sys_id=42"), LinkRuns(Model()));
    }

    [Theory]
    [InlineData(AssessmentLevel.Invoke, "attention")]
    [InlineData(AssessmentLevel.RecommendInvocation, "attention")]
    [InlineData(AssessmentLevel.Alert, "warning")]
    [InlineData(AssessmentLevel.Monitor, "accent")]
    public void Render_colours_the_header_band_by_level_and_keeps_its_text_in_the_default_colour(AssessmentLevel level, string style)
    {
        var header = Card(Model() with { Level = level })["body"]![0]!;

        Assert.Equal(style, (string?)header["style"]);
        Assert.DoesNotContain(Nodes(Card(Model() with { Level = level })), n => n is JsonObject o && o.ContainsKey("color"));
    }

    [Fact]
    public void Render_shows_the_latest_safe_invocation_as_an_absolute_UTC_time_and_the_time_left()
    {
        Assert.Equal("24 Nov 2026 11:00 UTC · 1 h 20 min left", Facts(Model())["Invoke by"]);
    }

    [Fact]
    public void Render_says_how_long_ago_a_latest_safe_invocation_passed()
    {
        var model = Model() with { Services = [Service("ledger", "Core ledger", latestSafeInvocation: "2026-11-24T09:30:00Z")] };

        Assert.Equal("24 Nov 2026 09:30 UTC · passed 10 min ago", Facts(model)["Invoke by"]);
    }

    [Fact]
    public void Render_shows_elapsed_RTO_and_MTPD_in_words()
    {
        var facts = Facts(Model());

        Assert.Equal("1 h 40 min", facts["Elapsed"]);
        Assert.Equal("4 h", facts["RTO"]);
        Assert.Equal("1 d", facts["MTPD"]);
    }

    [Fact]
    public void Render_writes_durations_as_the_reasons_and_the_report_do()
    {
        var model = Model() with { Services = [Service("ledger", "Core ledger") with { Elapsed = "PT30S", Projected = "P8DT21H2M" }] };

        Assert.Equal("30 s · projected 8 d 21 h", Facts(model)["Elapsed"]);
    }

    [Fact]
    public void Render_names_the_service_an_indirect_impact_came_through()
    {
        var model = Model() with { Services = [Service("pay", "Payments", direct: false, via: "Core ledger")] };

        Assert.Contains("Tier 1 · via Core ledger", Texts(model));
    }

    [Fact]
    public void Render_shows_at_most_12_services_and_says_how_many_more()
    {
        var texts = Texts(Model() with { Services = Services(15) });

        Assert.Equal(12, texts.Count(t => t.StartsWith("Service number", StringComparison.Ordinal)));
        Assert.Contains("and 3 more services", texts);
    }

    [Fact]
    public void Render_shows_the_plan_its_documents_as_links_the_reasons_and_who_was_paged()
    {
        var texts = Texts(Model());

        Assert.Contains("Ledger disaster recovery (dr-ledger, version 3)", texts);
        Assert.Contains(("Runbook.pdf", "https://docs.example/plan-documents/dr-ledger/3/Runbook.pdf?sv=2025&sig=abc"), LinkRuns(Model()));
        Assert.Contains("• Core ledger is down for 1 h 40 min, half its RTO of 4 h", texts);
        Assert.Contains("Tier 1: alice@contoso.example, Bob Jones · 24 Nov 2026 09:35 UTC", texts);
    }

    [Fact]
    public void Render_links_the_bridge_and_the_war_room_when_there_are_some()
    {
        var links = LinkRuns(Model() with { BridgeUrl = "https://teams.microsoft.com/l/meetup-join/abc", WarRoomUrl = "https://teams.microsoft.com/l/channel/war" });

        Assert.Contains(("Join the crisis bridge", "https://teams.microsoft.com/l/meetup-join/abc"), links);
        Assert.Contains(("Open the war room", "https://teams.microsoft.com/l/channel/war"), links);
        Assert.DoesNotContain(Texts(Model()), t => t.Contains("bridge", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_offers_acknowledge_invoke_stand_down_and_open_incident_as_links()
    {
        var actions = Actions(Model());

        Assert.Equal(
            [
                ("Action.OpenUrl", "Acknowledge", "https://hub.example/api/decisions/ack-token"),
                ("Action.OpenUrl", "Invoke plan", "https://hub.example/api/decisions/invoke-token"),
                ("Action.OpenUrl", "Stand down", "https://hub.example/api/decisions/standdown-token"),
                ("Action.OpenUrl", "Open incident", "https://contoso.service-now.com/incident.do?sys_id=42"),
            ],
            actions);
    }

    [Fact]
    public void Render_opens_the_source_record_when_the_incident_has_no_page_of_its_own()
    {
        var actions = Actions(Model() with { Actions = Links with { OpenIncident = null } });

        Assert.Equal("https://contoso.service-now.com/nav_to.do?uri=incident.do?sys_id=42", actions.Single(a => a.Title == "Open incident").Url);
    }

    [Fact]
    public void Render_leaves_out_actions_and_links_whose_url_is_not_http()
    {
        var model = Model() with
        {
            Actions = Links with { Acknowledge = new Uri("javascript:alert(1)"), OpenIncident = new Uri("file:///etc/passwd") },
            SourceLink = new Uri("ftp://contoso.example/x"),
            Documents = [new CardDocument("Runbook.pdf", new Uri("data:text/html,<script>alert(1)</script>"))],
            BridgeUrl = "javascript:alert(1)",
            WarRoomUrl = "/relative/path",
        };

        var actions = Actions(model);
        var json = AdaptiveCards.Render(model).CardJson;

        Assert.Equal(["Invoke plan", "Stand down"], actions.Select(a => a.Title));
        Assert.DoesNotContain("javascript", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ftp:", json, StringComparison.Ordinal);
        Assert.DoesNotContain("data:", json, StringComparison.Ordinal);
        Assert.Contains("Runbook.pdf", Texts(model));
        Assert.DoesNotContain(LinkRuns(model), l => l.Text == "Runbook.pdf");
    }

    [Fact]
    public void Acknowledge_is_positive_and_Invoke_destructive()
    {
        var styles = Card(Model())["actions"]!.AsArray().ToDictionary(a => (string)a!["title"]!, a => (string?)a!["style"]);

        Assert.Equal("positive", styles["Acknowledge"]);
        Assert.Equal("destructive", styles["Invoke plan"]);
        Assert.Null(styles["Stand down"]);
    }

    [Fact]
    public void A_plan_invoked_card_offers_neither_invoke_nor_acknowledge_and_no_countdown_even_when_links_are_given()
    {
        var model = Model() with { Kind = AlertCardKind.Invoked, Level = AssessmentLevel.Invoke, Note = "Plan dr-ledger invoked by alice at 24 Nov 2026 09:40 UTC." };

        Assert.Equal(["Stand down", "Open incident"], Actions(model).Select(a => a.Title));
        Assert.False(Facts(model).ContainsKey("Invoke by"));
    }

    [Fact]
    public void An_acknowledged_card_does_not_offer_acknowledge_again()
    {
        Assert.Equal(["Invoke plan", "Stand down", "Open incident"], Actions(Model() with { Kind = AlertCardKind.Acknowledged }).Select(a => a.Title));
    }

    [Fact]
    public void A_stand_down_card_shows_no_countdown()
    {
        var facts = Facts(Model() with { Kind = AlertCardKind.StandDown, Level = AssessmentLevel.None });

        Assert.False(facts.ContainsKey("Invoke by"));
        Assert.Equal("4 h", facts["RTO"]);
    }

    [Fact]
    public void A_stand_down_card_has_no_actions_and_a_good_header()
    {
        var card = Card(Model() with { Kind = AlertCardKind.StandDown, Level = AssessmentLevel.None, Actions = null, Note = "Stood down by alice@contoso.example" });

        Assert.Null(card["actions"]);
        Assert.Equal("good", (string?)card["body"]![0]!["style"]);
        Assert.Contains("Stand-down", Strings(card));
        Assert.Contains("Stood down by alice@contoso.example", Strings(card));
    }

    [Fact]
    public void A_stand_down_card_has_no_actions_even_when_links_are_given()
    {
        Assert.Null(Card(Model() with { Kind = AlertCardKind.StandDown })["actions"]);
    }

    [Fact]
    public void The_summary_is_one_line_with_level_incident_title_and_plan()
    {
        Assert.Equal("[Alert] INC0012345 Core ledger down — plan dr-ledger", AdaptiveCards.Render(Model()).Summary);
        Assert.Equal("[Stand-down] INC0012345 Core ledger down — plan dr-ledger", AdaptiveCards.Render(Model() with { Kind = AlertCardKind.StandDown }).Summary);
    }

    [Fact]
    public void An_Azure_Monitor_alert_is_named_by_its_own_id_not_its_whole_resource_path()
    {
        var model = Model() with { IncidentKey = "azuremonitor~" + Uri.EscapeDataString("/subscriptions/7c1d/providers/Microsoft.AlertsManagement/alerts/4c2e8a1f"), Source = "azuremonitor" };

        Assert.StartsWith("[Alert] 4c2e8a1f Core ledger down", AdaptiveCards.Render(model).Summary, StringComparison.Ordinal);
        Assert.Contains("azuremonitor · 4c2e8a1f · Open in azuremonitor", Texts(model));
    }

    [Fact]
    public void The_summary_has_no_control_characters_and_is_capped_but_keeps_the_plan()
    {
        var summary = AdaptiveCards.Render(Model() with { IncidentTitle = "Core\r\nledger\u0000 down " + new string('x', 500) }).Summary;

        Assert.StartsWith("[Alert] INC0012345 Core ledger down xxx", summary, StringComparison.Ordinal);
        Assert.EndsWith("… — plan dr-ledger", summary, StringComparison.Ordinal);
        Assert.True(summary.Length <= 200, $"{summary.Length} characters");
        Assert.DoesNotContain(summary, char.IsControl);
    }

    [Fact]
    public void Incident_and_catalogue_text_is_never_in_a_TextBlock_or_fact_that_Teams_would_read_as_markdown()
    {
        const string Marker = "[click](http://evil.example) **x**";
        var model = Model() with
        {
            IncidentTitle = Marker,
            PlanTitle = Marker,
            Note = Marker,
            Decision = Marker,
            Elsewhere = Marker,
            Reasons = [Marker],
            Services = [Service(Marker, Marker, direct: false, via: Marker, latestSafeInvocation: Marker) with { Rto = Marker, Elapsed = Marker }],
            Documents = [new CardDocument(Marker, new Uri("https://docs.example/x.pdf"))],
            Paged = [new PagedTier(0, [Marker], At)],
        };

        var card = Card(model);
        var markdown = Nodes(card).OfType<JsonObject>()
            .SelectMany(o => (string?)o["type"] == "TextBlock" ? [(string?)o["text"]] : o.ContainsKey("title") && o.ContainsKey("value") ? [(string?)o["title"], (string?)o["value"]] : Array.Empty<string?>());

        Assert.DoesNotContain(markdown, t => t!.Contains("click", StringComparison.Ordinal));
        Assert.Contains(Marker, Texts(model));
        Assert.DoesNotContain(Strings(card), s => s.Contains('\\', StringComparison.Ordinal));
    }

    [Fact]
    public void Date_and_time_functions_in_incident_text_are_not_evaluated()
    {
        var model = Model() with
        {
            IncidentTitle = "{{DATE(2026-01-01T00:00:00Z)}}",
            Reasons = ["{{TIME(2026-01-01T00:00:00Z)}}"],
            Services = [Service("x", "{{DATE(2026-01-01T00:00:00Z, SHORT)}}")],
        };

        var strings = Strings(Card(model));

        Assert.DoesNotContain(strings, s => s.Contains("{{", StringComparison.Ordinal) || s.Contains("}}", StringComparison.Ordinal));
        Assert.Contains("{{DATE(2026-01-01T00:00:00Z)}}", Texts(model));
        Assert.Contains("• {{TIME(2026-01-01T00:00:00Z)}}", Texts(model));
    }

    [Fact]
    public void Html_quotes_and_control_characters_from_an_incident_come_out_inert()
    {
        var model = Model() with
        {
            IncidentTitle = "<script>alert(1)</script> \"quoted\"\u0007\u202E",
            Reasons = ["line one\nline two\r\u0000"],
            Paged = [new PagedTier(0, ["eve\"<b>\u0001"], At)],
        };

        var json = AdaptiveCards.Render(model).CardJson;
        var strings = Strings(Card(model));

        Assert.DoesNotContain("<script", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<script>alert(1)</script> \"quoted\"", Texts(model));
        Assert.Contains("• line one line two", Texts(model));
        Assert.DoesNotContain(strings, s => s.Any(c => char.IsControl(c) || c == '\u202E'));
    }

    [Fact]
    public void A_card_for_300_services_stays_under_the_Teams_message_limit()
    {
        var card = AdaptiveCards.Render(Model() with { Services = Services(300) });

        Assert.True(TeamsMessage.RequestBytes(card) <= TeamsMessage.MaxRequestBytes, $"{TeamsMessage.RequestBytes(card)} bytes");
        Assert.Contains("and 288 more services", Texts(Model() with { Services = Services(300) }));
    }

    [Fact]
    public void A_card_with_everything_huge_and_hostile_stays_under_the_Teams_message_limit_inside_a_Graph_message()
    {
        // Arrange: every list long, every string long and made of characters that grow when escaped.
        var hostile = string.Concat(Enumerable.Repeat("<\"\\{[", 2000));
        var url = new Uri("https://docs.example/" + new string('a', 1500) + "?sv=1&sig=" + new string('b', 400));
        var model = Model() with
        {
            IncidentTitle = hostile,
            PlanTitle = hostile,
            PlanId = hostile,
            PlanVersion = hostile,
            Source = hostile,
            IncidentKey = hostile,
            Note = hostile,
            Services = [.. Enumerable.Range(0, 300).Select(i => Service(hostile, hostile, direct: false, via: hostile, latestSafeInvocation: hostile))],
            Reasons = [.. Enumerable.Repeat(hostile, 300)],
            Documents = [.. Enumerable.Repeat(new CardDocument(hostile, url), 100)],
            Paged = [.. Enumerable.Range(0, 20).Select(i => new PagedTier(i, [.. Enumerable.Repeat(hostile, 50)], At))],
            SourceLink = url,
            BridgeUrl = url.AbsoluteUri,
            WarRoomUrl = url.AbsoluteUri,
            Actions = new CardActions(url, url, url, url),
        };

        // Act
        var card = AdaptiveCards.Render(model);
        var message = JsonSerializer.Serialize(new { body = new { contentType = "html", content = "<attachment id=\"00000000000000000000000000000000\"></attachment>" }, attachments = new[] { new { id = "00000000000000000000000000000000", contentType = "application/vnd.microsoft.card.adaptive", content = card.CardJson } }, summary = card.Summary });

        // Assert: measured as Graph's SDK writes it (every quote and non-ASCII character as \\uXXXX).
        Assert.True(Encoding.UTF8.GetByteCount(message) <= TeamsMessage.MaxRequestBytes, $"{Encoding.UTF8.GetByteCount(message)} bytes");
        Assert.Equal(Encoding.UTF8.GetByteCount(message), TeamsMessage.RequestBytes(card));
        Assert.Equal("1.5", (string?)JsonNode.Parse(card.CardJson)!["version"]);
        Assert.Equal(4, Actions(model).Count);
    }

    [Fact]
    public void Arbitrary_strings_always_give_a_valid_card_that_fits_a_Teams_message()
    {
        var models =
            from title in _text
            from reasons in _text.Array[0, 3]
            from names in _text.Array[0, 3]
            from note in _text
            select Model() with
            {
                IncidentTitle = title,
                Reasons = reasons,
                Services = [.. names.Select(n => Service(n, n, direct: false, via: n))],
                Note = note,
                Paged = [new PagedTier(0, names, At)],
            };

        models.Sample(
            model =>
            {
                var card = AdaptiveCards.Render(model);
                var parsed = JsonNode.Parse(card.CardJson)!;
                Assert.Equal("1.5", (string?)parsed["version"]);
                Assert.Equal("AdaptiveCard", (string?)parsed["type"]);
                Assert.DoesNotContain(Strings(parsed), s => s.Contains("{{", StringComparison.Ordinal) || s.Any(char.IsControl));
                Assert.DoesNotContain(card.Summary, char.IsControl);
                Assert.True(TeamsMessage.RequestBytes(card) <= TeamsMessage.MaxRequestBytes);
            },
            iter: 500);
    }

    internal static JsonNode Card(AlertCardModel model) => JsonNode.Parse(AdaptiveCards.Render(model).CardJson)!;

    /// <summary>The text of every TextBlock and RichTextBlock (its runs joined), in order: what a reader sees.</summary>
    internal static List<string> Texts(AlertCardModel model) =>
        [.. Nodes(Card(model)).OfType<JsonObject>().Select(o => (string?)o["type"] switch
        {
            "TextBlock" => (string?)o["text"],
            "RichTextBlock" => string.Concat(o["inlines"]!.AsArray().Select(i => (string?)i!["text"])),
            _ => null,
        }).OfType<string>()];

    /// <summary>Every TextRun that opens a link: its text and URL.</summary>
    private static List<(string Text, string Url)> LinkRuns(AlertCardModel model) =>
        [.. Nodes(Card(model)).OfType<JsonObject>()
            .Where(o => (string?)o["type"] == "TextRun" && o["selectAction"] is not null)
            .Select(o => ((string)o["text"]!, (string)o["selectAction"]!["url"]!))];

    /// <summary>Every fact of every FactSet, by title (the last one wins).</summary>
    private static Dictionary<string, string> Facts(AlertCardModel model)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in Nodes(Card(model)).Where(n => n is JsonObject o && (string?)o["type"] == "FactSet"))
        {
            foreach (var fact in set!["facts"]!.AsArray())
            {
                facts[(string)fact!["title"]!] = (string)fact["value"]!;
            }
        }

        return facts;
    }

    private static List<(string Type, string Title, string Url)> Actions(AlertCardModel model) =>
        Card(model)["actions"] is JsonArray actions
            ? [.. actions.Select(a => ((string)a!["type"]!, (string)a["title"]!, (string)a["url"]!))]
            : [];

    /// <summary>Every string value anywhere in the card.</summary>
    private static List<string> Strings(JsonNode card) =>
        [.. Nodes(card).OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())];

    internal static IEnumerable<JsonNode?> Nodes(JsonNode? node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var descendant in Nodes(child))
            {
                yield return descendant;
            }
        }
    }
}
