using System.CommandLine;
using ContinuityHub.Cli.Serve;

namespace ContinuityHub.Cli.Commands;

/// <summary><c>hub serve</c>: the webhook intake and incident routes on this machine, with the re-assessment timer.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, ';' between addresses. Without Serve:ApiKey only loopback addresses are allowed.",
            DefaultValueFactory = _ => ServeHost.DefaultUrls,
        };
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "serve",
            $"Serve {ServeHost.Routes} on Kestrel, as the Functions app does, and re-assess open incidents on a timer, until Ctrl+C. {ServeHost.LocalSinks}")
        {
            urls, storage,
        };
        command.SetAction((parse, ct) => ServeHost.RunAsync(parse.GetValue(urls) ?? ServeHost.DefaultUrls, parse.GetValue(storage), console, time, ct));
        return command;
    }
}
