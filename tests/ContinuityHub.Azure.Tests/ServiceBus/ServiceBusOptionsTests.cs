using System.ComponentModel.DataAnnotations;
using Azure.Messaging.ServiceBus;
using ContinuityHub.Azure.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ContinuityHub.Azure.Tests.ServiceBus;

/// <summary>The <c>ServiceBus</c> settings, read the way Azure Functions reads a connection, and what they register.</summary>
public sealed class ServiceBusOptionsTests
{
    private const string ConnectionString =
        "Endpoint=sb://sb-hub-local.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a2V5a2V5a2V5";

    [Fact]
    public void Nothing_set_means_the_service_bus_intake_is_off_with_the_defaults()
    {
        var options = ServiceBusOptions.FromConfiguration(Configuration());

        Assert.False(options.IsConfigured);
        Assert.Equal("incidents", options.IncidentQueue);
        Assert.Equal(TimeSpan.FromSeconds(8), options.DrainBudget);
        Assert.Equal(10, options.MaxDeliveryCount);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void The_ServiceBus_value_is_a_connection_string()
    {
        var options = ServiceBusOptions.FromConfiguration(Configuration(("ServiceBus", ConnectionString)));

        Assert.True(options.IsConfigured);
        Assert.False(options.UsesIdentity);
        Assert.Equal(ConnectionString, options.ConnectionString);
    }

    [Theory]
    [InlineData("sb-hub-prod.servicebus.windows.net")]
    [InlineData("sb://sb-hub-prod.servicebus.windows.net/")]
    [InlineData("https://sb-hub-prod.servicebus.windows.net:443/")]
    public void A_fully_qualified_namespace_means_identity_based_access(string value)
    {
        var options = ServiceBusOptions.FromConfiguration(Configuration(
            ("ServiceBus:fullyQualifiedNamespace", value),
            ("ServiceBus:clientId", "1111-2222")));

        Assert.True(options.IsConfigured);
        Assert.True(options.UsesIdentity);
        Assert.Equal("sb-hub-prod.servicebus.windows.net", options.FullyQualifiedNamespace);
        Assert.Equal("1111-2222", options.ClientId);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void The_queue_budget_and_delivery_count_are_settings()
    {
        var options = ServiceBusOptions.FromConfiguration(Configuration(
            ("ServiceBus", ConnectionString),
            ("ServiceBus:IncidentQueue", "incidents-test"),
            ("ServiceBus:DrainBudget", "00:00:20"),
            ("ServiceBus:MaxDeliveryCount", "5")));

        Assert.Equal("incidents-test", options.IncidentQueue);
        Assert.Equal(TimeSpan.FromSeconds(20), options.DrainBudget);
        Assert.Equal(5, options.MaxDeliveryCount);
        Assert.Equal(TimeSpan.FromSeconds(30), ServiceBusOptions.FromConfiguration(Configuration(("ServiceBus:DrainBudget", "30s"))).DrainBudget);
    }

    [Fact]
    public void Unreadable_or_out_of_range_settings_are_named()
    {
        var unreadable = ServiceBusOptions.FromConfiguration(Configuration(
            ("ServiceBus:fullyQualifiedNamespace", "not a host"),
            ("ServiceBus:DrainBudget", "soon"),
            ("ServiceBus:MaxDeliveryCount", "ten")));
        var outOfRange = ServiceBusOptions.FromConfiguration(Configuration(
            ("ServiceBus:DrainBudget", "00:00:00"),
            ("ServiceBus:MaxDeliveryCount", "0"),
            ("ServiceBus:IncidentQueue", "my incidents")));

        Assert.Equal(
            [
                "ServiceBus:fullyQualifiedNamespace 'not a host' is not a host name such as sb-hub.servicebus.windows.net.",
                "ServiceBus:DrainBudget 'soon' is not a time span such as 00:00:08 or 8s.",
                "ServiceBus:MaxDeliveryCount 'ten' is not a whole number.",
            ],
            Validate(unreadable));
        Assert.Equal(
            [
                "ServiceBus:IncidentQueue 'my incidents' is not a queue name (up to 260 characters, no spaces).",
                "ServiceBus:DrainBudget 00:00:00 must be more than zero and at most 00:05:00.",
                "ServiceBus:MaxDeliveryCount 0 must be at least 1.",
            ],
            Validate(outOfRange));
    }

    [Fact]
    public async Task A_host_without_a_ServiceBus_setting_starts_with_the_drain_off()
    {
        using var host = Host(Configuration());

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.False(host.Services.GetRequiredService<IncidentQueueDrainer>().IsEnabled);
        var refused = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ServiceBusClient>());
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", refused.Message, StringComparison.Ordinal);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_host_with_a_bad_ServiceBus_setting_does_not_start()
    {
        using var host = Host(Configuration(("ServiceBus", ConnectionString), ("ServiceBus:DrainBudget", "soon")));

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ServiceBus:DrainBudget 'soon'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_registers_one_client_and_an_enabled_drain_on_the_incident_queue()
    {
        await using var services = new ServiceCollection()
            .AddContinuityHub(Configuration(("ServiceBus", ConnectionString), ("ServiceBus:IncidentQueue", "incidents-test")))
            .BuildServiceProvider();

        var client = services.GetRequiredService<ServiceBusClient>();

        Assert.Same(client, services.GetRequiredService<ServiceBusClient>());
        Assert.Equal("sb-hub-local.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.True(services.GetRequiredService<IncidentQueueDrainer>().IsEnabled);
    }

    [Fact]
    public async Task Identity_settings_the_Functions_way_build_the_client_for_the_namespace()
    {
        await using var services = new ServiceCollection()
            .AddContinuityHub(Configuration(
                ("ServiceBus:fullyQualifiedNamespace", "sb-hub-prod.servicebus.windows.net"),
                ("ServiceBus:clientId", "00000000-0000-0000-0000-000000000001")))
            .BuildServiceProvider();

        var client = services.GetRequiredService<ServiceBusClient>();

        Assert.Equal("sb-hub-prod.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.True(services.GetRequiredService<IncidentQueueDrainer>().IsEnabled);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static IHost Host(IConfiguration configuration)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddContinuityHub(builder.Configuration);
        return builder.Build();
    }

    private static List<string> Validate(ServiceBusOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }
}
