using ContinuityHub.Catalog;

namespace ContinuityHub.Core.Tests.Catalog;

public class CatalogValidatorTests
{
    [Fact]
    public void ServiceNow_fields_of_a_catalogue_not_read_from_a_file_are_checked_too()
    {
        // Arrange: as an import gets it, without the reader's trimming.
        var catalog = new CatalogBuilder()
            .WithPolicy(Policy.Default with
            {
                ServiceNowFields = new Dictionary<string, string>
                {
                    ["work_notes"] = "x",
                    ["u_level\n"] = "{level}",
                    ["u_" + new string('a', 78)] = "fits",
                    ["u_" + new string('a', 79)] = "too long a name",
                    ["u_summary"] = new string('x', 1001),
                },
            })
            .WithService("sql")
            .Build();

        // Act
        var problems = CatalogValidator.Validate(catalog).Select(p => p.Path).ToList();

        // Assert
        Assert.Equal(
            ["policy.serviceNowFields.work_notes", "policy.serviceNowFields.u_level\n", $"policy.serviceNowFields.u_{new string('a', 79)}", "policy.serviceNowFields.u_summary"],
            problems);
    }

    [Fact]
    public void A_policy_without_servicenow_fields_is_valid()
    {
        var catalog = new CatalogBuilder().WithService("sql").Build();

        Assert.Empty(CatalogValidator.Validate(catalog));
    }
}
