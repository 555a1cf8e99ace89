using Microsoft.Extensions.Hosting;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// The host's lifetime inside <c>hub</c>: the command's cancellation token (Ctrl+C in <c>Program.cs</c>) stops it,
/// so the host installs no signal handlers of its own and prints no status lines.
/// </summary>
internal sealed class CliHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
