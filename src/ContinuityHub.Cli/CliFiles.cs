namespace ContinuityHub.Cli;

/// <summary>Files a user names on the command line: a missing or unreadable one is bad input (exit 2), named.</summary>
internal static class CliFiles
{
    public static async Task<string> ReadAllTextAsync(string path, string what, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new HubValidationException(what, $"{path} not found");
        }

        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HubValidationException(what, $"{path} cannot be read: {e.Message}");
        }
    }

    public static async Task<byte[]> ReadBytesAsync(string path, string what, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetBytes(await ReadAllTextAsync(path, what, cancellationToken));
}
