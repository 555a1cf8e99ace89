namespace ContinuityHub.Cli.Tests.Demo;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-demo-out-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_folder_holding_other_files_is_not_emptied_the_demo_names_it_and_exits_2()
    {
        var precious = Path.Combine(_folder, "thesis.docx");
        await File.WriteAllTextAsync(precious, "years of work", TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("demo", "--out", _folder);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"--out: {_folder} holds files that are not a demo's output", run.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(precious));
    }
}
