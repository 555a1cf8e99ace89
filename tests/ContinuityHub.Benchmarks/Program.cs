using BenchmarkDotNet.Running;
using ContinuityHub.Benchmarks;

// dotnet run -c Release --project tests/ContinuityHub.Benchmarks -- intake-load [--deliveries 2000] [--concurrency 16]
// dotnet run -c Release --project tests/ContinuityHub.Benchmarks -- teams-load [--incidents 300] [--concurrency 8] [--storm 600]
// dotnet run -c Release --project tests/ContinuityHub.Benchmarks -- storm [--events 10000] [--incidents 50] [--concurrency 16]
// dotnet run -c Release --project tests/ContinuityHub.Benchmarks -- --filter '*'
if (args.Length > 0 && args[0] == IntakeLoad.Name)
{
    return await IntakeLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == TeamsLoad.Name)
{
    return await TeamsLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == StormLoad.Name)
{
    return await StormLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
