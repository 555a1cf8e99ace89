using System.Net;
using System.Text.Json;
using ContinuityHub.Azure;
using ContinuityHub.Azure.Http;
using ContinuityHub.Catalog;
using ContinuityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContinuityHub.Functions.Tests;

/// <summary>
/// The Functions app's services as <c>Program.cs</c> composes them (<c>AddContinuityHub</c> from settings) against
/// the test Azurite, with the clock stopped at <see cref="Now"/>, and its HTTP functions called as the host calls
/// them: an <see cref="HttpRequest"/> of a <see cref="DefaultHttpContext"/> in, the returned <see cref="IResult"/>
/// executed against that context, the response read back.
/// </summary>
internal sealed class FunctionsHost : IAsyncDisposable
{
    /// <summary>The moment the tests run at: 32 minutes into the PagerDuty sample's SQL outage.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim s_seedGate = new(1, 1);
    private static bool s_seeded;

    private FunctionsHost(ServiceProvider services, IConfiguration configuration, FakeTimeProvider time)
    {
        Services = services;
        Configuration = configuration;
        Time = time;
    }

    public ServiceProvider Services { get; }

    /// <summary>The app's clock, at <see cref="Now"/> until a test moves it.</summary>
    public FakeTimeProvider Time { get; }

    public IConfiguration Configuration { get; }

    /// <param name="storage">The storage connection string.</param>
    /// <param name="secrets">Configure every source's secret (<see cref="WebhookSamples.Secret"/>), or none.</param>
    /// <param name="edge">Registers substitutes before the hub's own services (which then stand back).</param>
    public static FunctionsHost Create(string storage, bool secrets = true, Action<IServiceCollection>? edge = null)
    {
        var settings = new Dictionary<string, string?> { ["Storage"] = storage };
        if (secrets)
        {
            foreach (var source in CatalogNames.SourceNames)
            {
                settings[$"Intake:Sources:{source}:Secret"] = WebhookSamples.Secret(source);
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        var time = new FakeTimeProvider(Now);
        services.AddSingleton<TimeProvider>(time);
        edge?.Invoke(services);
        services.AddContinuityHub(configuration);
        return new FunctionsHost(services.BuildServiceProvider(), configuration, time);
    }

    /// <summary>Imports the seed catalogue (infra/seed/catalog.yaml), once per test run.</summary>
    public static async Task SeedAsync(string storage, CancellationToken cancellationToken)
    {
        await s_seedGate.WaitAsync(cancellationToken);
        try
        {
            if (s_seeded)
            {
                return;
            }

            await ImportSeedAsync(storage, cancellationToken);
            s_seeded = true;
        }
        finally
        {
            s_seedGate.Release();
        }
    }

    /// <summary>Imports the seed catalogue into <paramref name="storage"/>, whether or not it was imported before.</summary>
    public static async Task ImportSeedAsync(string storage, CancellationToken cancellationToken)
    {
        await using var host = Create(storage);
        var seed = Path.Combine(Testing.AzuriteFixture.RepositoryRoot, "infra", "seed");
        var catalog = await ScenarioSamples.LoadAsync(
            CatalogYamlReader.Read(await File.ReadAllTextAsync(Path.Combine(seed, "catalog.yaml"), cancellationToken)), seed, null, cancellationToken);
        await host.Services.GetRequiredService<CatalogImporter>().ImportAsync(catalog, new DirectoryDocumentSource(seed), null, cancellationToken);
    }

    /// <summary>The function class as the host activates it, from the app's services.</summary>
    public IntakeFunctions Functions => ActivatorUtilities.CreateInstance<IntakeFunctions>(Services);

    /// <summary>POST /api/intake/{source} with <paramref name="body"/>, signed as the source signs unless <paramref name="arrange"/> says otherwise.</summary>
    public async Task<HttpAnswer> PostAsync(
        string source,
        byte[] body,
        Action<HttpRequest>? arrange = null,
        string? contentType = "application/json",
        bool sign = true)
    {
        var context = NewContext("POST", $"/api/intake/{source}");
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        if (sign)
        {
            Sign(context.Request, source, body, WebhookSamples.Secret(source));
        }

        arrange?.Invoke(context.Request);
        var result = await Functions.ReceiveIncident(context.Request, source, TestContext.Current.CancellationToken);
        return await AnswerAsync(context, result);
    }

    /// <summary>GET a location the intake answered (<c>/api/incidents/{escaped key}</c>), the route value decoded as the host does.</summary>
    public async Task<HttpAnswer> GetAsync(string location)
    {
        const string Prefix = "/api/incidents/";
        Assert.StartsWith(Prefix, location, StringComparison.Ordinal);
        var context = NewContext("GET", location);
        var key = Uri.UnescapeDataString(location[Prefix.Length..]);
        var result = await Functions.GetIncident(context.Request, key, TestContext.Current.CancellationToken);
        return await AnswerAsync(context, result);
    }

    public static void Sign(HttpRequest request, string source, ReadOnlySpan<byte> body, string secret) =>
        WebhookSamples.Sign(
            source,
            body,
            secret,
            (name, value) => request.Headers[name] = value,
            (name, value) => request.QueryString = request.QueryString.Add(name, value));

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();

    private DefaultHttpContext NewContext(string method, string path)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func-continuityhub.azurewebsites.net");
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8::17");
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<HttpAnswer> AnswerAsync(HttpContext context, IResult result)
    {
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
    }
}

/// <summary>A response as a caller sees it.</summary>
internal sealed record HttpAnswer(int Status, string? ContentType, IHeaderDictionary Headers, string Body)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string? Location => Headers.Location.Count > 0 ? Headers.Location.ToString() : null;

    /// <summary>Asserts an RFC 7807 problem with this status, and no stack trace; returns its JSON.</summary>
    public JsonElement AssertProblem(int status)
    {
        Assert.True(Status == status, $"expected {status}, got {Status}: {Body}");
        Assert.Equal("application/problem+json", ContentType);
        Assert.DoesNotContain("   at ", Body, StringComparison.Ordinal);
        var json = Json;
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.StartsWith("https://tools.ietf.org/html/rfc9110#section-", json.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("traceId").GetString()));
        return json;
    }
}
