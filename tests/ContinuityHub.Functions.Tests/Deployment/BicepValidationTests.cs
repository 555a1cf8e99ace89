using System.Text.Json;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// The Bicep CLI accepts bicep/ as it stands: it builds, the linter (its recommended rules raised to errors by
/// bicep/bicepconfig.json) finds nothing, and every parameters file builds against main.bicep. Any diagnostic the
/// CLI prints, a warning included, fails these tests.
/// </summary>
[Collection(nameof(BicepTemplates))]
public class BicepValidationTests(BicepFixture bicep)
{
    [Fact]
    public void Main_template_builds_without_a_diagnostic()
    {
        Assert.True(bicep.Build.ExitCode == 0 && bicep.Build.Output.Length == 0, bicep.Build.ToString());
    }

    [Fact]
    public void Every_bicep_file_passes_the_linter()
    {
        Assert.Contains("main.bicep", BicepFixture.BicepFiles);
        Assert.Contains("modules/rbac.bicep", BicepFixture.BicepFiles);
        Assert.True(bicep.Lint.ExitCode == 0 && bicep.Lint.Output.Length == 0, bicep.Lint.ToString());
    }

    [Fact]
    public void Every_parameters_file_builds_against_the_main_template()
    {
        Assert.True(bicep.ParameterBuild.ExitCode == 0 && bicep.ParameterBuild.Output.Length == 0, bicep.ParameterBuild.ToString());
        Assert.Equal(BicepFixture.ParameterFiles, bicep.Parameters.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void There_is_a_parameters_file_for_dev_and_for_prod()
    {
        Assert.Equal(["main.dev.bicepparam", "main.prod.bicepparam"], BicepFixture.ParameterFiles);
    }

    [Fact]
    public void Production_turns_on_key_vault_purge_protection_and_zone_redundant_storage()
    {
        Assert.True(bicep.Parameters.TryGetValue("main.prod.bicepparam", out var prod), bicep.ParameterBuild.ToString());
        var parameters = prod.RootElement.GetProperty("parameters");

        Assert.True(parameters.GetProperty("keyVaultPurgeProtection").GetProperty("value").GetBoolean());
        Assert.Equal("Standard_ZRS", parameters.GetProperty("storageSku").GetProperty("value").GetString());
    }

    [Fact]
    public void Linter_configuration_raises_every_rule_it_names_to_an_error()
    {
        using var config = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(BicepFixture.BicepDirectory, "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");
        var rules = core.GetProperty("rules").EnumerateObject().ToList();

        Assert.True(core.GetProperty("enabled").GetBoolean());
        Assert.Contains(rules, r => r.Name == "no-unused-params");
        Assert.Contains(rules, r => r.Name == "outputs-should-not-contain-secrets");
        Assert.Contains(rules, r => r.Name == "use-secure-value-for-secure-inputs");
        Assert.All(rules, r => Assert.Equal("error", r.Value.GetProperty("level").GetString()));
    }

    [Fact]
    public void Azd_parameters_file_sets_only_parameters_the_template_declares()
    {
        var template = bicep.CompiledTemplate();
        var declared = template.Root.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        using var azdParameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepFixture.BicepDirectory, "main.parameters.json")));
        var given = azdParameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(given, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare"));
        Assert.All(
            declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Key),
            name => Assert.Contains(name, given));
    }

    [Fact]
    public void Azure_yaml_provisions_bicep_and_deploys_the_functions_project()
    {
        var lines = File.ReadAllLines(Path.Combine(AzuriteFixture.RepositoryRoot, "azure.yaml")).Select(l => l.Trim()).ToList();

        Assert.Contains("name: continuityhub", lines);
        Assert.Contains("provider: bicep", lines);
        Assert.Contains("path: bicep", lines);
        Assert.Contains("module: main", lines);
        Assert.Contains("project: ./src/ContinuityHub.Functions", lines);
        Assert.Contains("language: dotnet", lines);
        Assert.Contains("host: function", lines);
        Assert.True(File.Exists(Path.Combine(AzuriteFixture.RepositoryRoot, "src", "ContinuityHub.Functions", "ContinuityHub.Functions.csproj")));
    }
}
