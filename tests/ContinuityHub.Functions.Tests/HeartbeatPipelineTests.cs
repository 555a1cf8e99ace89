using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Catalog;
using ContinuityHub.Heartbeats;
using ContinuityHub.Outbox;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using static ContinuityHub.Functions.Tests.TeamsHarness;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// The RPO clock through the functions as the host calls them, on Azurite with a fake clock: a backup job's heartbeat
/// on time, late, at risk (the crisis team alerted once), breached (the level rises), recovered (stood down once);
/// a paused heartbeat raises nothing; an undeclared one is a 404 that creates nothing.
/// </summary>
public sealed class HeartbeatPipelineTests(AzuriteFixture azurite)
{
    private const string Service = CrisisTeamCatalog.Service;
    private const string Heartbeat = "db-log-shipping";
    private const string Secret = "a heartbeat secret";
    private const string Channel = CrisisTeamCatalog.Channel;
    private static readonly string Key = $"heartbeat~{Service}~{Heartbeat}";

    /// <summary>RPO 15 min; a log-shipping job every 5 min, 1 min grace; the warning at 80 %: 12 min.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_heartbeat_walks_on_time_late_at_risk_breached_and_recovered_with_one_alert_and_one_stand_down()
    {
        await using var h = await StartAsync();
        var beat = await BeatAsync(h, Heartbeat, $$"""{"recoveryPointAt": "{{AssessmentJson.Time(T0)}}"}""");
        Assert.Equal((200, "Ok"), (beat.Status, State(beat)));

        var states = new List<string>();
        foreach (var minutes in new[] { 5, 2, 5 })
        {
            h.Time.Advance(TimeSpan.FromMinutes(minutes));
            await CheckAsync(h);
            await h.SweepAsync();
            states.Add(await StateAsync(h));
        }

        Assert.Equal(["Ok", "Late", "AtRisk"], states);
        var opened = (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!;
        Assert.Equal(AssessmentLevel.Alert, opened.Level);
        var alert = CardOf(Assert.Single(h.CardsIn(Channel)));
        Assert.Contains("RPO at risk", alert, StringComparison.Ordinal);
        Assert.Contains("last recovery point 12 min ago, RPO 15 min", alert, StringComparison.Ordinal);

        h.Time.Advance(TimeSpan.FromMinutes(4));
        await h.ReassessAsync();
        await CheckAsync(h);
        await h.SweepAsync();
        Assert.Equal("Breached", await StateAsync(h));
        Assert.Equal(AssessmentLevel.RecommendInvocation, (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!.Level);
        Assert.Contains("changes since 24 Nov 2026 02:00 UTC are at risk", CardOf(h.RepliesIn(Channel)[^1]), StringComparison.Ordinal);

        var fresh = await BeatAsync(h, Heartbeat, string.Empty);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await CheckAsync(h);
        await h.SweepAsync();

        Assert.Equal((200, "Ok"), (fresh.Status, State(fresh)));
        Assert.Single(h.CardsIn(Channel));
        Assert.Single(h.RepliesIn(Channel), r => CardOf(r).Contains("Stand-down", StringComparison.Ordinal));
        Assert.Equal(AssessmentLevel.None, (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!.Level);
        Assert.Equal(0, await h.PendingAsync(Key));
    }

    [Fact]
    public async Task A_heartbeat_that_goes_quiet_again_after_recovering_alerts_the_crisis_team_again_from_its_new_recovery_point()
    {
        await using var h = await StartAsync();
        await BeatAsync(h, Heartbeat, string.Empty);
        h.Time.Advance(TimeSpan.FromMinutes(13));
        await CheckAsync(h);
        await h.SweepAsync();
        await BeatAsync(h, Heartbeat, string.Empty);
        await CheckAsync(h);
        await h.SweepAsync();

        h.Time.Advance(TimeSpan.FromMinutes(13));
        await CheckAsync(h);
        await h.SweepAsync();

        var again = (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!;
        Assert.Equal(AssessmentLevel.Alert, again.Level);
        Assert.Equal(T0.AddMinutes(13), again.Incident.StartedAt);
        Assert.Equal(2, h.CardsIn(Channel).Count);
    }

    [Fact]
    public async Task An_rpo_incident_of_a_heartbeat_the_catalogue_no_longer_declares_is_resolved_by_the_next_check()
    {
        await using var h = await StartAsync();
        await CheckAsync(h);
        h.Time.Advance(TimeSpan.FromMinutes(13));
        await CheckAsync(h);
        Assert.Equal(AssessmentLevel.Alert, (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!.Level);
        var undeclared = new HeartbeatService(
            h.Get<IHeartbeatStore>(),
            new Intake.FixedCatalogProvider(CrisisTeamCatalog.Create()),
            h.Get<Intake.IntakeService>(),
            h.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<HeartbeatService>.Instance);

        var result = await undeclared.CheckAsync(Token);

        Assert.Equal(new HeartbeatCheckResult(0, 0, 1), result);
        Assert.Equal(AssessmentLevel.None, (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!.Level);
        Assert.Null(Assert.Single(await h.Get<IHeartbeatStore>().ListAsync(Token)).RaisedAt);
    }

    [Fact]
    public async Task A_heartbeat_of_a_service_under_maintenance_raises_nothing_until_the_window_ends()
    {
        var catalog = CrisisTeamCatalog.Create();
        var service = catalog.Services[0] with { Heartbeats = [new HeartbeatDeclaration(Heartbeat, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1))] };
        var window = new MaintenanceWindow("mw-db-upgrade", [Service], T0, T0.AddMinutes(30), null, "Database upgrade", "cab@contoso.example");
        await using var h = await TeamsHarness.StartAsync(azurite, catalog with { Services = [service], Maintenance = [window] }, T0, new Dictionary<string, string?> { ["Intake:Sources:heartbeat:Secret"] = Secret });
        await BeatAsync(h, Heartbeat, string.Empty);

        h.Time.Advance(TimeSpan.FromMinutes(20));
        await CheckAsync(h);
        Assert.Null(await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token));

        h.Time.Advance(TimeSpan.FromMinutes(10));
        await CheckAsync(h);
        await h.SweepAsync();

        Assert.Equal(AssessmentLevel.RecommendInvocation, (await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token))!.Level);
        Assert.Single(h.CardsIn(Channel));
    }

    [Fact]
    public async Task A_paused_heartbeat_answers_202_and_raises_nothing_until_resumed()
    {
        await using var h = await StartAsync();
        await BeatAsync(h, Heartbeat, $$"""{"recoveryPointAt": "{{AssessmentJson.Time(T0)}}"}""");

        var paused = await CallAsync(h, (f, r) => f.PauseHeartbeat(r, Service, Heartbeat, Token), """{"until": "2026-11-24T05:00:00Z", "reason": "storage migration"}""");
        var during = await BeatAsync(h, Heartbeat, $$"""{"recoveryPointAt": "{{AssessmentJson.Time(T0)}}"}""");
        h.Time.Advance(TimeSpan.FromHours(1));
        await CheckAsync(h);
        await h.SweepAsync();

        Assert.Equal((200, "Paused"), (paused.Status, State(paused)));
        Assert.Equal((202, "Paused"), (during.Status, State(during)));
        Assert.Equal("storage migration", JsonNode.Parse(during.Body)!["pauseReason"]!.GetValue<string>());
        Assert.Null(await h.Get<Intake.IIncidentStore>().FindAsync(Key, Token));
        Assert.Empty(h.CardsIn(Channel));

        var resumed = await CallAsync(h, (f, r) => f.ResumeHeartbeat(r, Service, Heartbeat, Token), string.Empty);
        await CheckAsync(h);
        await h.SweepAsync();

        Assert.Equal((200, "Breached"), (resumed.Status, State(resumed)));
        Assert.Single(h.CardsIn(Channel));
    }

    [Fact]
    public async Task An_undeclared_heartbeat_is_a_404_that_creates_nothing_and_a_heartbeat_without_the_token_a_401()
    {
        await using var h = await StartAsync();

        var undeclared = await BeatAsync(h, "nightly-backup", string.Empty);
        var unsigned = await CallAsync(h, (f, r) => f.ReportHeartbeat(r, Service, Heartbeat, Token), string.Empty, token: null);
        var future = await BeatAsync(h, Heartbeat, """{"recoveryPointAt": "2026-11-24T03:00:00Z"}""");

        Assert.Equal(404, undeclared.Status);
        Assert.Contains("services[].heartbeats[].name", undeclared.Body, StringComparison.Ordinal);
        Assert.Equal(401, unsigned.Status);
        Assert.Equal(400, future.Status);
        Assert.NotNull(JsonNode.Parse(future.Body)!["errors"]!["recoveryPointAt"]);
        Assert.Empty(await h.Get<IHeartbeatStore>().ListAsync(Token));
    }

    private async Task<TeamsHarness> StartAsync()
    {
        var catalog = CrisisTeamCatalog.Create();
        var service = catalog.Services[0] with { Heartbeats = [new HeartbeatDeclaration(Heartbeat, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1))] };
        return await TeamsHarness.StartAsync(azurite, catalog with { Services = [service] }, T0, new Dictionary<string, string?> { ["Intake:Sources:heartbeat:Secret"] = Secret });
    }

    private static Task CheckAsync(TeamsHarness h) => h.Timers().CheckHeartbeats(new TimerInfo(), Context());

    private static async Task<string> StateAsync(TeamsHarness h) =>
        (await h.Get<HeartbeatService>().ListAsync(Token)).Single(s => s.Declaration.Name == Heartbeat).State.ToString();

    private static string State(HttpAnswer answer) => JsonNode.Parse(answer.Body)!["state"]!.GetValue<string>();

    private static Task<HttpAnswer> BeatAsync(TeamsHarness h, string name, string json) =>
        CallAsync(h, (f, r) => f.ReportHeartbeat(r, Service, name, Token), json);

    private static async Task<HttpAnswer> CallAsync(TeamsHarness h, Func<HeartbeatFunctions, HttpRequest, Task<IResult>> call, string json, string? token = Secret)
    {
        var context = new DefaultHttpContext { RequestServices = h.Services };
        var body = Encoding.UTF8.GetBytes(json);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        if (token is not null)
        {
            context.Request.Headers["X-Hub-Token"] = token;
        }

        context.Response.Body = new MemoryStream();
        var result = await call(ActivatorUtilities.CreateInstance<HeartbeatFunctions>(h.Services), context.Request);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, await reader.ReadToEndAsync(Token));
    }
}
