using System.Text;
using Azure.Identity;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Local;
using ContinuityHub.Notifications;
using Microsoft.Identity.Client;

namespace ContinuityHub.Azure.Tests.Graph;

public sealed class GraphTeamsGatewayTests : IAsyncLifetime
{
    private const string Team = "team-payments";
    private const string Channel = "19:crisis@thread.tacv2";

    private GraphHarness _harness = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private LocalGraph Graph => _harness.Graph;

    private GraphTeamsGateway Gateway => _harness.Gateway;

    public async ValueTask InitializeAsync() => _harness = await GraphHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Channel_post_carries_the_adaptive_card_attachment_referenced_from_the_html_body()
    {
        var card = GraphHarness.Card();

        var posted = await Gateway.PostCardAsync(Team, Channel, card, Token);

        var request = Assert.Single(Graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1.0/teams/{Team}/channels/{Channel}/messages", request.Path);
        var body = request.Json!.AsObject();
        var attachment = Assert.Single(body["attachments"]!.AsArray())!.AsObject();
        var attachmentId = attachment["id"]!.GetValue<string>();
        Assert.Equal("html", body["body"]!["contentType"]!.GetValue<string>());
        Assert.Equal($"<attachment id=\"{attachmentId}\"></attachment>", body["body"]!["content"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal(card.CardJson, attachment["content"]!.GetValue<string>());
        Assert.Equal(card.CardJson, request.CardJson);
        Assert.Equal(card.Summary, body["summary"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(posted.Id));
        Assert.Contains(posted.Id, posted.WebUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hub_measures_a_card_post_to_the_byte_as_the_Graph_SDK_sends_it_and_a_hostile_card_stays_under_the_Teams_limit()
    {
        // Arrange: every list long, every string made of what grows when the SDK escapes it (quotes, <, non-ASCII, emoji).
        var hostile = string.Concat(Enumerable.Repeat("<\"é😀{[", 500));
        var url = new Uri("https://docs.example/" + new string('a', 1500));
        var service = new ServiceClockDocument(hostile, hostile, 1, false, hostile, "PT1H", "PT2H", "PT4H", "P1D", "2026-12-03T12:00:00Z", hostile, "Alert");
        var model = new AlertCardModel(
            AlertCardKind.Alert, AssessmentLevel.Invoke, DateTimeOffset.UnixEpoch, hostile, hostile, hostile, url, hostile, hostile, hostile,
            [.. Enumerable.Repeat(new CardDocument(hostile, url), 50)], [.. Enumerable.Repeat(service, 200)], [.. Enumerable.Repeat(hostile, 100)],
            [.. Enumerable.Range(0, 10).Select(i => new ContinuityHub.Outbox.PagedTier(i, [.. Enumerable.Repeat(hostile, 30)], DateTimeOffset.UnixEpoch))],
            url.AbsoluteUri, url.AbsoluteUri, new CardActions(url, url, url, url), hostile, hostile, hostile);
        var card = AdaptiveCards.Render(model);

        // Act
        await Gateway.PostCardAsync(Team, Channel, card, Token);

        // Assert
        var sent = Encoding.UTF8.GetByteCount(Assert.Single(Graph.Requests).Body);
        Assert.Equal(sent, TeamsMessage.RequestBytes(card));
        Assert.InRange(sent, 1, TeamsMessage.MaxRequestBytes);
    }

    [Fact]
    public async Task Channel_posts_carry_the_delegated_token_and_everything_else_the_app_token()
    {
        var posted = await Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token);
        await Gateway.ReplyCardAsync(Team, Channel, posted.Id, GraphHarness.Card("Payments: Invoke"), Token);
        await Gateway.NotifyActivityAsync("ada@contoso.example", Notice(), Token);
        await Gateway.SendMailAsync("ada@contoso.example", new MailNotice("Alert", "<p>Alert</p>"), Token);
        await Gateway.CreateMeetingAsync(Meeting(), Token);
        var room = await Gateway.CreateWarRoomAsync(new WarRoomRequest(Team, "War room", "Payments outage", ["ada@contoso.example", "bob@contoso.example"]), Token);
        await Gateway.AddChannelMemberAsync(Team, room.Id, "bob@contoso.example", Token);

        var tokens = Graph.Requests.Select(r => (r.Path.Contains("/messages", StringComparison.Ordinal), r.BearerToken)).ToList();
        Assert.Equal(7, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(t.Item1 ? "delegated-token" : "app-token", t.BearerToken));
        Assert.Equal(2, tokens.Count(t => t.Item1));
        Assert.All(_harness.App.Scopes, scope => Assert.Equal(GraphClients.AppScope, scope));
        Assert.All(((TestCredential)_harness.Delegated).Scopes, scope => Assert.Equal(GraphClients.DelegatedScope, scope));
    }

    [Fact]
    public async Task Reply_goes_under_the_first_message_with_its_own_card()
    {
        var first = await Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token);
        var card = GraphHarness.Card("Payments: RecommendInvocation");

        var reply = await Gateway.ReplyCardAsync(Team, Channel, first.Id, card, Token);

        var request = Graph.Requests[^1];
        Assert.Equal($"/v1.0/teams/{Team}/channels/{Channel}/messages/{first.Id}/replies", request.Path);
        Assert.Equal(card.CardJson, request.CardJson);
        Assert.NotEqual(first.Id, reply.Id);
    }

    [Fact]
    public async Task Activity_notification_carries_a_text_topic_the_activity_type_the_preview_and_the_template_parameters()
    {
        await Gateway.NotifyActivityAsync("ada@contoso.example", Notice(), Token);

        var request = Assert.Single(Graph.Requests);
        Assert.Equal("/v1.0/users/ada@contoso.example/teamwork/sendActivityNotification", request.Path);
        Assert.Equal(204, request.Status);
        var body = request.Json!;
        Assert.Equal("text", body["topic"]!["source"]!.GetValue<string>());
        Assert.Equal("Payments outage", body["topic"]!["value"]!.GetValue<string>());
        Assert.Equal("https://teams.microsoft.com/l/message/x/1", body["topic"]!["webUrl"]!.GetValue<string>());
        Assert.Equal("continuityAlert", body["activityType"]!.GetValue<string>());
        Assert.Equal("Alert: Payments", body["previewText"]!["content"]!.GetValue<string>());
        var parameters = body["templateParameters"]!.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["value"]!.GetValue<string>()));
        Assert.Equal([("level", "Alert"), ("incident", "INC-1")], parameters);
    }

    [Fact]
    public async Task Mail_is_sent_from_the_shared_mailbox_as_html_and_not_saved_to_sent_items()
    {
        await Gateway.SendMailAsync("ada@contoso.example", new MailNotice("Payments: Alert", "<p>Payments &amp; cards</p>"), Token);

        var request = Assert.Single(Graph.Requests);
        Assert.Equal($"/v1.0/users/{GraphHarness.MailSender}/sendMail", request.Path);
        Assert.Equal(202, request.Status);
        var message = request.Json!["message"]!;
        Assert.Equal("Payments: Alert", message["subject"]!.GetValue<string>());
        Assert.Equal("html", message["body"]!["contentType"]!.GetValue<string>());
        Assert.Equal("<p>Payments &amp; cards</p>", message["body"]!["content"]!.GetValue<string>());
        Assert.Equal("ada@contoso.example", message["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>());
        Assert.False(request.Json!["saveToSentItems"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Mail_without_a_shared_mailbox_fails_for_good_and_names_Graph_MailSender()
    {
        await using var harness = await GraphHarness.StartAsync(configure: options => options.MailSender = null);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => harness.Gateway.SendMailAsync("ada@contoso.example", new MailNotice("s", "b"), Token));

        Assert.False(failure.Transient);
        Assert.Contains("Graph:MailSender", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Graph.Requests);
    }

    [Fact]
    public async Task Meeting_is_created_for_the_organizer_with_the_attendees_and_its_join_link_returned()
    {
        var joinUrl = await Gateway.CreateMeetingAsync(Meeting(), Token);

        var request = Assert.Single(Graph.Requests);
        Assert.Equal($"/v1.0/users/{GraphHarness.MeetingOrganizer}/onlineMeetings", request.Path);
        var body = request.Json!;
        Assert.Equal("Bridge: Payments outage", body["subject"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), body["startDateTime"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), body["endDateTime"]!.GetValue<DateTimeOffset>());
        var attendees = body["participants"]!["attendees"]!.AsArray().Select(a => a!["upn"]!.GetValue<string>());
        Assert.Equal(["ada@contoso.example", "bob@contoso.example"], attendees);
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/", joinUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Meeting_without_an_organizer_fails_for_good_and_names_Graph_MeetingOrganizer()
    {
        await using var harness = await GraphHarness.StartAsync(configure: options => options.MeetingOrganizer = " ");

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(() => harness.Gateway.CreateMeetingAsync(Meeting(), Token));

        Assert.False(failure.Transient);
        Assert.Contains("Graph:MeetingOrganizer", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Graph.Requests);
    }

    [Fact]
    public async Task War_room_is_a_private_channel_owned_by_the_first_member_with_the_others_added_as_members()
    {
        var request = new WarRoomRequest(Team, "War room INC-1", "Payments outage", ["ada@contoso.example", "bob@contoso.example", "o'neil@contoso.example"]);

        var created = await Gateway.CreateWarRoomAsync(request, Token);
        foreach (var member in request.Members.Skip(1))
        {
            await Gateway.AddChannelMemberAsync(Team, created.Id, member, Token);
        }

        var requests = Graph.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal($"/v1.0/teams/{Team}/channels", requests[0].Path);
        var channel = requests[0].Json!;
        Assert.Equal("War room INC-1", channel["displayName"]!.GetValue<string>());
        Assert.Equal("Payments outage", channel["description"]!.GetValue<string>());
        Assert.Equal("private", channel["membershipType"]!.GetValue<string>());
        var owner = Assert.Single(channel["members"]!.AsArray())!;
        Assert.Equal("#microsoft.graph.aadUserConversationMember", owner["@odata.type"]!.GetValue<string>());
        Assert.Equal("https://graph.microsoft.com/v1.0/users('ada@contoso.example')", owner["user@odata.bind"]!.GetValue<string>());
        Assert.Equal(["owner"], owner["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.All(requests.Skip(1), r => Assert.Equal($"/v1.0/teams/{Team}/channels/{created.Id}/members", r.Path));
        Assert.Equal(
            ["https://graph.microsoft.com/v1.0/users('bob@contoso.example')", "https://graph.microsoft.com/v1.0/users('o''neil@contoso.example')"],
            requests.Skip(1).Select(r => r.Json!["user@odata.bind"]!.GetValue<string>()));
        Assert.All(requests.Skip(1), r => Assert.Empty(r.Json!["roles"]!.AsArray()));
        Assert.StartsWith("https://teams.microsoft.com/l/channel/", created.WebUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_post_answered_429_twice_is_delivered_exactly_once_by_the_SDK_retry_handler()
    {
        Graph.Fail(2, 429, retryAfter: TimeSpan.Zero);

        var posted = await Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token);

        var requests = Graph.RequestsTo("/messages");
        Assert.Equal([429, 429, 201], requests.Select(r => r.Status));
        Assert.Equal([true, true, false], requests.Select(r => r.Injected));
        Assert.Single(Graph.DeliveredTo("/messages"));
        Assert.Equal("2", requests[2].Headers["Retry-Attempt"]);
        Assert.Equal(requests[0].Body, requests[2].Body);
        Assert.False(string.IsNullOrEmpty(posted.Id));
    }

    [Fact]
    public async Task Service_unavailable_beyond_the_SDK_retries_is_a_transient_failure_with_the_status()
    {
        Graph.Fail(4, 503, retryAfter: TimeSpan.Zero);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token));

        Assert.True(failure.Transient);
        Assert.Equal(503, failure.Status);
        Assert.Contains("ServiceUnavailable", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, Graph.Requests.Count);
        Assert.Empty(Graph.DeliveredTo("/messages"));
    }

    [Fact]
    public async Task Forbidden_is_a_failure_for_good_with_Graphs_error_code()
    {
        Graph.Fail(1, 403);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => Gateway.NotifyActivityAsync("ada@contoso.example", Notice(), Token));

        Assert.False(failure.Transient);
        Assert.False(failure.SignInRequired);
        Assert.Equal(403, failure.Status);
        Assert.Contains("Forbidden", failure.Message, StringComparison.Ordinal);
        Assert.Single(Graph.Requests);
    }

    [Fact]
    public async Task Only_the_matching_requests_get_the_injected_fault()
    {
        Graph.Fail(1, 403, when: r => r.Path.EndsWith("/sendMail", StringComparison.Ordinal));

        await Gateway.NotifyActivityAsync("ada@contoso.example", Notice(), Token);
        await Assert.ThrowsAsync<TeamsDeliveryException>(() => Gateway.SendMailAsync("ada@contoso.example", new MailNotice("s", "b"), Token));
        await Gateway.SendMailAsync("ada@contoso.example", new MailNotice("s", "b"), Token);

        Assert.Equal([204, 403, 202], Graph.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Notifications_account_that_cannot_sign_in_means_sign_in_required_and_nothing_is_sent()
    {
        var unavailable = new TestCredential("never", () => new CredentialUnavailableException("No account in the token cache."));
        await using var harness = await GraphHarness.StartAsync(delegated: unavailable);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => harness.Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token));

        Assert.True(failure.SignInRequired);
        Assert.True(failure.Transient);
        Assert.Contains("hub graph login", failure.Message, StringComparison.Ordinal);
        Assert.IsType<CredentialUnavailableException>(failure.InnerException);
        Assert.Empty(harness.Graph.Requests);
    }

    [Fact]
    public async Task Notifications_account_whose_sign_in_MSAL_cannot_refresh_means_sign_in_required()
    {
        var expired = new TestCredential("never", () => new AuthenticationFailedException("refresh failed", new MsalUiRequiredException("invalid_grant", "AADSTS700082")));
        await using var harness = await GraphHarness.StartAsync(delegated: expired);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => harness.Gateway.ReplyCardAsync(Team, Channel, "1", GraphHarness.Card(), Token));

        Assert.True(failure.SignInRequired);
        Assert.Empty(harness.Graph.Requests);
    }

    [Fact]
    public async Task Notifications_account_that_cannot_reach_Entra_ID_is_transient_without_asking_for_sign_in()
    {
        var unreachable = new TestCredential("never", () => new AuthenticationFailedException("login.microsoftonline.com unreachable"));
        await using var harness = await GraphHarness.StartAsync(delegated: unreachable);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => harness.Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token));

        Assert.True(failure.Transient);
        Assert.False(failure.SignInRequired);
    }

    [Fact]
    public async Task Notifications_account_whose_token_is_refused_means_sign_in_required()
    {
        Graph.Fail(1, 401);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token));

        Assert.True(failure.SignInRequired);
        Assert.Equal(401, failure.Status);
    }

    [Fact]
    public async Task A_request_that_gets_no_answer_times_out_as_a_transient_failure()
    {
        await using var harness = await GraphHarness.StartAsync(requestTimeout: TimeSpan.FromMilliseconds(300));
        harness.Graph.Hang(1);

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(
            () => harness.Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token));

        Assert.True(failure.Transient);
        Assert.Null(failure.Status);
        Assert.IsType<TimeoutException>(failure.InnerException);
        var held = Assert.Single(harness.Graph.Requests);
        Assert.Equal((0, true), (held.Status, held.Injected));
    }

    [Fact]
    public async Task The_callers_cancellation_passes_through_as_OperationCanceledException()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var cancelling = new TestCredential("delegated-token", onToken: cancellation.Cancel);
        await using var harness = await GraphHarness.StartAsync(delegated: cancelling);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => harness.Gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), cancellation.Token));
    }

    [Fact]
    public async Task Unconfigured_gateway_keeps_notifications_in_the_outbox_with_a_transient_failure()
    {
        var gateway = new UnconfiguredTeamsGateway();

        var failure = await Assert.ThrowsAsync<TeamsDeliveryException>(() => gateway.PostCardAsync(Team, Channel, GraphHarness.Card(), Token));

        Assert.True(failure.Transient);
        Assert.Contains("Graph:TenantId", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Graph:BaseUrl", failure.Message, StringComparison.Ordinal);
    }

    private static ActivityNotice Notice() => new(
        "continuityAlert",
        "Payments outage",
        "Alert: Payments",
        "https://teams.microsoft.com/l/message/x/1",
        new Dictionary<string, string> { ["level"] = "Alert", ["incident"] = "INC-1" });

    private static MeetingRequest Meeting() => new(
        "Bridge: Payments outage",
        new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero),
        ["ada@contoso.example", "bob@contoso.example"]);
}
