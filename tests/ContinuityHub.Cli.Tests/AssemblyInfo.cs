using ContinuityHub.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]
