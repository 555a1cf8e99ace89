using ContinuityHub.Catalog;
using ContinuityHub.Local;
using Microsoft.AspNetCore.Builder;

namespace ContinuityHub.Cli.Serve;

/// <summary><c>hub serve</c>'s host, listening: its services, its local sinks (null when Graph or Service Bus are real) and its scheduled work.</summary>
internal sealed class RunningServe(WebApplication app, LocalGraph? sink, LocalEventSink? events, IReadOnlyList<ServeSchedule> schedules, ContinuityCatalog catalog) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public IServiceProvider Services => App.Services;

    public LocalGraph? Sink { get; } = sink;

    public LocalEventSink? Events { get; } = events;

    public IReadOnlyList<ServeSchedule> Schedules { get; } = schedules;

    /// <summary>The catalogue as stored when the host started.</summary>
    public ContinuityCatalog Catalog { get; } = catalog;

    /// <summary>The first address the host listens on, without a trailing slash.</summary>
    public string Address => (App.Urls.FirstOrDefault() ?? throw new InvalidOperationException("hub serve is not listening.")).TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        if (Sink is not null)
        {
            await Sink.DisposeAsync();
        }
    }
}
