using ContinuityHub.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplication.CreateBuilder(args)
    .AddContinuityHubFunctions()
    .Build()
    .Run();
