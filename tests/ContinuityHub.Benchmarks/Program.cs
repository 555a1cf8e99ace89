using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/ContinuityHub.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
