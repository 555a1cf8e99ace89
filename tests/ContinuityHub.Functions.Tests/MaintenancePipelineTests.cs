using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.Azure.Functions.Worker;
using static ContinuityHub.Functions.Tests.TeamsHarness;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// A maintenance window through the functions as the host calls them: before it an outage alerts as ever; during it the
/// incident is recorded and assessed at Monitor, no card, nobody paged, nothing escalated; when it ends with the incident
/// still open the crisis team hears of it, with the window named and the clock counted from the real start.
/// </summary>
public sealed class MaintenancePipelineTests(AzuriteFixture azurite)
{
    private const string Channel = CrisisTeamCatalog.Channel;

    /// <summary>Five minutes into an outage of online banking that started at 10:25 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ContinuityCatalog Catalog(DateTimeOffset start, DateTimeOffset end) =>
        CrisisTeamCatalog.Create() with
        {
            Maintenance = [new MaintenanceWindow("mw-banking-release", [CrisisTeamCatalog.Service], start, end, null, "Mobile banking release 4.2", "cab@contoso.example")],
        };

    [Fact]
    public async Task During_a_window_the_incident_is_monitored_without_a_card_and_when_it_ends_the_team_hears_of_it_with_the_window_named()
    {
        await using var h = await TeamsHarness.StartAsync(azurite, Catalog(Now.AddMinutes(-10), Now.AddMinutes(30)), Now);

        var during = await h.ReceiveAsync(Outage());
        await h.SweepAsync();
        h.Time.Advance(TimeSpan.FromMinutes(20));
        await h.ReassessAsync();
        await h.EscalateAsync();
        await h.SweepAsync();

        Assert.Equal(AssessmentLevel.Monitor, during.Level);
        Assert.Empty(Alerts(h));
        Assert.Contains("Maintenance began", CardOf(Assert.Single(h.CardsIn(Channel))), StringComparison.Ordinal);
        Assert.Empty(h.ActivityRecipients());
        var stored = (await h.Get<Intake.IIncidentStore>().FindAsync(during.IncidentKey, Token))!;
        Assert.Contains(stored.LatestAssessment!.Reasons, r => r.Contains("maintenance window mw-banking-release (Mobile banking release 4.2; approved by cab@contoso.example)", StringComparison.Ordinal));

        h.Time.Advance(TimeSpan.FromMinutes(11));
        await h.ReassessAsync();
        await h.SweepAsync();

        var card = CardOf(Assert.Single(Alerts(h)));
        Assert.Contains("the incident began during maintenance window mw-banking-release", card, StringComparison.Ordinal);
        Assert.Single(h.CardsIn(Channel), c => CardOf(c).Contains("Maintenance ended", StringComparison.Ordinal));
        var after = (await h.Get<Intake.IIncidentStore>().FindAsync(during.IncidentKey, Token))!;
        Assert.True(after.Level >= AssessmentLevel.Alert, after.Level.ToString());
        Assert.Equal(TimeSpan.FromMinutes(36), System.Xml.XmlConvert.ToTimeSpan(Assert.Single(after.LatestAssessment!.ImpactedServices).Elapsed));
        Assert.NotEmpty(h.ActivityRecipients());
    }

    [Fact]
    public async Task Before_its_window_an_outage_alerts_the_crisis_team_as_ever()
    {
        await using var h = await TeamsHarness.StartAsync(azurite, Catalog(Now.AddHours(2), Now.AddHours(4)), Now);

        var result = await h.ReceiveAsync(Outage());
        await h.SweepAsync();

        Assert.Equal(AssessmentLevel.Alert, result.Level);
        Assert.Single(h.CardsIn(Channel));
    }

    [Fact]
    public async Task A_windows_start_and_end_are_one_message_each_in_the_crisis_channel_of_a_plan_covering_a_tier_1_service()
    {
        await using var h = await TeamsHarness.StartAsync(azurite, Catalog(Now.AddMinutes(5), Now.AddMinutes(65)), Now);

        await h.ReassessAsync();
        var before = h.CardsIn(Channel).Count;
        for (var minutes = 0; minutes < 80; minutes += 10)
        {
            h.Time.Advance(TimeSpan.FromMinutes(10));
            await h.ReassessAsync();
        }

        Assert.Equal(0, before);
        var notices = h.CardsIn(Channel).Select(CardOf).ToList();
        Assert.Equal(2, notices.Count);
        Assert.Contains("Maintenance began", notices[0], StringComparison.Ordinal);
        Assert.Contains("Mobile banking release 4.2", notices[0], StringComparison.Ordinal);
        Assert.Contains("Maintenance ended", notices[1], StringComparison.Ordinal);
    }

    // The alert cards in the crisis channel: not the maintenance notices.
    private static List<ContinuityHub.Local.RecordedRequest> Alerts(TeamsHarness h) =>
        [.. h.CardsIn(Channel).Where(c => !CardOf(c).Contains("Maintenance", StringComparison.Ordinal))];

    private static string Outage() =>
        """{"id": "INC-MW1", "title": "INC-MW1 online banking down", "priority": "P1", "major": true, "state": "Open", "startedAt": "2026-11-24T10:25:00Z", "services": ["online-banking"]}""";
}
