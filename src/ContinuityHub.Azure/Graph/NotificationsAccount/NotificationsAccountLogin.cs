namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// <c>hub graph login</c>: signs the notifications account in once with the device-code flow and stores its token
/// cache, encrypted, where the functions refresh it silently. A sign-in by any other account than
/// <c>Graph:NotificationsAccount</c> is refused and nothing is stored.
/// </summary>
public sealed class NotificationsAccountLogin
{
    private readonly GraphOptions _options;
    private readonly INotificationsAccountClient _client;
    private readonly EncryptedTokenCache _cache;

    public NotificationsAccountLogin(GraphOptions options, INotificationsAccountClient client, EncryptedTokenCache cache)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);
        _options = options;
        _client = client;
        _cache = cache;
    }

    /// <summary>The settings a sign-in needs, each missing or malformed one as a problem naming it.</summary>
    public static IReadOnlyList<ValidationProblem> Check(GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            problems.Add(new(Setting(nameof(GraphOptions.TenantId)), "is not set: the Entra tenant (id or domain) the notifications account belongs to"));
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            problems.Add(new(Setting(nameof(GraphOptions.ClientId)), "is not set: the hub's app registration (a public client that allows the device-code flow)"));
        }

        if (string.IsNullOrWhiteSpace(options.NotificationsAccount))
        {
            problems.Add(new(Setting(nameof(GraphOptions.NotificationsAccount)), "is not set: the UPN of the dedicated account channel cards are posted as"));
        }

        problems.AddRange(TokenCacheKey.Check(options.TokenCacheKey));
        return problems;
    }

    /// <summary>Runs the device-code flow and, when the expected account signed in, stores its token cache.</summary>
    /// <exception cref="HubValidationException">A setting is missing, or another account signed in (nothing stored).</exception>
    public async Task<NotificationsAccountLoginResult> LoginAsync(Func<DeviceCodePrompt, CancellationToken, Task> prompt, CancellationToken cancellationToken)
    {
        if (Check(_options) is { Count: > 0 } problems)
        {
            throw new HubValidationException(problems);
        }

        var expected = _options.NotificationsAccount!.Trim();
        var signIn = await _client.SignInWithDeviceCodeAsync(NotificationsAccountCredential.SignInScopes, prompt, cancellationToken);
        if (!signIn.Account.Is(expected))
        {
            throw new HubValidationException(
                Setting(nameof(GraphOptions.NotificationsAccount)),
                $"{signIn.Account.Username} signed in, but the notifications account is {expected}: nothing was stored; run `hub graph login` again and sign in as {expected}");
        }

        await _cache.ReplaceAsync(signIn.TokenCache, signIn.Account, cancellationToken);
        return new NotificationsAccountLoginResult(signIn.Account, _cache.Path);
    }

    private static string Setting(string name) => $"{GraphOptions.SectionName}:{name}";
}

/// <summary>Who signed in, and where the encrypted token cache is stored.</summary>
public sealed record NotificationsAccountLoginResult(NotificationsAccountIdentity Account, string CachePath);
