using Azure.Core;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Local;
using ContinuityHub.Notifications;
using Microsoft.Extensions.Logging;

namespace ContinuityHub.Azure.Tests.Graph;

/// <summary>A <see cref="LocalGraph"/> and a <see cref="GraphTeamsGateway"/> talking to it through the real SDK pipeline.</summary>
internal sealed class GraphHarness : IAsyncDisposable
{
    public const string MailSender = "crisis-hub@contoso.example";
    public const string MeetingOrganizer = "bridge-organizer@contoso.example";

    private GraphHarness(LocalGraph graph, GraphClients clients, GraphTeamsGateway gateway, TestCredential app, TokenCredential delegated)
    {
        Graph = graph;
        Clients = clients;
        Gateway = gateway;
        App = app;
        Delegated = delegated;
    }

    public LocalGraph Graph { get; }

    public GraphClients Clients { get; }

    public GraphTeamsGateway Gateway { get; }

    public TestCredential App { get; }

    public TokenCredential Delegated { get; }

    public static async Task<GraphHarness> StartAsync(
        string? sinkDirectory = null,
        TokenCredential? delegated = null,
        TimeSpan? requestTimeout = null,
        Action<GraphOptions>? configure = null,
        Func<string?>? locateCardRenderer = null,
        ILoggerFactory? loggerFactory = null)
    {
        var graph = locateCardRenderer is null && loggerFactory is null
            ? await LocalGraph.StartAsync(sinkDirectory, TestContext.Current.CancellationToken)
            : await LocalGraph.StartAsync(sinkDirectory, loggerFactory, null, locateCardRenderer ?? AdaptiveCardsLibrary.Locate, TestContext.Current.CancellationToken);
        var app = new TestCredential("app-token");
        delegated ??= new TestCredential("delegated-token");
        var options = new GraphOptions { BaseUrl = graph.BaseUrl.AbsoluteUri, MailSender = MailSender, MeetingOrganizer = MeetingOrganizer, RequestTimeout = requestTimeout };
        configure?.Invoke(options);
        var clients = GraphClients.Create(options, app, delegated);
        return new GraphHarness(graph, clients, new GraphTeamsGateway(clients, options), app, delegated);
    }

    public static TeamsCard Card(string title = "Payments: Alert") => new(
        $$"""{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock","text":"{{title}}","wrap":true}]}""",
        title + " (summary)");

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        await Graph.DisposeAsync();
    }
}

/// <summary>A credential that gives a fixed token and remembers the scopes asked for; it can fail or run something first.</summary>
internal sealed class TestCredential(string token, Func<Exception>? failure = null, Action? onToken = null) : TokenCredential
{
    private readonly List<string> _scopes = [];

    public IReadOnlyList<string> Scopes
    {
        get
        {
            lock (_scopes)
            {
                return [.. _scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_scopes)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        onToken?.Invoke();
        return failure is null ? new AccessToken(token, DateTimeOffset.MaxValue) : throw failure();
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
