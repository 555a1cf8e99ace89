namespace ContinuityHub.Local;

/// <summary>
/// Writes a sink file whole or not at all: the text goes to a hidden temporary file in the same folder, which is then
/// renamed into place, so anything watching the sink (a script, a test, a person's editor) never reads a file that is
/// still being written. A rewrite of the same name (a retried event) replaces the earlier file in one step.
/// </summary>
public static class SinkFile
{
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, text, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
