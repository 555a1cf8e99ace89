namespace ContinuityHub.Azure.Storage;

/// <summary>The prefix a store puts before its table names: empty in production, unique per test.</summary>
internal static class TablePrefix
{
    public static string Validate(string tablePrefix, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(tablePrefix, parameterName);
        if (!tablePrefix.All(char.IsAsciiLetterOrDigit) || (tablePrefix.Length > 0 && !char.IsAsciiLetter(tablePrefix[0])))
        {
            throw new ArgumentException("A table prefix holds letters and digits only and starts with a letter.", parameterName);
        }

        return tablePrefix;
    }
}
