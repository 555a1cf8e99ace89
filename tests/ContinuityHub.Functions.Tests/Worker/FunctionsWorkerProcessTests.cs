using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Functions.Tests.Deployment;
using ContinuityHub.Functions.Tests.Worker.Protocol;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Worker;

/// <summary>
/// The published Functions app, started as a process the way the Functions host starts it and driven over the
/// host's gRPC protocol (<see cref="WorkerProtocolHost"/>): the nearest thing to <c>func start</c> this machine
/// allows. It proves the worker starts with the deployed settings, indexes and loads every function, runs each timer
/// against Azurite and answers a webhook through its ASP.NET Core integration. It does not prove what only the real
/// host does: schedules, function keys, host.json, scale, or the Azure connections (Service Bus, Entra, Graph).
/// </summary>
[Collection(nameof(BicepTemplates))]
public class FunctionsWorkerProcessTests(RunningWorker worker, BicepFixture bicep) : IClassFixture<RunningWorker>
{
    private static readonly string[] TimerFunctions =
    [
        "DrainIncidentQueue", "ReassessOpenIncidents", "RedriveIntakeArchive", "WriteContinuityReport",
        "SweepNotificationOutbox", "EscalateUnacknowledgedAlerts", "CheckHeartbeats", "PlayExercises", "DraftPostIncidentReviews",
    ];

    private static readonly string[] HttpFunctions =
    [
        "ReceiveIncident", "GetIncident", "Decide", "ReportAutomation", "ReportHeartbeat", "PauseHeartbeat", "ResumeHeartbeat", "AddMaintenanceWindow", "ListMaintenanceWindows", "CancelMaintenanceWindow",
        "StartExercise", "EndExercise", "GetExercise", "AddExerciseFinding", "ListExerciseFindings", "CloseExerciseFinding",
        "ListReviews", "GetReview", "AddCorrectiveAction",
    ];

    [Fact]
    public void Worker_runs_with_the_deployed_settings_but_for_what_only_Azure_has()
    {
        var deployed = DeployedAppSettings.Values(bicep.CompiledTemplate());
        var used = worker.Settings();

        Assert.Equal(
            deployed.Keys.Except(RunningWorker.AzureOnly).Append("Storage").Order(StringComparer.Ordinal),
            used.Keys.Order(StringComparer.Ordinal));
        Assert.All(deployed.Keys.Except(RunningWorker.AzureOnly).Where(k => k != HubSettings.ApplicationInsightsConnectionString), name => Assert.Equal(deployed[name], used[name]));
    }

    [Fact]
    public void Published_app_carries_no_local_sinks()
    {
        Assert.True(File.Exists(Path.Combine(worker.AppDirectory, "ContinuityHub.Azure.dll")));
        Assert.False(File.Exists(Path.Combine(worker.AppDirectory, "ContinuityHub.Local.dll")), "the Functions package ships ContinuityHub.Local");
        Assert.DoesNotContain(
            FunctionsAppReferencesTests.LibrariesIn(Path.Combine(worker.AppDirectory, "ContinuityHub.Functions.deps.json")),
            name => name.StartsWith("ContinuityHub.Local/", StringComparison.Ordinal));
    }

    [Fact]
    public void Worker_starts_and_offers_its_http_server_to_the_host()
    {
        Assert.True(worker.Init.Result.Status == StatusResult.Types.Status.Success, worker.Init.Result.Describe() + "\n" + worker.Diagnostics);
        Assert.True(worker.Init.Capabilities.ContainsKey("HttpUri"), "the ASP.NET Core integration reports no HttpUri capability");
        Assert.True(worker.HttpUri.IsLoopback);
    }

    [Fact]
    public void Worker_reports_every_function_with_the_bindings_functions_metadata_declares()
    {
        using var declared = JsonDocument.Parse(File.ReadAllText(Path.Combine(worker.AppDirectory, "functions.metadata")));
        var expected = declared.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Select(RunningWorker.Binding).Order().ToList());

        Assert.True(worker.Metadata.Result.Status == StatusResult.Types.Status.Success, worker.Metadata.Result.Describe());
        Assert.Equal(TimerFunctions.Concat(HttpFunctions).Order(StringComparer.Ordinal), worker.Metadata.FunctionMetadataResults.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Keys.Order(), worker.Metadata.FunctionMetadataResults.Select(f => f.Name).Order());
        Assert.All(worker.Metadata.FunctionMetadataResults, function =>
        {
            Assert.Equal(expected[function.Name], RunningWorker.Bindings(function.RawBindings).Order().ToList());
            Assert.Equal("dotnet-isolated", function.Language);
            Assert.False(string.IsNullOrEmpty(function.FunctionId));
        });
        Assert.All(TimerFunctions, name => Assert.Contains(RunningWorker.Bindings(worker.Function(name).RawBindings), b => b.Type == "timerTrigger" && b.Direction == "IN"));
        Assert.All(HttpFunctions, name => Assert.Contains(RunningWorker.Bindings(worker.Function(name).RawBindings), b => b.Type == "httpTrigger"));
    }

    [Fact]
    public void Worker_loads_every_function_it_reported()
    {
        Assert.Equal(TimerFunctions.Length + HttpFunctions.Length, worker.Loads.Count);
        Assert.All(worker.Loads, load => Assert.True(
            load.Value.Result.Status == StatusResult.Types.Status.Success,
            $"{load.Key}: {load.Value.Result.Describe()}\n{worker.Diagnostics}"));
    }

    [Fact]
    public async Task Each_timer_function_runs_once_against_Azurite_and_succeeds()
    {
        var before = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var name in TimerFunctions)
        {
            var binding = Assert.Single(RunningWorker.Bindings(worker.Function(name).RawBindings), b => b.Type == "timerTrigger").Name;

            var response = await worker.InvokeAsync(name, binding, ProtocolMessages.TimerInfo());

            Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{name}: {response.Result.Describe()}\n{worker.Diagnostics}");
        }

        // The report timer wrote today's report to Azurite.
        var after = DateOnly.FromDateTime(DateTime.UtcNow);
        var reports = new BlobServiceClient(worker.StorageConnectionString).GetBlobContainerClient(StorageNames.ReportsContainer);
        var written = new List<string>();
        await foreach (var blob in reports.GetBlobsAsync(new GetBlobsOptions(), TestContext.Current.CancellationToken))
        {
            written.Add(blob.Name);
        }

        Assert.Contains(written, name => name == $"{before:yyyy-MM-dd}/continuity-report.json" || name == $"{after:yyyy-MM-dd}/continuity-report.json");
    }

    [Fact]
    public async Task A_forged_automation_callback_through_the_worker_is_a_401_problem()
    {
        const string Forged = "eyJpIjoieCJ9.c2lnbmF0dXJl";
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/automations/" + Forged) { Content = new StringContent("""{"status": "succeeded"}""") };
        post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var (invocation, response) = await worker.InvokeHttpAsync("ReportAutomation", post, new Dictionary<string, string> { ["token"] = Forged });
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Describe() + "\n" + worker.Diagnostics);
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {answer}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Signed_webhook_through_the_worker_answers_202_and_lands_in_storage()
    {
        var id = WebhookSamples.NewId("pagerduty");
        var body = WebhookSamples.Open("pagerduty", id);
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/intake/pagerduty") { Content = new ByteArrayContent(body) };
        post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        WebhookSamples.Sign("pagerduty", body, WebhookSamples.Secret("pagerduty"), (name, value) => post.Headers.Add(name, value), (_, _) => Assert.Fail("PagerDuty signs in a header"));

        var (invocation, response) = await worker.InvokeHttpAsync("ReceiveIncident", post, new Dictionary<string, string> { ["source"] = "pagerduty" });
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Describe() + "\n" + worker.Diagnostics);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {answer}\n{worker.Diagnostics}");
        using var accepted = JsonDocument.Parse(answer);
        var key = accepted.RootElement.GetProperty("incidentKey").GetString()!;
        Assert.Equal(WebhookSamples.Key("pagerduty", id), key);
        Assert.False(accepted.RootElement.GetProperty("duplicate").GetBoolean());

        // It is stored: the worker reads it back through the other HTTP function, and the raw body is archived.
        using var get = new HttpRequestMessage(HttpMethod.Get, response.Headers.Location!.OriginalString.TrimStart('/'));
        var (read, stored) = await worker.InvokeHttpAsync("GetIncident", get, new Dictionary<string, string> { ["key"] = key });
        var incident = await stored.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(read.Result.Status == StatusResult.Types.Status.Success, read.Result.Describe());
        Assert.True(stored.StatusCode == HttpStatusCode.OK, $"{(int)stored.StatusCode}: {incident}");
        Assert.Contains(id, incident, StringComparison.Ordinal);

        var archive = new BlobServiceClient(worker.StorageConnectionString).GetBlobContainerClient(StorageNames.IntakeArchiveContainer);
        var archived = false;
        await foreach (var blob in archive.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{DateTime.UtcNow:yyyy/MM/dd}/pagerduty/" }, TestContext.Current.CancellationToken))
        {
            var content = await archive.GetBlobClient(blob.Name).DownloadContentAsync(TestContext.Current.CancellationToken);
            archived |= content.Value.Content.ToString().Contains(id, StringComparison.Ordinal);
        }

        Assert.True(archived, "the raw webhook body is not in the intake archive");
    }
}
