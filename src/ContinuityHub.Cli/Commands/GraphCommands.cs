using System.CommandLine;
using Azure;
using Azure.Identity;
using ContinuityHub.Azure.Graph;
using ContinuityHub.Azure.Graph.NotificationsAccount;
using ContinuityHub.Azure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub graph login|status</c>: the notifications account channel cards are posted as (Graph allows channel posts
/// only with a delegated permission). <c>login</c> signs it in once with the device-code flow and stores its token
/// cache encrypted in Blob Storage, where the functions refresh it silently; <c>status</c> checks that they can.
/// </summary>
internal static class GraphCommands
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var graph = new Command("graph", "The Teams notifications account: sign it in once (login), check its sign-in still works (status).");
        graph.Subcommands.Add(Login(console, time));
        graph.Subcommands.Add(Status(console, time));
        return graph;
    }

    private static Command Login(CliConsole console, TimeProvider time)
    {
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "login",
            "Sign the notifications account (Graph:NotificationsAccount) in with a device code and store its token cache, encrypted with Graph:TokenCacheKey, for the functions to refresh silently.")
        {
            storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = Check(parse.GetValue(storage));
            await using var services = HubConfiguration.Services(parse.GetValue(storage));
            var cache = Cache(services, options, time);
            var login = new NotificationsAccountLogin(options, new MsalNotificationsAccountClient(options, cache), cache);
            await console.Error.WriteLineAsync(
                $"Signing in {options.NotificationsAccount} (tenant {options.TenantId}, app {options.ClientId}) for {NotificationsAccountCredential.ChannelMessageSendScope}");

            NotificationsAccountLoginResult result;
            try
            {
                result = await login.LoginAsync(
                    async (prompt, token) =>
                    {
                        await console.Out.WriteLineAsync(prompt.Message);
                        await console.Out.WriteLineAsync($"Sign in there as {options.NotificationsAccount} (the code expires at {HumanText.Time(prompt.ExpiresOn)}).");
                        await console.Out.FlushAsync(token);
                    },
                    ct);
            }
            catch (MsalException e) when (!ct.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"error: {Explain(e, options)}");
                return HubCli.Failed;
            }
            catch (HttpRequestException e) when (!ct.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"error: Entra ID is unreachable ({e.Message}); check the network or proxy and run `hub graph login` again");
                return HubCli.Failed;
            }

            await console.Out.WriteLineAsync($"Signed in as {result.Account.Username}.");
            await console.Out.WriteLineAsync($"Token cache stored, encrypted, at {result.CachePath}.");
            await console.Out.WriteLineAsync(
                "The functions refresh the account's token silently from it; `hub graph status` checks they can, and if the sign-in expires or is revoked, run `hub graph login` again.");
            return HubCli.Ok;
        });
        return command;
    }

    private static Command Status(CliConsole console, TimeProvider time)
    {
        var storage = CatalogCommands.StorageOption();
        var command = new Command(
            "status",
            "Check that a token of the notifications account can be had silently from the stored cache, as the functions get it; exits 1 with the reason when not.")
        {
            storage,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = Check(parse.GetValue(storage));
            await using var services = HubConfiguration.Services(parse.GetValue(storage));
            var cache = Cache(services, options, time);
            using var credential = new NotificationsAccountCredential(options, new MsalNotificationsAccountClient(options, cache), time);
            NotificationsAccountToken token;
            try
            {
                token = await credential.AcquireAsync(NotificationsAccountCredential.SignInScopes, claims: null, ct);
            }
            catch (AuthenticationFailedException e) when (e.InnerException is RequestFailedException storageFailure)
            {
                await console.Error.WriteLineAsync($"error: {CliConsole.Explain(storageFailure)}");
                return HubCli.Failed;
            }
            catch (AuthenticationFailedException e)
            {
                // CredentialUnavailableException (sign-in required) included: its message says what to do.
                await console.Error.WriteLineAsync($"error: {FirstLine(e.Message)}");
                return HubCli.Failed;
            }

            await console.Out.WriteLineAsync(
                $"Signed in as {token.Account.Username}; silent refresh works (access token valid until {HumanText.Time(token.ExpiresOn)}).");
            await console.Out.WriteLineAsync($"Token cache: {cache.Path}.");
            return HubCli.Ok;
        });
        return command;
    }

    /// <summary>The Graph settings, checked first: bad input names each missing or malformed one.</summary>
    private static GraphOptions Check(string? storage)
    {
        var options = GraphOptions.FromConfiguration(HubConfiguration.Build(storage));
        return NotificationsAccountLogin.Check(options) is { Count: > 0 } problems ? throw new HubValidationException(problems) : options;
    }

    private static EncryptedTokenCache Cache(IServiceProvider services, GraphOptions options, TimeProvider time) =>
        new(services.GetRequiredService<StorageClients>(), options.TokenCacheKey, time);

    private static string Explain(MsalException e, GraphOptions options)
    {
        var detail = FirstLine(e.Message);
        return e.ErrorCode switch
        {
            MsalError.CodeExpired => "the code expired before anyone signed in with it; run `hub graph login` again",
            "authorization_declined" => $"the sign-in was declined ({detail})",
            _ when detail.Contains("AADSTS7000218", StringComparison.Ordinal) =>
                $"the app registration {options.ClientId} does not allow the device-code flow: set 'Allow public client flows' to Yes on it ({detail})",
            _ when detail.Contains("AADSTS700016", StringComparison.Ordinal) =>
                $"Graph:ClientId {options.ClientId} is not an app registration in tenant {options.TenantId} ({detail})",
            _ when detail.Contains("AADSTS90002", StringComparison.Ordinal) =>
                $"Graph:TenantId {options.TenantId} is not a tenant Entra ID knows ({detail})",
            _ when e is MsalServiceException => $"Entra ID refused the sign-in ({e.ErrorCode}): {detail}",
            _ => $"the sign-in could not be completed ({e.ErrorCode}): {detail}",
        };
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
