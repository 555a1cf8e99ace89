using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// What <c>hub serve</c> reads besides the hub's own settings: <c>Serve:ApiKey</c> (the key <c>GET /api/incidents</c>
/// asks for, in <c>x-functions-key</c> or <c>?code=</c>, as a function key does in Azure) and
/// <c>Serve:ReassessEvery</c> (how often open incidents are re-assessed; <c>1m</c>, or a TimeSpan <c>00:01:00</c>).
/// </summary>
internal sealed record ServeSettings(string? ApiKey, TimeSpan ReassessEvery)
{
    public const string ApiKeySetting = "Serve:ApiKey";
    public const string ReassessEverySetting = "Serve:ReassessEvery";
    public static readonly TimeSpan DefaultReassessEvery = TimeSpan.FromMinutes(1);

    /// <exception cref="HubValidationException">A setting is not readable.</exception>
    public static ServeSettings Read(IConfiguration configuration)
    {
        var apiKey = configuration[ApiKeySetting];
        var every = DefaultReassessEvery;
        if (configuration[ReassessEverySetting] is { } text && !string.IsNullOrWhiteSpace(text))
        {
            if (!Durations.TryParse(text, out every)
                && !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out every))
            {
                throw new HubValidationException(ReassessEverySetting, $"'{text}' is not a duration; {Durations.Expected}");
            }

            if (every < TimeSpan.FromSeconds(1))
            {
                throw new HubValidationException(ReassessEverySetting, $"'{text}' is too short; re-assess at most every second");
            }
        }

        return new ServeSettings(string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim(), every);
    }

    /// <summary>
    /// The addresses of <c>--urls</c> (separated by <c>;</c>), checked: http or https, and, without an API key, on
    /// this machine only (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>), since the incident routes would
    /// otherwise be open to the network.
    /// </summary>
    /// <exception cref="HubValidationException">An address is malformed, or not on loopback while no API key is set.</exception>
    public IReadOnlyList<string> CheckUrls(string urls)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
        {
            throw new HubValidationException("--urls", "no address given; e.g. --urls http://127.0.0.1:7071");
        }

        foreach (var url in list)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                throw new HubValidationException("--urls", $"'{url}' is not an address like http://127.0.0.1:7071");
            }

            if (!address.IsUnixPipe && address.Scheme is not ("http" or "https"))
            {
                throw new HubValidationException("--urls", $"'{url}' is not an http or https address");
            }

            if (ApiKey is null && !IsLoopback(address))
            {
                throw new HubValidationException(
                    "--urls",
                    $"'{url}' is reachable from other machines, and {ApiKeySetting} is not set: the incident routes would be open to anyone who can reach it. "
                    + $"Listen on 127.0.0.1 (and put a tunnel in front), or set {ApiKeySetting} (environment Serve__ApiKey).");
            }
        }

        return list;
    }

    private static bool IsLoopback(BindingAddress address)
    {
        if (address.IsUnixPipe || string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
