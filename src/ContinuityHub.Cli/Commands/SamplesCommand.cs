using ContinuityHub.Exercises;
using System.CommandLine;
using System.Globalization;
using System.Net;
using ContinuityHub.Catalog;
using ContinuityHub.Cli.Samples;
using ContinuityHub.Intake;

namespace ContinuityHub.Cli.Commands;

/// <summary>
/// <c>hub samples send</c>: posts a vendor's sample payload to a running hub, signed as that tool signs, with its times
/// moved so the latest is <c>--at</c> (default now): every example gives fresh clocks, whenever it is run.
/// <c>hub samples list</c>: what there is to send.
/// </summary>
internal static class SamplesCommand
{
    public const string DefaultUrl = "http://127.0.0.1:7071/";

    public static Command Create(CliConsole console, TimeProvider time)
    {
        var samples = new Command("samples", "Send the vendors' sample payloads (infra/samples) to a running hub, signed and with fresh times.");
        samples.Subcommands.Add(Send(console, time));
        samples.Subcommands.Add(List(console));
        return samples;
    }

    private static Command Send(CliConsole console, TimeProvider time)
    {
        var sample = new Argument<string>("sample")
        {
            Description = "A source (its open sample: pagerduty, servicenow, jira, opsgenie, azuremonitor, alertmanager, generic), source/name (pagerduty/incident-resolved) or a JSON file.",
        };
        var source = new Option<string>("--source") { Description = "Which tool sends a JSON file given by path (default: the folder it is in)." };
        var at = new Option<string>("--at") { Description = "The moment the sample's latest time is moved to: now (default) or an ISO 8601 time, e.g. 2026-11-24T10:00:00Z." };
        var url = new Option<string>("--url") { Description = $"The hub's address (default {DefaultUrl}, hub serve's)." };
        var functionKey = new Option<string>("--function-key")
        {
            Description = "The deployed Functions app's function key for the intake route (sent as x-functions-key; default: the HUB_FUNCTION_KEY environment variable). hub serve needs none.",
        };
        var command = new Command(
            "send",
            "Sign and POST a sample to {url}/api/intake/{source} with the secret Intake:Sources:{source}:Secret (as hub serve reads it); prints the hub's answer.")
        {
            sample, source, at, url, functionKey,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (from, path) = VendorSamples.Resolve(parse.GetValue(sample)!, parse.GetValue(source));
            var moment = Moment(parse.GetValue(at), time);
            var hub = Hub(parse.GetValue(url));
            var secret = HubConfiguration.Build(null)[WebhookAuthenticator.SecretSetting(from)];
            if (string.IsNullOrEmpty(secret))
            {
                throw new HubValidationException(
                    WebhookAuthenticator.SecretSetting(from),
                    $"not set: it is the secret hub serve checks {CatalogNames.Name(from)}'s signature with (e.g. export Intake__Sources__{CatalogNames.Name(from)}__Secret=…)");
            }

            var body = PayloadTimes.Rewrite(await CliFiles.ReadBytesAsync(path, "sample", ct), moment);
            using var http = new HttpClient();
            using var request = VendorSamples.Request(hub, from, body, secret);
            if ((parse.GetValue(functionKey) ?? Environment.GetEnvironmentVariable("HUB_FUNCTION_KEY")) is { Length: > 0 } key)
            {
                // The Functions host checks its own key first (AuthorizationLevel.Function), then the hub the tool's signature.
                request.Headers.Add("x-functions-key", key);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                await console.Error.WriteLineAsync($"--url: no hub answers at {hub} ({e.Message}); start one with: ./hub serve");
                return HubCli.Failed;
            }

            using (response)
            {
                var answer = await response.Content.ReadAsStringAsync(ct);
                await console.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Sent {Path.GetFileName(path)} as {CatalogNames.Name(from)}, times moved to {HumanText.Time(moment)}: {(int)response.StatusCode} {response.ReasonPhrase}"));
                await console.Out.WriteLineAsync(answer);
                return response.IsSuccessStatusCode ? HubCli.Ok : response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity ? HubCli.BadInput : HubCli.Failed;
            }
        });
        return command;
    }

    private static Command List(CliConsole console)
    {
        var command = new Command("list", "The samples there are, one per line as 'hub samples send' takes them.");
        command.SetAction(async (_, _) =>
        {
            var folder = VendorSamples.Folder() ?? throw new HubValidationException("samples", "no infra/samples folder above this directory: run from the repository");
            foreach (var file in Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                await console.Out.WriteLineAsync($"{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileNameWithoutExtension(file)}");
            }

            return HubCli.Ok;
        });
        return command;
    }

    internal static DateTimeOffset Moment(string? text, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return time.GetUtcNow();
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment)
            ? moment
            : throw new HubValidationException("--at", $"'{text}' is not 'now' or an ISO 8601 time (e.g. 2026-11-24T10:00:00Z)");
    }

    private static Uri Hub(string? text)
    {
        var value = string.IsNullOrWhiteSpace(text) ? DefaultUrl : text.Trim();
        return Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var hub) && hub.Scheme is "http" or "https"
            ? hub
            : throw new HubValidationException("--url", $"'{text}' is not an http(s) address");
    }
}
