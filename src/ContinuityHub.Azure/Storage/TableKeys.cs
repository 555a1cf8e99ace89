using System.Globalization;
using System.Text;
using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Storage;

/// <summary>
/// How the hub turns ids and aliases into Table Storage keys. Keys may not hold '/', '\', '#', '?' or control
/// characters; those (and '%' itself, so the encoding is reversible) are written as '%XX'.
/// </summary>
public static class TableKeys
{
    /// <summary>Makes <paramref name="value"/> safe as a PartitionKey or RowKey; <see cref="Unescape"/> reverses it.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(MustEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (MustEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The value <see cref="Escape"/> was given.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length
                && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The Aliases table partition of a source system: its name in lower case, e.g. <c>servicenow</c>, <c>azuremonitor</c>.</summary>
    public static string AliasPartition(AliasSource source) => CatalogNames.Name(source);

    /// <summary>
    /// The form an alias is matched in: trimmed and lower case; Azure Monitor resource ids also lose trailing '/'
    /// (<c>/subscriptions/…/resourceGroups/RG/</c> and <c>/subscriptions/…/resourcegroups/rg</c> are one alias).
    /// </summary>
    public static string NormalizeAlias(AliasSource source, string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return CatalogNames.NormalizeAlias(source, alias);
    }

    /// <summary>The Aliases table RowKey of an alias: normalized, then escaped.</summary>
    public static string AliasRowKey(AliasSource source, string alias) => Escape(NormalizeAlias(source, alias));

    private static bool MustEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
