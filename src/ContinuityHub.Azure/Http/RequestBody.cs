using Microsoft.AspNetCore.Http;

namespace ContinuityHub.Azure.Http;

/// <summary>Reads a request body up to a limit, never holding more than the limit and one byte.</summary>
internal static class RequestBody
{
    private const int FirstChunk = 16 * 1024;

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Room for one byte more than the limit, so an over-long body is seen without reading further.
        var capacity = request.ContentLength is { } length ? (int)length + 1 : Math.Min(FirstChunk, limit + 1);
        var buffer = new byte[capacity];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1L));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                return new ReadOnlyMemory<byte>(buffer, 0, total);
            }

            total += read;
        }
    }
}
