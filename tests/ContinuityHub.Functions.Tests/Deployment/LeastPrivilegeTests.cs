using System.Text.Json;
using System.Text.RegularExpressions;
using ContinuityHub.Azure.Storage;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>
/// The compiled template grants the hub's identity only what it needs, each role on the one resource that needs it,
/// and nothing in it reads, passes or allows keys.
/// </summary>
[Collection(nameof(BicepTemplates))]
public partial class LeastPrivilegeTests(BicepFixture bicep)
{
    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";

    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";

    /// <summary>Role definition id → (role, the type of the one resource it is granted on).</summary>
    private static readonly Dictionary<string, (string Role, string Scope)> _expectedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = ("Storage Blob Data Owner", "Microsoft.Storage/storageAccounts"),
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = ("Storage Table Data Contributor", "Microsoft.Storage/storageAccounts"),
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = ("Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts"),
        ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = ("Azure Service Bus Data Receiver", "Microsoft.ServiceBus/namespaces/queues"),
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = ("Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces/topics"),
        ["4633458b-17de-408a-b874-0445c86b69e6"] = ("Key Vault Secrets User", "Microsoft.KeyVault/vaults"),
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = ("Monitoring Metrics Publisher", "Microsoft.Insights/components"),
    };

    [Fact]
    public void Every_role_assignment_is_scoped_to_one_resource_and_named_for_scope_principal_and_role()
    {
        var assignments = bicep.CompiledTemplate().OfType(RoleAssignments).ToList();

        Assert.NotEmpty(assignments);
        Assert.All(assignments, assignment =>
        {
            var scope = ResourceScope(assignment);
            Assert.True(scope is not null, $"{assignment} has no resource scope ('{assignment.Scope}'): it would apply to the whole resource group");
            var role = RoleId(assignment);
            Assert.Equal($"[guid({scope.Value.Expression}, parameters('principalId'), '{role}')]", assignment.Name);
        });
    }

    [Fact]
    public void The_identity_holds_exactly_the_roles_the_hub_needs_on_the_resources_that_need_them()
    {
        var granted = bicep.CompiledTemplate().OfType(RoleAssignments)
            .Select(a => (Role: RoleId(a), Scope: ResourceScope(a)?.Type ?? $"(not a resource: {a.Scope})"))
            .Select(g => (Role: _expectedRoles.TryGetValue(g.Role, out var known) ? known.Role : $"unexpected role {g.Role}", g.Scope))
            .Order()
            .ToList();

        Assert.Equal(_expectedRoles.Values.Order().ToList(), granted);
    }

    [Fact]
    public void Roles_go_to_the_hub_identity_as_a_service_principal()
    {
        var template = bicep.CompiledTemplate();
        var rbac = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d.Name == "rbac");

        Assert.Matches(@"^\[reference\(resourceId\('Microsoft.Resources/deployments', 'identity'\).*\)\.outputs\.principalId\.value\]$",
            rbac.Required("properties", "parameters", "principalId", "value").GetString());
        Assert.All(template.OfType(RoleAssignments), a =>
        {
            Assert.Equal("[parameters('principalId')]", a.Required("properties", "principalId").GetString());
            Assert.Equal("ServicePrincipal", a.Required("properties", "principalType").GetString());
        });
        Assert.Single(template.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    [Fact]
    public void Storage_forbids_shared_keys_public_blobs_and_old_tls()
    {
        var storage = bicep.CompiledTemplate().Only("Microsoft.Storage/storageAccounts");

        Assert.False(storage.Required("properties", "allowSharedKeyAccess").GetBoolean(), "storage must refuse shared keys (allowSharedKeyAccess: false)");
        Assert.False(storage.Required("properties", "allowBlobPublicAccess").GetBoolean(), "storage must refuse anonymous blob access (allowBlobPublicAccess: false)");
        Assert.Equal("TLS1_2", storage.Required("properties", "minimumTlsVersion").GetString());
        Assert.True(storage.Required("properties", "supportsHttpsTrafficOnly").GetBoolean(), "storage must take HTTPS only");
    }

    [Fact]
    public void Service_bus_and_application_insights_accept_entra_id_only()
    {
        var template = bicep.CompiledTemplate();

        Assert.True(template.Only("Microsoft.ServiceBus/namespaces").Required("properties", "disableLocalAuth").GetBoolean(), "Service Bus must refuse SAS keys");
        Assert.True(template.Only("Microsoft.Insights/components").Required("properties", "DisableLocalAuth").GetBoolean(), "Application Insights must refuse unauthenticated ingestion");
        Assert.All(template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            policy => Assert.False(policy.Required("properties", "allow").GetBoolean(), $"{policy} allows publishing passwords"));
        Assert.Equal(2, template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Count());
    }

    [Fact]
    public void Key_vault_authorizes_with_rbac_and_keeps_deleted_secrets()
    {
        var vault = bicep.CompiledTemplate().Only("Microsoft.KeyVault/vaults");

        Assert.True(vault.Required("properties", "enableRbacAuthorization").GetBoolean(), "Key Vault must authorize with Azure RBAC");
        Assert.True(vault.Required("properties", "enableSoftDelete").GetBoolean(), "Key Vault must keep deleted secrets");
        Assert.Contains("parameters('enablePurgeProtection')", vault.Required("properties", "enablePurgeProtection").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_reads_or_passes_account_keys_or_connection_strings_with_keys()
    {
        var text = bicep.CompiledTemplate().Text;

        Assert.DoesNotMatch(ListFunction(), text);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Incident_queue_dead_letters_and_its_delivery_limit_is_a_parameter()
    {
        var template = bicep.CompiledTemplate();
        var queue = template.Only("Microsoft.ServiceBus/namespaces/queues");

        Assert.True(queue.Required("properties", "deadLetteringOnMessageExpiration").GetBoolean(), "expired incidents must be dead-lettered, not dropped");
        Assert.Equal("[parameters('maxDeliveryCount')]", queue.Required("properties", "maxDeliveryCount").GetString());
        Assert.Equal(JsonValueKind.Number, template.DefaultOf("incidentQueueMaxDeliveryCount").ValueKind);
        Assert.Single(template.OfType("Microsoft.ServiceBus/namespaces/topics"));
        Assert.Equal("Standard", template.Only("Microsoft.ServiceBus/namespaces").Required("sku", "name").GetString());
    }

    [Fact]
    public void Events_topic_drops_duplicate_plan_invoked_messages()
    {
        var topic = bicep.CompiledTemplate().Only("Microsoft.ServiceBus/namespaces/topics");

        Assert.True(topic.Required("properties", "requiresDuplicateDetection").GetBoolean(), "PlanInvoked carries a deterministic MessageId: the topic must drop duplicates");
        var window = System.Xml.XmlConvert.ToTimeSpan(topic.Required("properties", "duplicateDetectionHistoryTimeWindow").GetString()!);
        Assert.InRange(window, TimeSpan.FromHours(1), TimeSpan.FromDays(7));
    }

    [Fact]
    public void The_hub_may_send_to_the_events_topic_and_nowhere_else()
    {
        var template = bicep.CompiledTemplate();
        var rbac = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d.Name == "rbac");
        var senders = template.OfType(RoleAssignments).Where(a => RoleId(a) == ServiceBusDataSender).ToList();

        var sender = Assert.Single(senders);
        Assert.Equal(
            "[resourceId('Microsoft.ServiceBus/namespaces/topics', parameters('serviceBusNamespaceName'), parameters('eventsTopicName'))]",
            sender.Scope);
        Assert.EndsWith(".outputs.eventsTopicName.value]", rbac.Required("properties", "parameters", "eventsTopicName", "value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_creates_every_container_the_hub_uses_and_the_deployment_container()
    {
        var template = bicep.CompiledTemplate();
        var storage = Assert.Single(template.OfType("Microsoft.Resources/deployments"), d => d.Name == "storage");
        var container = template.Only("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("[length(variables('containerNames'))]", container.Required("copy", "count").GetString());

        var names = storage.Required("properties", "template", "variables", "containerNames").EnumerateArray().Select(n => n.GetString()).ToList();

        string?[] expected = [.. StorageNames.Containers, "[parameters('deploymentContainerName')]"];
        Assert.Equal(expected, names);
        Assert.Contains(StorageNames.TokenCacheContainer, names);
        Assert.Equal("None", container.Required("properties", "publicAccess").GetString());
    }

    /// <summary>The resource type and expression of an assignment's scope, when it is <c>[resourceId('type', …)]</c>.</summary>
    private static (string Type, string Expression)? ResourceScope(ArmResource assignment)
    {
        var match = assignment.Scope is null ? null : ResourceIdScope().Match(assignment.Scope);
        return match is { Success: true } && !match.Groups["expression"].Value.Contains("resourceGroup()", StringComparison.Ordinal)
            ? (match.Groups["type"].Value, match.Groups["expression"].Value)
            : null;
    }

    /// <summary>The role definition GUID an assignment grants.</summary>
    private static string RoleId(ArmResource assignment)
    {
        var definition = assignment.Required("properties", "roleDefinitionId").GetString() ?? string.Empty;
        var match = RoleDefinition().Match(definition);
        Assert.True(match.Success, $"{assignment}: roleDefinitionId '{definition}' is not a built-in role definition id");
        return match.Groups["role"].Value;
    }

    [GeneratedRegex(@"^\[(?<expression>resourceId\('(?<type>[A-Za-z.]+/[A-Za-z/]+)',[^\]]+\))\]$")]
    private static partial Regex ResourceIdScope();

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft.Authorization/roleDefinitions', '(?<role>[0-9a-fA-F-]{36})'\)\]$")]
    private static partial Regex RoleDefinition();

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();
}
