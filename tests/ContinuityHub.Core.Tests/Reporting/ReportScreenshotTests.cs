using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using ContinuityHub.Testing;
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
        var image = Png.Decode(bytes);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        Assert.True(image.DistinctColours(step: 7) > 100, "The screenshot has too few colours to be the report.");
        Assert.Equal(0x14284b, image.Rgb(8, 8)); // the masthead
        Assert.True(image.Contains(0xc0392b), "No red in the screenshot: the RTO gap and the overdue markers are missing.");
        Assert.True(image.Contains(0x1e7b47), "No green in the screenshot: the compliance donut is missing.");
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

    /// <summary>Just enough PNG to check a screenshot: 8-bit RGB or RGBA, not interlaced.</summary>
    private sealed class Png
    {
        private readonly byte[] _pixels;
        private readonly int _channels;

        private Png(int width, int height, int channels, byte[] pixels)
        {
            Width = width;
            Height = height;
            _channels = channels;
            _pixels = pixels;
        }

        public int Width { get; }

        public int Height { get; }

        public static Png Decode(byte[] file)
        {
            ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
            Assert.True(file.AsSpan(0, 8).SequenceEqual(signature), "Not a PNG file.");
            int width = 0, height = 0, channels = 0;
            using var compressed = new MemoryStream();
            for (var at = 8; at + 8 <= file.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
                var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
                var data = file.AsSpan(at + 8, length);
                if (type == "IHDR")
                {
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]); // bit depth
                    channels = data[9] switch { 2 => 3, 6 => 4, var other => throw new NotSupportedException($"PNG colour type {other}") };
                    Assert.Equal(0, data[12]); // not interlaced
                }
                else if (type == "IDAT")
                {
                    compressed.Write(data);
                }
                else if (type == "IEND")
                {
                    break;
                }

                at += 12 + length;
            }

            compressed.Position = 0;
            using var inflated = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
            {
                zlib.CopyTo(inflated);
            }

            return new Png(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
        }

        public int Rgb(int x, int y)
        {
            var i = ((y * Width) + x) * _channels;
            return (_pixels[i] << 16) | (_pixels[i + 1] << 8) | _pixels[i + 2];
        }

        public int DistinctColours(int step)
        {
            var colours = new HashSet<int>();
            for (var y = 0; y < Height; y += step)
            {
                for (var x = 0; x < Width; x += step)
                {
                    colours.Add(Rgb(x, y));
                }
            }

            return colours.Count;
        }

        public bool Contains(int rgb)
        {
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    if (Rgb(x, y) == rgb)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        // Undoes the per-row filters (None, Sub, Up, Average, Paeth) of PNG section 9.
        private static byte[] Unfilter(byte[] data, int width, int height, int bpp)
        {
            var stride = width * bpp;
            var pixels = new byte[stride * height];
            for (var y = 0; y < height; y++)
            {
                var filter = data[y * (stride + 1)];
                var source = data.AsSpan((y * (stride + 1)) + 1, stride);
                var row = pixels.AsSpan(y * stride, stride);
                var previous = y == 0 ? new byte[stride] : pixels.AsSpan((y - 1) * stride, stride);
                for (var i = 0; i < stride; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                    var predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        4 => Paeth(a, b, c),
                        _ => throw new NotSupportedException($"PNG filter {filter}"),
                    };
                    row[i] = (byte)(source[i] + predictor);
                }
            }

            return pixels;
        }

        private static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
