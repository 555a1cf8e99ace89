using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace ContinuityHub.Azure.Intake;

/// <summary>
/// Text of any length in a table row, and the size of a row. A Table Storage string property holds at most 64 KiB
/// (32 Ki UTF-16 characters) and an entity at most 1 MiB: text that fits one property is written as
/// <c>{name}</c>, longer text in parts <c>{name}0</c>, <c>{name}1</c>, … that <see cref="Get"/> joins again.
/// </summary>
internal static class RowText
{
    /// <summary>The characters one string property holds (64 KiB as UTF-16).</summary>
    public const int MaxPropertyChars = 32 * 1024;

    /// <summary>What an entity may hold (1 MiB), less room for the service's own bookkeeping.</summary>
    public const int MaxEntityBytes = (1024 * 1024) - (16 * 1024);

    /// <summary>Writes <paramref name="value"/> as <c>{name}</c> or, when longer than one property holds, as <c>{name}0..N</c>.</summary>
    public static void Set(TableEntity row, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length <= MaxPropertyChars)
        {
            row[name] = value;
            return;
        }

        var part = 0;
        for (var start = 0; start < value.Length; part++)
        {
            var length = Math.Min(MaxPropertyChars, value.Length - start);

            // Never split a surrogate pair between two properties: each must be valid UTF-16 on its own.
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
            {
                length--;
            }

            row[Part(name, part)] = value.Substring(start, length);
            start += length;
        }
    }

    /// <summary>The text <see cref="Set"/> wrote under <paramref name="name"/>; null when there is none.</summary>
    public static string? Get(TableEntity row, string name)
    {
        if (row.GetString(name) is { } whole)
        {
            return whole;
        }

        StringBuilder? text = null;
        for (var part = 0; row.GetString(Part(name, part)) is { } chunk; part++)
        {
            (text ??= new StringBuilder(chunk.Length * 2)).Append(chunk);
        }

        return text?.ToString();
    }

    /// <summary>Removes what <see cref="Set"/> wrote under <paramref name="name"/>.</summary>
    public static void Remove(TableEntity row, string name)
    {
        row.Remove(name);
        var part = 0;
        while (row.Remove(Part(name, part)))
        {
            part++;
        }
    }

    /// <summary>
    /// The size of a row as Table Storage counts it (keys, property names and values as UTF-16, fixed sizes for the
    /// other types), to stay within <see cref="MaxEntityBytes"/>.
    /// </summary>
    public static long Size(TableEntity row)
    {
        long size = 4 + (2L * row.PartitionKey.Length) + (2L * row.RowKey.Length);
        foreach (var (name, value) in row)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
            {
                continue;
            }

            size += 8 + (2L * name.Length) + value switch
            {
                string text => 4 + (2L * text.Length),
                byte[] bytes => 4 + bytes.Length,
                bool => 1,
                int => 4,
                Guid => 16,
                _ => 8,
            };
        }

        return size;
    }

    private static string Part(string name, int part) => name + part.ToString(CultureInfo.InvariantCulture);
}
