using System.Text.Json;
using ContinuityHub.Local;

namespace ContinuityHub.Azure.Tests.Graph;

public sealed class SinkFileTests : IDisposable
{
    private readonly string _sink = Directory.CreateTempSubdirectory("continuityhub-sink-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_sink, recursive: true);

    [Fact]
    public async Task A_reader_watching_the_sink_never_sees_a_half_written_file_and_no_temporary_file_is_left()
    {
        var path = Path.Combine(_sink, "event.json");
        var body = JsonSerializer.Serialize(new { text = new string('x', 256 * 1024) });
        var partial = 0;
        var reads = 0;
        using var done = new CancellationTokenSource();
        var reader = Task.Run(
            () =>
            {
                while (!done.IsCancellationRequested)
                {
                    foreach (var file in Directory.GetFiles(_sink, "*.json"))
                    {
                        try
                        {
                            using var document = JsonDocument.Parse(File.ReadAllText(file));
                            reads++;
                        }
                        catch (JsonException)
                        {
                            partial++;
                        }
                        catch (IOException)
                        {
                            // Replaced between listing and opening: not a partial read.
                        }
                    }
                }
            },
            Token);

        for (var i = 0; i < 200; i++)
        {
            await SinkFile.WriteAllTextAsync(path, body, Token);
        }

        await done.CancelAsync();
        await reader;

        Assert.Equal(0, partial);
        Assert.True(reads > 0, "the reader saw the file");
        Assert.Equal([path], Directory.GetFiles(_sink));
        Assert.Equal(body, await File.ReadAllTextAsync(path, Token));
    }
}
