using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Http;
using ContinuityHub.Azure.Intake;
using ContinuityHub.Azure.Notifications;
using ContinuityHub.Azure.Reporting;
using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;
using ContinuityHub.Intake;
using ContinuityHub.Local;
using ContinuityHub.Notifications;
using ContinuityHub.Outbox;
using ContinuityHub.Reporting;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// The app's services as Program.cs composes them — real services on Azurite (tables and containers of this harness's
/// own), GraphServiceClient pointed at a loopback Graph that records every request, a fake clock — with a catalogue of
/// the test's choosing. Only the Service Bus client is a substitute; <see cref="Published"/> holds what it was sent.
/// </summary>
internal sealed class TeamsHarness : IAsyncDisposable
{
    public const string BaseUrl = "https://func-continuityhub.azurewebsites.net/";
    public const string ContinuityTeam = "6f1c1a2e-0000-4000-8000-0000000000c0";
    public const string ContinuityChannel = "19:continuity@thread.tacv2";

    private readonly string _prefix = AzuriteFixture.UniqueTableName("teams");

    private TeamsHarness(LocalGraph graph, FakeTimeProvider time)
    {
        Graph = graph;
        Time = time;
        Sender.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            if (TopicDown)
            {
                return Task.FromException(new ServiceBusException("The events topic is unavailable", ServiceBusFailureReason.ServiceCommunicationProblem));
            }

            Published.Add(call.Arg<ServiceBusMessage>());
            return Task.CompletedTask;
        });
    }

    public LocalGraph Graph { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The events topic's sender: tests make it fail to take the topic away.</summary>
    public ServiceBusSender Sender { get; } = Substitute.For<ServiceBusSender>();

    public List<ServiceBusMessage> Published { get; } = [];

    /// <summary>While true, every send to the events topic fails as a Service Bus outage does.</summary>
    public bool TopicDown { get; set; }

    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>The prefix of this harness's tables (a <c>TableCatalogStore</c> beside them reads its exercise runs).</summary>
    public string TablePrefix => _prefix;

    /// <summary>This harness's container for after-action reports (<c>exercise-reports</c> in production).</summary>
    public string ExerciseReports { get; } = AzuriteFixture.UniqueContainerName("exreports");

    /// <summary>This harness's container for post-incident reviews (<c>incident-reviews</c> in production).</summary>
    public string Reviews { get; } = AzuriteFixture.UniqueContainerName("reviews");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// The harness at <paramref name="now"/>, every optional channel configured; a setting in
    /// <paramref name="settings"/> set to null is left out (the channel it turns on is off).
    /// </summary>
    /// <param name="storagePolicy">A policy every table and blob call of the hub goes through (to fail some), or none.</param>
    public static async Task<TeamsHarness> StartAsync(
        AzuriteFixture azurite,
        ContinuityCatalog catalog,
        DateTimeOffset now,
        IReadOnlyDictionary<string, string?>? settings = null,
        global::Azure.Core.Pipeline.HttpPipelinePolicy? storagePolicy = null,
        global::Azure.Core.TokenCredential? identity = null)
    {
        var harness = new TeamsHarness(await LocalGraph.StartAsync(null, Token), new FakeTimeProvider(now));
        harness.Services = harness.Compose(azurite, catalog, settings ?? new Dictionary<string, string?>(), storagePolicy, identity);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public TimerFunctions Timers() => ActivatorUtilities.CreateInstance<TimerFunctions>(Services);

    public Task ReassessAsync() => Timers().ReassessOpenIncidents(new TimerInfo(), Context());

    public Task SweepAsync() => Timers().SweepNotificationOutbox(new TimerInfo(), Context());

    public Task EscalateAsync() => Timers().EscalateUnacknowledgedAlerts(new TimerInfo(), Context());

    /// <summary>A delivery from <paramref name="source"/>, taken as the intake takes an authenticated webhook.</summary>
    public async Task<IntakeResult> ReceiveAsync(AliasSource source, byte[] body) =>
        await Get<IntakeService>().ReceiveAsync(new IntakeRequest(source, body, IntakeChannel.Http), Token);

    /// <summary>The incident's outbox entries, delivered or not, in order.</summary>
    public async Task<List<TableEntity>> OutboxRowsAsync(string key)
    {
        var table = await Get<StorageClients>().GetTableAsync(_prefix + StorageNames.IncidentsTable, Token);
        var partition = TableIncidentStore.PartitionKey(key);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{partition.Replace("'", "''", StringComparison.Ordinal)}' and RowKey ge 'outbox~' and RowKey lt 'outbox~~'", cancellationToken: Token))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<IntakeResult> ReceiveAsync(string json) =>
        await Get<IntakeService>().ReceiveAsync(new IntakeRequest(AliasSource.Generic, Encoding.UTF8.GetBytes(json), IntakeChannel.Http), Token);

    public async Task<PlanAlert> AlertAsync(string key, string plan) =>
        await Get<IAlertStore>().FindAlertAsync(key, plan, Token) ?? throw new InvalidOperationException($"no alert for plan {plan}");

    public async Task<int> PendingAsync(string key) => (await Get<IAlertStore>().PendingOutboxAsync(key, Token)).Count;

    /// <summary>Who got an activity-feed notification, once per notification.</summary>
    public List<string> ActivityRecipients() =>
        [.. Graph.DeliveredTo("/teamwork/sendActivityNotification").Select(r => Uri.UnescapeDataString(r.Path.Split('/')[^3]))];

    /// <summary>Cards posted (new conversations) in a channel.</summary>
    public List<RecordedRequest> CardsIn(string channel) =>
        [.. Graph.DeliveredTo($"/channels/{channel}/messages").Where(r => !r.Path.Contains("/replies", StringComparison.Ordinal))];

    public List<RecordedRequest> RepliesIn(string channel) =>
        [.. Graph.DeliveredTo($"/channels/{channel}/messages").Where(r => r.Path.Contains("/replies", StringComparison.Ordinal))];

    public static string CardOf(RecordedRequest request) => request.CardJson ?? throw new InvalidOperationException($"no card in {request.Path}");

    public static JsonNode Json(string? text) => JsonNode.Parse(text ?? "null") ?? throw new InvalidOperationException("no JSON");

    /// <summary>The URL of the card's Action.OpenUrl titled <paramref name="title"/>, wherever it sits in the card.</summary>
    public static string? ActionUrl(string cardJson, string title)
    {
        static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
        {
            JsonObject o => new[] { o }.Concat(o.SelectMany(p => Objects(p.Value))),
            JsonArray a => a.SelectMany(Objects),
            _ => [],
        };

        return Objects(JsonNode.Parse(cardJson))
            .FirstOrDefault(o => o["type"]?.GetValue<string>() == "Action.OpenUrl" && o["title"]?.GetValue<string>() == title)?["url"]?.GetValue<string>();
    }

    /// <summary>Follows a decision link as a browser does (GET shows the page, POST decides).</summary>
    public async Task<HttpAnswer> DecideAsync(string link, string method, string? by = null, bool html = false)
    {
        Assert.StartsWith(BaseUrl + "api/decisions/", link, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(link[(BaseUrl.Length + "api/decisions/".Length)..]);
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func-continuityhub.azurewebsites.net");
        context.Request.Path = "/api/decisions/" + Uri.EscapeDataString(token);
        context.Request.Headers.Accept = html ? "text/html" : "application/json";
        context.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8::17");
        if (by is not null)
        {
            var form = Encoding.UTF8.GetBytes("by=" + Uri.EscapeDataString(by));
            context.Request.ContentType = "application/x-www-form-urlencoded";
            context.Request.Body = new MemoryStream(form);
            context.Request.ContentLength = form.Length;
        }

        context.Response.Body = new MemoryStream();
        var result = await ActivatorUtilities.CreateInstance<DecisionFunctions>(Services).Decide(context.Request, token, Token);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, await reader.ReadToEndAsync(Token));
    }

    /// <summary><c>GET /api/incidents/{key}</c> as the endpoint answers it: the incident's JSON (asserting a 200).</summary>
    public async Task<JsonNode> IncidentAsync(string key)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Response.Body = new MemoryStream();
        var result = await Get<IncidentEndpoint>().GetAsync(key, context.Request, Token);
        await result.ExecuteAsync(context);
        Assert.Equal(200, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!;
    }

    public async Task<List<TableEntity>> AuditAsync()
    {
        var table = await Get<StorageClients>().GetTableAsync(_prefix + StorageNames.AuditTable, Token);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Token))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static FunctionContext Context()
    {
        var context = Substitute.For<FunctionContext>();
        context.CancellationToken.Returns(Token);
        context.InvocationId.Returns(Guid.NewGuid().ToString());
        return context;
    }

    private ServiceProvider Compose(AzuriteFixture azurite, ContinuityCatalog catalog, IReadOnlyDictionary<string, string?> overrides, global::Azure.Core.Pipeline.HttpPipelinePolicy? storagePolicy, global::Azure.Core.TokenCredential? identity)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage"] = azurite.ConnectionString,
            ["Graph:BaseUrl"] = Graph.BaseUrl.ToString(),
            ["Graph:MailSender"] = "continuity@contoso.example",
            ["Graph:MeetingOrganizer"] = "crisis-bridge@contoso.example",
            ["Decisions:BaseUrl"] = BaseUrl,
            ["Decisions:SigningKey"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("a test signing key of 32 bytes!!")),
            ["ServiceBus:fullyQualifiedNamespace"] = "sb-continuityhub-test.servicebus.windows.net",
            ["Teams:ContinuityTeamId"] = ContinuityTeam,
            ["Teams:ContinuityChannelId"] = ContinuityChannel,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(s => s.Value is not null)).Build();
        var client = Substitute.For<ServiceBusClient>();
        client.CreateSender("continuity-events").Returns(Sender);
        client.CreateReceiver(Arg.Any<string>(), Arg.Any<ServiceBusReceiverOptions>()).Returns(Substitute.For<ServiceBusReceiver>());

        var archive = AzuriteFixture.UniqueContainerName("teams");
        var reports = AzuriteFixture.UniqueContainerName("reports");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(client);
        services.AddSingleton<ICatalogProvider>(new FixedCatalogProvider(catalog));
        services.AddSingleton<IIncidentStore>(sp => new TableIncidentStore(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<IAlertStore>(sp => new TableAlertStore(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<INotificationLedger>(sp => new TableNotificationLedger(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<ContinuityHub.Heartbeats.IHeartbeatStore>(sp => new ContinuityHub.Azure.Heartbeats.TableHeartbeatStore(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<IPayloadArchive>(sp => new BlobPayloadArchive(sp.GetRequiredService<StorageClients>(), archive));
        services.AddSingleton<IReportStore>(sp => new BlobReportStore(sp.GetRequiredService<StorageClients>(), reports));
        services.AddSingleton<ContinuityHub.Exercises.IExerciseRunStore>(sp => new ContinuityHub.Azure.Exercises.TableExerciseRunStore(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<ContinuityHub.Exercises.IFindingStore>(sp => new ContinuityHub.Azure.Exercises.TableFindingStore(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<ContinuityHub.Lessons.IReviewStore>(sp => new ContinuityHub.Azure.Lessons.TableReviewStore(sp.GetRequiredService<StorageClients>(), _prefix));
        services.AddSingleton<ContinuityHub.Lessons.IReviewDocumentStore>(sp => new ContinuityHub.Azure.Lessons.BlobReviewDocumentStore(sp.GetRequiredService<StorageClients>(), Reviews));
        services.AddSingleton<ContinuityHub.Exercises.IExerciseReportStore>(sp => new ContinuityHub.Azure.Exercises.BlobExerciseReportStore(sp.GetRequiredService<StorageClients>(), ExerciseReports));
        if (storagePolicy is not null)
        {
            var tables = new TableClientOptions();
            var blobs = new global::Azure.Storage.Blobs.BlobClientOptions();
            tables.AddPolicy(storagePolicy, global::Azure.Core.HttpPipelinePosition.PerRetry);
            blobs.AddPolicy(storagePolicy, global::Azure.Core.HttpPipelinePosition.PerRetry);
            services.AddSingleton(new StorageClients(
                new TableServiceClient(azurite.ConnectionString, tables),
                new global::Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString, blobs),
                new global::Azure.Storage.Queues.QueueServiceClient(azurite.ConnectionString)));
        }

        if (identity is not null)
        {
            services.AddSingleton(identity);
        }

        services.AddContinuityHub(configuration);
        return services.BuildServiceProvider();
    }
}
