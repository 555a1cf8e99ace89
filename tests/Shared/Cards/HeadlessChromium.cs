using System.Diagnostics;

namespace ContinuityHub.Testing.Cards;

/// <summary>
/// Debian's headless Chromium for the tests: one launch per call, a throw-away profile, no network of its own
/// (background networking, sync and component updates off), and the page given as a <c>file://</c> URL.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(60);

    /// <summary>The Chromium executable on PATH; throws with what to install when there is none.</summary>
    public static string Executable => Find()
        ?? throw new InvalidOperationException("The card tests need Chromium on PATH: apt-get install -y chromium (Debian) or put chromium/google-chrome on PATH.");

    /// <summary>The page's DOM after it loaded and its scripts ran (<c>--dump-dom</c>).</summary>
    public static Task<string> DumpDomAsync(string page, CancellationToken cancellationToken) =>
        DumpDomAsync(new Uri(page), cancellationToken);

    /// <summary>The DOM of the page at <paramref name="page"/> (a <c>file://</c> URL, a fragment allowed) after it loaded.</summary>
    public static async Task<string> DumpDomAsync(Uri page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var run = await RunAsync(page, ["--dump-dom"], cancellationToken);
        return run.ExitCode == 0 && run.StandardOutput.Length > 0
            ? run.StandardOutput
            : throw new InvalidOperationException($"Chromium dumped no DOM of {page} (exit code {run.ExitCode}):\n{run.StandardError}");
    }

    /// <summary>Writes a PNG of the page at <paramref name="width"/>×<paramref name="height"/> CSS pixels (<c>--screenshot</c>).</summary>
    public static async Task ScreenshotAsync(string page, string pngPath, int width, int height, CancellationToken cancellationToken)
    {
        File.Delete(pngPath);
        var run = await RunAsync(new Uri(page), [$"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars", "--force-device-scale-factor=1"], cancellationToken);
        if (!File.Exists(pngPath))
        {
            throw new InvalidOperationException($"Chromium wrote no screenshot of {page} (exit code {run.ExitCode}):\n{run.StandardError}");
        }
    }

    private static async Task<ProcessResult> RunAsync(Uri page, string[] arguments, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("hub-chromium-profile-");
        try
        {
            var start = new ProcessStartInfo(Executable,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--allow-file-access-from-files",
                $"--user-data-dir={profile.FullName}", .. arguments, page.AbsoluteUri,
            ]);
            return await ProcessRun.RunAsync(start, _timeout, cancellationToken);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A crash reporter may still hold a file of the profile: it is a temporary folder all the same.
            }
        }
    }

    private static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
