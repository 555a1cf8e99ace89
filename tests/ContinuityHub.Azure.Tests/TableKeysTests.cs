using ContinuityHub.Azure.Storage;
using ContinuityHub.Catalog;

namespace ContinuityHub.Azure.Tests;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("payments", "payments")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("del\u007f", "del%7F")]
    public void Escape_replaces_only_what_table_keys_forbid(string value, string key)
    {
        Assert.Equal(key, TableKeys.Escape(value));
        Assert.Equal(value, TableKeys.Unescape(key));
    }

    [Theory]
    [InlineData("%2F")]
    [InlineData("%252F")]
    [InlineData("a%b")]
    [InlineData("/%/%%/")]
    [InlineData("naïve — ünïcödé")]
    public void Unescape_reverses_escape(string value)
    {
        Assert.Equal(value, TableKeys.Unescape(TableKeys.Escape(value)));
    }

    [Theory]
    [InlineData(AliasSource.ServiceNow, "  Payments Gateway ", "servicenow", "payments gateway")]
    [InlineData(AliasSource.AzureMonitor, "/subscriptions/S/resourceGroups/RG/", "azuremonitor", "%2Fsubscriptions%2Fs%2Fresourcegroups%2Frg")]
    [InlineData(AliasSource.Jira, "PAY/", "jira", "pay%2F")]
    public void Alias_keys_are_the_source_name_and_the_normalized_escaped_alias(AliasSource source, string alias, string partition, string row)
    {
        Assert.Equal(partition, TableKeys.AliasPartition(source));
        Assert.Equal(row, TableKeys.AliasRowKey(source, alias));
    }
}
