using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

/// <summary>A service's <c>heartbeats:</c> and <c>policy.rpoWarnFraction</c> as the file gives them, and each rule they keep, by its path.</summary>
public class CatalogYamlReaderHeartbeatsTests
{
    private const string Catalogue = """
        services:
          - id: sql-cluster
            name: SQL cluster
            tier: 1
            rto: 1h
            rpo: 5m
            mtpd: 6h
          - id: core-ledger
            name: Core Ledger
            tier: 1
            rto: 4h
            rpo: 15m
            mtpd: 8h
            heartbeats:
              - name: log-shipping
                every: 5m
                grace: 1m
              - name: nightly-backup
                every: 24h
        """;

    /// <summary>The catalogue with the second service's heartbeats replaced by <paramref name="heartbeats"/> (indented as list items under the key).</summary>
    private static string With(string heartbeats) =>
        Catalogue[..(Catalogue.IndexOf("    heartbeats:\n", StringComparison.Ordinal) + "    heartbeats:\n".Length)]
        + string.Concat(heartbeats.Split('\n').Select(line => "      " + line + "\n"));

    private static List<string> Problems(string yaml) =>
        [.. Assert.Throws<HubValidationException>(() => CatalogYamlReader.Read(yaml)).Problems.Select(p => p.ToString())];

    [Fact]
    public void Heartbeats_read_every_key_in_file_order_with_grace_zero_when_absent()
    {
        // Act
        var service = CatalogYamlReader.Read(Catalogue).Services[1];

        // Assert
        Assert.Equal(
            [
                new HeartbeatDeclaration("log-shipping", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)),
                new HeartbeatDeclaration("nightly-backup", TimeSpan.FromHours(24), TimeSpan.Zero),
            ],
            service.Heartbeats);
    }

    [Fact]
    public void Service_without_heartbeats_has_none()
    {
        var service = CatalogYamlReader.Read(Catalogue).Services[0];

        Assert.Empty(service.Heartbeats);
    }

    [Fact]
    public void Heartbeats_given_as_flow_mappings_read_the_same()
    {
        var yaml = With("- {name: log-shipping, every: 5m, grace: 1m}\n- {name: nightly-backup, every: 1d}");

        var service = CatalogYamlReader.Read(yaml).Services[1];

        Assert.Equal(["log-shipping", "nightly-backup"], service.Heartbeats.Select(h => h.Name));
        Assert.Equal(TimeSpan.FromDays(1), service.Heartbeats[1].Every);
    }

    [Theory]
    [InlineData("- every: 5m", "services[1].heartbeats[0].name: is required")]
    [InlineData("- name: \"\"\n  every: 5m", "services[1].heartbeats[0].name: must not be empty")]
    [InlineData("- name: log-shipping", "services[1].heartbeats[0].every: is required")]
    [InlineData("- name: log-shipping\n  every: 5 minutes", "services[1].heartbeats[0].every: '5 minutes' is not a duration (expected a duration like 30s, 90m, 4h or 2d)")]
    [InlineData("- name: log-shipping\n  every: 5m\n  grace: -1m", "services[1].heartbeats[0].grace: '-1m' is not a duration (expected a duration like 30s, 90m, 4h or 2d)")]
    [InlineData("- name: log-shipping\n  every: [5m]", "services[1].heartbeats[0].every: expected a single value, not a list or mapping")]
    [InlineData("- name: log-shipping\n  every: 5m\n  interval: 5m", "services[1].heartbeats[0].interval: unknown key (expected one of name, every, grace)")]
    [InlineData("- name: log-shipping\n  every: 5m\n  grce: 1m", "services[1].heartbeats[0].grce: unknown key; did you mean 'grace'?")]
    [InlineData("- log-shipping", "services[1].heartbeats[0]: expected a mapping with keys name, every, grace")]
    public void Unreadable_heartbeat_is_refused_naming_the_path(string heartbeats, string expected)
    {
        var problems = Problems(With(heartbeats));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Fact]
    public void Heartbeats_that_are_not_a_list_are_refused_naming_the_path()
    {
        var yaml = Catalogue.Replace("    mtpd: 6h\n", "    mtpd: 6h\n    heartbeats: {name: log-backup, every: 1m}\n", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Equal("services[0].heartbeats: expected a list of heartbeats, e.g. - name: log-backup", Assert.Single(problems));
    }

    [Fact]
    public void A_misspelt_heartbeats_key_is_named_with_the_right_one()
    {
        var yaml = Catalogue.Replace("    heartbeats:\n", "    heartbeat:\n", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Equal("services[1].heartbeat: unknown key; did you mean 'heartbeats'?", Assert.Single(problems));
    }

    [Theory]
    [InlineData("- name: Log-Shipping\n  every: 5m", "services[1].heartbeats[0].name: 'Log-Shipping' is not a valid heartbeat name (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- name: -log\n  every: 5m", "services[1].heartbeats[0].name: '-log' is not a valid heartbeat name (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- name: log_shipping\n  every: 5m", "services[1].heartbeats[0].name: 'log_shipping' is not a valid heartbeat name (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- name: log/shipping\n  every: 5m", "services[1].heartbeats[0].name: 'log/shipping' is not a valid heartbeat name (lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters)")]
    [InlineData("- name: a\n  every: 5m\n- name: b\n  every: 1h\n- name: a\n  every: 1d", "services[1].heartbeats[2].name: duplicate name 'a' (also services[1].heartbeats[0])")]
    [InlineData("- name: a\n  every: 59s", "services[1].heartbeats[0].every: 59s is outside 1m–400d (how often the job reports)")]
    [InlineData("- name: a\n  every: 0m", "services[1].heartbeats[0].every: 0m is outside 1m–400d (how often the job reports)")]
    [InlineData("- name: a\n  every: 401d", "services[1].heartbeats[0].every: 401d is outside 1m–400d (how often the job reports)")]
    [InlineData("- name: a\n  every: 1h\n  grace: 1h", "services[1].heartbeats[0].grace: 1h must be shorter than every (1h): a heartbeat that late has missed the next one too")]
    [InlineData("- name: a\n  every: 1h\n  grace: 2h", "services[1].heartbeats[0].grace: 2h must be shorter than every (1h): a heartbeat that late has missed the next one too")]
    public void Each_heartbeat_rule_is_one_problem_naming_its_path(string heartbeats, string expected)
    {
        var problems = Problems(With(heartbeats));

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData("- name: a\n  every: 1m")]
    [InlineData("- name: a\n  every: 400d\n  grace: 399d")]
    [InlineData("- name: a\n  every: 1h\n  grace: 59m")]
    [InlineData("- name: a\n  every: 1h\n  grace: 0s")]
    [InlineData("- name: 0\n  every: 1h")]
    public void Heartbeats_at_the_edges_of_the_rules_are_valid(string heartbeats)
    {
        var service = CatalogYamlReader.Read(With(heartbeats)).Services[1];

        Assert.Single(service.Heartbeats);
    }

    [Fact]
    public void Heartbeat_name_of_63_characters_is_accepted_and_of_64_refused()
    {
        var ok = With($"- name: {new string('b', 63)}\n  every: 1h");
        var tooLong = With($"- name: {new string('b', 64)}\n  every: 1h");

        CatalogYamlReader.Read(ok);
        Assert.StartsWith("services[1].heartbeats[0].name: 'bbb", Assert.Single(Problems(tooLong)), StringComparison.Ordinal);
    }

    [Fact]
    public void Same_heartbeat_name_on_two_services_is_allowed()
    {
        var yaml = Catalogue.Replace("    mtpd: 6h\n", "    mtpd: 6h\n    heartbeats:\n      - {name: log-shipping, every: 1m}\n", StringComparison.Ordinal);

        var catalog = CatalogYamlReader.Read(yaml);

        Assert.Equal("log-shipping", Assert.Single(catalog.Services[0].Heartbeats).Name);
    }

    [Fact]
    public void Heartbeat_problem_in_a_later_service_names_its_place_in_the_file()
    {
        // The first service has a problem of its own, so the second is the only one kept: the path still says services[1].
        var yaml = With("- name: a\n  every: 1h\n  grace: 1h").Replace("    rto: 1h\n", "    rto: soon\n", StringComparison.Ordinal);

        var problems = Problems(yaml);

        Assert.Contains("services[1].heartbeats[0].grace: 1h must be shorter than every (1h): a heartbeat that late has missed the next one too", problems);
    }

    [Theory]
    [InlineData("0.8", 0.8)]
    [InlineData("0.5", 0.5)]
    [InlineData("0.99", 0.99)]
    [InlineData("1e-3", 0.001)]
    public void Policy_rpo_warn_fraction_is_read(string value, double expected)
    {
        var policy = CatalogYamlReader.Read("policy:\n  rpoWarnFraction: " + value + "\n" + Catalogue).Policy;

        Assert.Equal(expected, policy.RpoWarnFraction);
    }

    [Fact]
    public void Policy_rpo_warn_fraction_defaults_to_0_8()
    {
        var withPolicy = CatalogYamlReader.Read("policy:\n  alertFraction: 0.4\n" + Catalogue).Policy;
        var withoutPolicy = CatalogYamlReader.Read(Catalogue).Policy;

        Assert.Equal(Policy.DefaultRpoWarnFraction, withPolicy.RpoWarnFraction);
        Assert.Equal(0.8, withoutPolicy.RpoWarnFraction);
    }

    [Theory]
    [InlineData("0", "policy.rpoWarnFraction: 0 must be above 0 and below 1")]
    [InlineData("1", "policy.rpoWarnFraction: 1 must be above 0 and below 1")]
    [InlineData("1.2", "policy.rpoWarnFraction: 1.2 must be above 0 and below 1")]
    [InlineData("-0.5", "policy.rpoWarnFraction: -0.5 must be above 0 and below 1")]
    [InlineData("most", "policy.rpoWarnFraction: 'most' is not a number")]
    [InlineData("NaN", "policy.rpoWarnFraction: 'NaN' is not a number")]
    [InlineData("[0.8]", "policy.rpoWarnFraction: expected a single value, not a list or mapping")]
    public void Policy_rpo_warn_fraction_outside_0_to_1_or_not_a_number_is_one_problem(string value, string expected)
    {
        var problems = Problems("policy:\n  rpoWarnFraction: " + value + "\n" + Catalogue);

        Assert.Equal(expected, Assert.Single(problems));
    }

    [Fact]
    public void A_misspelt_rpo_warn_fraction_key_is_named_with_the_right_one()
    {
        var problems = Problems("policy:\n  rpoWarnFracton: 0.8\n" + Catalogue);

        Assert.Equal("policy.rpoWarnFracton: unknown key; did you mean 'rpoWarnFraction'?", Assert.Single(problems));
    }
}
