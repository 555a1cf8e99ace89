using System.CommandLine;
using ContinuityHub.Cli.Commands;

namespace ContinuityHub.Cli;

/// <summary>
/// The <c>hub</c> command. Exit codes: 0 done, 1 the hub could not do it (storage unreachable, …), 2 bad input
/// (one <c>path: message</c> line per problem on standard error). Never a stack trace for a user.
/// </summary>
public static class HubCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, output, error, TimeProvider.System, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("ContinuityHub: decides when a major incident needs a continuity plan invoked, tells the crisis team, and reports on the continuity programme.");
        root.Subcommands.Add(CatalogCommands.Create(console));
        root.Subcommands.Add(SimulateCommand.Create(console, time));
        root.Subcommands.Add(ServeCommand.Create(console, time));
        root.Subcommands.Add(IntakeCommands.Create(console, time));
        root.Subcommands.Add(ReportCommand.Create(console, time));
        root.Subcommands.Add(HeartbeatCommands.Create(console, time));
        root.Subcommands.Add(MaintenanceCommands.Create(console, time));
        root.Subcommands.Add(GraphCommands.Create(console, time));
        root.Subcommands.Add(SamplesCommand.Create(console, time));
        root.Subcommands.Add(DemoCommand.Create(console, time));
        root.Subcommands.Add(ExerciseCommands.Create(console, time));
        root.Subcommands.Add(LessonsCommands.Create(console, time));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && UnknownVerb.Describe(parse) is { } unknown)
        {
            await error.WriteLineAsync(unknown);
            return BadInput;
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"{Describe(e.SymbolResult is { Tokens.Count: > 0 } r ? r.Tokens[0].Value : "usage")}: {e.Message}");
            }

            await error.WriteLineAsync("Run 'hub --help' for usage.");
            return BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (HubValidationException e)
        {
            foreach (var problem in e.Problems)
            {
                await error.WriteLineAsync(problem.ToString());
            }

            return BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return Failed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await error.WriteLineAsync($"error: {CliConsole.Explain(e)}");
            return Failed;
        }
    }

    private static string Describe(string token) => token.StartsWith('-') ? token : "usage";
}
