using ContinuityHub.Azure.Intake;
using ContinuityHub.Intake;
using ContinuityHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContinuityHub.Azure.Tests.Intake;

public sealed class IntakeRegistrationTests(AzuriteFixture azurite)
{
    [Fact]
    public void The_hub_registration_wires_the_intake_to_table_and_blob_storage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build();
        using var services = new ServiceCollection().AddContinuityHub(configuration).BuildServiceProvider();

        Assert.IsType<TableIncidentStore>(services.GetRequiredService<IIncidentStore>());
        Assert.IsType<BlobPayloadArchive>(services.GetRequiredService<IPayloadArchive>());
        Assert.IsType<TableAuditLog>(services.GetRequiredService<IAuditLog>());
        Assert.Same(services.GetRequiredService<IIncidentStore>(), services.GetRequiredService<IIncidentStore>());
        Assert.NotNull(services.GetRequiredService<IntakeService>());
        Assert.NotNull(services.GetRequiredService<IntakeRedriveService>());
        Assert.NotNull(services.GetRequiredService<ReassessService>());
    }
}
