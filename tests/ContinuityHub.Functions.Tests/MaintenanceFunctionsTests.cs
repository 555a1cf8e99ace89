using System.Text;
using System.Text.Json.Nodes;
using ContinuityHub.Assessment;
using ContinuityHub.Azure.Http;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// <c>POST|GET /api/maintenance</c> and <c>DELETE /api/maintenance/{id}</c> through the functions, on Azurite with the
/// crisis-team catalogue stored (one catalogue window, <c>mw-catalogue</c>) and a fixed clock.
/// </summary>
public sealed class MaintenanceFunctionsTests : IAsyncLifetime
{
    private const string Service = CrisisTeamCatalog.Service;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 1, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly TableCatalogStore _catalogue;
    private readonly MaintenanceFunctions _functions;
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().BuildServiceProvider();

    public MaintenanceFunctionsTests(AzuriteFixture azurite)
    {
        var clients = StorageClients.FromConnectionString(azurite.ConnectionString);
        var prefix = AzuriteFixture.UniqueTableName("maint");
        _catalogue = new TableCatalogStore(clients, prefix);
        var service = new MaintenanceService(_catalogue, new TableMaintenanceStore(clients, prefix), _time);
        _functions = new MaintenanceFunctions(new MaintenanceEndpoint(service, NullLogger<MaintenanceEndpoint>.Instance));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string OneOff(string id, string start = "2026-12-06T02:00:00+01:00", string end = "2026-12-06T04:00:00+01:00", string service = Service) =>
        $$"""{"id": "{{id}}", "services": ["{{service}}"], "start": "{{start}}", "end": "{{end}}", "reason": "Core banking patching", "approvedBy": "cab@contoso.example"}""";

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        var catalog = CrisisTeamCatalog.Create();
        await _catalogue.ReplaceAsync(
            catalog with
            {
                Maintenance = [new MaintenanceWindow("mw-catalogue", [Service], null, null, new WeeklyWindow([DayOfWeek.Monday], new TimeOnly(2, 0), new TimeOnly(3, 0), null), "Weekly", "cab")],
            },
            progress: null,
            Token);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Post_adds_a_window_201_with_its_location_and_the_catalogue_loads_it_so_the_assessment_caps_by_it()
    {
        var answer = await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api"));

        Assert.Equal(StatusCodes.Status201Created, answer.Status);
        Assert.Equal("/api/maintenance/mw-api", answer.Headers.Location.ToString());
        var body = JsonNode.Parse(answer.Body)!;
        Assert.Equal(("mw-api", "api", "2026-12-06T02:00:00+01:00", true), (body["id"]!.GetValue<string>(), body["origin"]!.GetValue<string>(), body["start"]!.GetValue<string>(), body["active"]!.GetValue<bool>()));
        Assert.Equal(["mw-catalogue", "mw-api"], (await _catalogue.LoadAsync(Token)).Maintenance.Select(m => m.Id));
    }

    [Fact]
    public async Task Get_lists_every_window_with_its_origin_and_whether_it_holds_now()
    {
        await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api", start: "2026-12-06T01:00:00Z", end: "2026-12-06T03:00:00Z"));

        var answer = await CallAsync("GET", f => f.ListMaintenanceWindows, string.Empty);

        Assert.Equal(StatusCodes.Status200OK, answer.Status);
        var windows = JsonNode.Parse(answer.Body)!.AsArray();
        Assert.Equal(
            [("mw-catalogue", "catalogue", false, null), ("mw-api", "api", true, "2026-12-06T03:00:00Z")],
            windows.Select(w => (w!["id"]!.GetValue<string>(), w["origin"]!.GetValue<string>(), w["active"]!.GetValue<bool>(), w["activeUntil"]?.GetValue<string>())));
        Assert.Equal(["Monday"], windows[0]!["weekly"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task Post_refused_by_the_catalogues_rules_is_a_400_naming_each_field()
    {
        var answer = await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api", end: "2026-12-06T01:00:00+01:00", service: "no-such"));

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        var errors = JsonNode.Parse(answer.Body)!["errors"]!.AsObject();
        Assert.Equal(["end", "services[0]"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("unknown service 'no-such'", errors["services[0]"]![0]!.GetValue<string>());
        Assert.Equal("must be after start", errors["end"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_with_a_bad_time_or_an_unknown_field_is_a_400_naming_it()
    {
        var answer = await CallAsync("POST", f => f.AddMaintenanceWindow, """{"id": "mw-api", "services": ["online-banking"], "weekly": {"days": ["Sunday"], "from": "2am", "to": "04:00"}, "reason": "r", "approvedBy": "a", "note": 1}""");

        Assert.Equal(StatusCodes.Status400BadRequest, answer.Status);
        var errors = JsonNode.Parse(answer.Body)!["errors"]!.AsObject();
        Assert.Equal(["note", "weekly.from"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Post_of_a_window_on_holidays_to_a_calendar_with_none_is_a_400_on_weekly_days()
    {
        var answer = await CallAsync("POST", f => f.AddMaintenanceWindow, """{"id": "mw-api", "services": ["online-banking"], "weekly": {"days": ["Sunday", "Holidays"], "from": "02:00", "to": "04:00"}, "reason": "r", "approvedBy": "a"}""");
        var unknown = await CallAsync("POST", f => f.AddMaintenanceWindow, """{"id": "mw-api", "services": ["online-banking"], "weekly": {"days": ["Feast"], "from": "02:00", "to": "04:00"}, "reason": "r", "approvedBy": "a"}""");

        Assert.Equal((StatusCodes.Status400BadRequest, StatusCodes.Status400BadRequest), (answer.Status, unknown.Status));
        Assert.Equal("names Holidays, but policy.calendar.holidays lists none", JsonNode.Parse(answer.Body)!["errors"]!["weekly.days"]![0]!.GetValue<string>());
        Assert.Equal("unknown day 'Feast' (expected Monday..Sunday, Mon..Sun, or Holidays)", JsonNode.Parse(unknown.Body)!["errors"]!["weekly.days[0]"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_with_an_id_the_catalogue_or_the_api_holds_is_a_409()
    {
        await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api"));

        var catalogue = await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-catalogue"));
        var again = await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api"));

        Assert.Equal((409, 409), (catalogue.Status, again.Status));
        Assert.Contains("declared in the catalogue", catalogue.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_cancels_an_api_window_204_then_404_and_refuses_a_catalogue_one_409()
    {
        await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api"));

        var cancelled = await CallAsync("DELETE", f => (r, ct) => f.CancelMaintenanceWindow(r, "mw-api", ct), string.Empty);
        var gone = await CallAsync("DELETE", f => (r, ct) => f.CancelMaintenanceWindow(r, "mw-api", ct), string.Empty);
        var declared = await CallAsync("DELETE", f => (r, ct) => f.CancelMaintenanceWindow(r, "mw-catalogue", ct), string.Empty);

        Assert.Equal((204, 404, 409), (cancelled.Status, gone.Status, declared.Status));
        Assert.Contains("declared in the catalogue: remove it there and import", declared.Body, StringComparison.Ordinal);
        Assert.Equal(["mw-catalogue"], (await _catalogue.LoadAsync(Token)).Maintenance.Select(m => m.Id));
    }

    [Fact]
    public async Task An_api_window_survives_an_import_of_the_catalogue()
    {
        await CallAsync("POST", f => f.AddMaintenanceWindow, OneOff("mw-api"));

        await _catalogue.ReplaceAsync(CrisisTeamCatalog.Create(), progress: null, Token);

        Assert.Equal(["mw-api"], (await _catalogue.LoadAsync(Token)).Maintenance.Select(m => m.Id));
    }

    private async Task<HttpAnswer> CallAsync(string method, Func<MaintenanceFunctions, Func<HttpRequest, CancellationToken, Task<IResult>>> call, string json)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        var body = Encoding.UTF8.GetBytes(json);
        context.Request.Method = method;
        context.Request.Path = "/api/maintenance";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        context.Response.Body = new MemoryStream();
        var result = await call(_functions)(context.Request, Token);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, await reader.ReadToEndAsync(Token));
    }
}
