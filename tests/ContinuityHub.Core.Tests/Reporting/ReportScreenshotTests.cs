using System.Diagnostics;
using ContinuityHub.Testing;
using ContinuityHub.Testing.Cards;
using ContinuityHub.Reporting;

namespace ContinuityHub.Core.Tests.Reporting;

/// <summary>
/// The seed report as a browser draws it: headless Chromium (Debian package <c>chromium</c>) takes a screenshot, kept
/// at <c>bin/…/screenshots/continuity-report.png</c> for a person to look at, and the test checks it is a full page
/// with the report's colours on it rather than an empty or broken one.
/// </summary>
public class ReportScreenshotTests
{
    private const int Width = 1280;
    private const int Height = 2000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Seed_report_renders_in_headless_chromium_as_a_full_page_with_its_charts()
    {
        var chromium = FindChromium()
            ?? throw new InvalidOperationException("The screenshot test needs Chromium on PATH: apt-get install -y chromium (Debian) or put chromium/google-chrome on PATH.");
        var report = ContinuityReportBuilder.Build(SeedCatalog.Catalog, [], SeedCatalog.Today, SeedCatalog.Today.AddDays(-7));
        var work = Directory.CreateTempSubdirectory("hub-report-shot-");
        var page = Path.Combine(work.FullName, "continuity-report.html");
        await File.WriteAllTextAsync(page, ReportRenderer.ToHtml(report, SeedCatalog.Catalog), TestContext.Current.CancellationToken);
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var png = Path.Combine(shots.FullName, "continuity-report.png");
        File.Delete(png);

        var (exitCode, output) = await RunAsync(chromium, png, page, Path.Combine(work.FullName, "profile"));

        Assert.True(File.Exists(png), $"Chromium wrote no screenshot (exit code {exitCode}):\n{output}");
        var bytes = await File.ReadAllBytesAsync(png, TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 50_000, $"The screenshot is only {bytes.Length} bytes: a blank page?");
        var image = ScreenshotPng.Decode(bytes);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        Assert.True(image.DistinctColours(step: 7) > 100, "The screenshot has too few colours to be the report.");
        Assert.Equal(0x14284b, image.Rgb(8, 8)); // the masthead
        Assert.True(image.Contains(0xc0392b), "No red in the screenshot: the RTO gap and the overdue markers are missing.");
        Assert.True(image.Contains(0x1e7b47), "No green in the screenshot: the compliance donut is missing.");
        if (Environment.GetEnvironmentVariable("HUB_UPDATE_DOCS") == "1")
        {
            // The README's picture of the report (then commit docs/continuity-report.png).
            File.Copy(png, Path.Combine(ContinuityHub.Testing.Cards.CardAssets.RepositoryRoot, "docs", "continuity-report.png"), overwrite: true);
        }

        work.Delete(recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string chromium, string png, string page, string profile)
    {
        var start = new ProcessStartInfo(chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
            $"--user-data-dir={profile}", $"--screenshot={png}", $"--window-size={Width},{Height}", new Uri(page).AbsoluteUri,
        ]);
        var run = await ProcessRun.RunAsync(start, Timeout, TestContext.Current.CancellationToken);
        return (run.ExitCode, run.StandardOutput + run.StandardError);
    }

    private static string? FindChromium()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
